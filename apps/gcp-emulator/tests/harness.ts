import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CloudBuildClient } from '@google-cloud/cloudbuild';
import * as grpc from '@grpc/grpc-js';
import { pino } from 'pino';
import { startEmulator, type EmulatorOptions, type RunningEmulator } from '../src/index.ts';

/** An emulator on a free port with a throw-away data dir, and an official client pointed at it. */
export interface TestEmulator {
  emulator: RunningEmulator;
  client: CloudBuildClient;
  dataDir: string;
  /** Stops the emulator and client; removes the data dir unless `keepData`. */
  stop(keepData?: boolean): Promise<void>;
}

/** The official Cloud Build client against an emulator port (insecure, no metadata probe). */
export function cloudBuildClient(port: number): CloudBuildClient {
  return new CloudBuildClient({
    apiEndpoint: '127.0.0.1',
    port,
    sslCreds: grpc.credentials.createInsecure(),
    universeDomain: 'googleapis.com',
  });
}

/**
 * Starts an emulator in-process. `gcsEndpoint` defaults to a closed port: tests that do not touch
 * GCS must not depend on it.
 */
export async function startTestEmulator(options: Partial<EmulatorOptions> = {}): Promise<TestEmulator> {
  const dataDir = options.dataDir ?? mkdtempSync(path.join(os.tmpdir(), 'gcp-emulator-test-'));
  const emulator = await startEmulator({
    gcsEndpoint: 'http://127.0.0.1:9',
    projectId: 'test-project',
    log: pino({ level: process.env.LOG_LEVEL ?? 'warn' }),
    ...options,
    dataDir,
  });
  const client = cloudBuildClient(emulator.port);
  return {
    emulator,
    client,
    dataDir,
    async stop(keepData = false): Promise<void> {
      await client.close();
      await emulator.stop();
      if (!keepData) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Whether a process id is alive. */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
