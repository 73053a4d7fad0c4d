import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CloudBuildClient, type protos } from '@google-cloud/cloudbuild';
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

/** The request shape of CreateBuild's `build`, as the official client types it. */
export type BuildInput = protos.google.devtools.cloudbuild.v1.IBuild;
/** A build as the client returns it. */
export type BuildView = protos.google.devtools.cloudbuild.v1.IBuild;

/**
 * Creates a build, waits for its operation (the client polls GetOperation), and returns the final
 * build as GetBuild reports it (status names, not numbers) plus the operation's error, if any.
 */
export async function runBuild(
  client: CloudBuildClient,
  build: BuildInput,
  projectId = 'test-project',
): Promise<{ build: BuildView; opError?: Error & { code?: number } }> {
  const [operation] = await client.createBuild({ projectId, build });
  const id = buildIdOf(operation);
  if (!id) throw new Error('CreateBuild operation carries no build id in its metadata');
  let opError: (Error & { code?: number }) | undefined;
  try {
    await operation.promise();
  } catch (e: unknown) {
    opError = e as Error & { code?: number };
  }
  const [final] = await client.getBuild({ projectId, id });
  return { build: final, opError };
}

/** Seconds of a protobuf Timestamp as a float. */
export function seconds(t: { seconds?: unknown; nanos?: number | null } | null | undefined): number {
  return t ? Number(t.seconds ?? 0) + (t.nanos ?? 0) / 1e9 : Number.NaN;
}

/** The build id carried by a CreateBuild operation's metadata. */
export function buildIdOf(operation: { metadata: unknown }): string | undefined {
  return (operation.metadata as { build?: { id?: string } } | null)?.build?.id ?? undefined;
}
