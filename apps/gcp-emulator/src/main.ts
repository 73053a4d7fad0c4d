import { pino } from 'pino';
import { parseEnv } from './config.ts';
import { startEmulator } from './server.ts';

// Composition root: parse config once, start, stop on SIGTERM/SIGINT.
const log = pino({ name: 'gcp-emulator', level: process.env.LOG_LEVEL ?? 'info' });
try {
  const config = parseEnv(process.env);
  const emulator = await startEmulator({
    host: config.CONVEYOR_EMULATOR_HOST,
    port: config.CONVEYOR_EMULATOR_PORT,
    adminPort: config.CONVEYOR_EMULATOR_ADMIN_PORT,
    dataDir: config.dataDir,
    cacheDir: config.cacheDir,
    gcsEndpoint: config.CONVEYOR_STORAGE_ENDPOINT,
    projectId: config.GOOGLE_CLOUD_PROJECT,
    faults: config.CONVEYOR_EMULATOR_FAULTS,
    persist: config.CONVEYOR_EMULATOR_PERSIST,
    log,
  });
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping');
    emulator.stop().then(
      () => process.exit(0),
      (e: unknown) => {
        log.error({ err: e }, 'stop failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
} catch (e: unknown) {
  log.fatal({ err: e }, e instanceof Error ? e.message : 'emulator failed to start');
  process.exit(1);
}
