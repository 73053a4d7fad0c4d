import { mkdirSync } from 'node:fs';
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { pino, type Logger } from 'pino';
import { startAdminServer } from './admin.ts';
import { registerCloudBuildService } from './cloudbuild/service.ts';
import { installShims } from './cloudbuild/shims.ts';
import type { EmulatorContext, FaultConfig } from './context.ts';
import { createFaultInjector } from './faults/fault-injector.ts';
import { createGcsClient } from './gcs/gcs-client.ts';
import { createLocalImageStore } from './images/image-store.ts';
import { writePackageBoundary } from './images/package-boundary.ts';
import { createOperationRegistry } from './operations/registry.ts';
import { registerOperationsService } from './operations/service.ts';
import { loadProtos } from './protos.ts';
import { createStateStore } from './state-store.ts';
import { createPythonVenvs } from './toolchains/python-venvs.ts';
import { registerPipelineService } from './vertex/service.ts';

/** Options of `startEmulator`. */
export interface EmulatorOptions {
  /** Interface the gRPC and admin servers bind (`0.0.0.0` in a container). @default '127.0.0.1' */
  host?: string;
  /** gRPC port; 0 picks a free one. @default 0 */
  port?: number;
  /** Admin HTTP port (faults, health); 0 picks a free one, `null` disables it. @default 0 */
  adminPort?: number | null;
  /** Root for workspaces, logs, local images and state snapshots. */
  dataDir: string;
  /** GCS JSON API endpoint (fake-gcs-server), e.g. `http://127.0.0.1:4443`. */
  gcsEndpoint: string;
  /** Default project id. @default 'conveyor-local' */
  projectId?: string;
  /** Fault rules in force at start. @default {} */
  faults?: FaultConfig;
  /** Keep state in JSON snapshots under `<dataDir>/state` so a restart keeps finished work. @default false */
  persist?: boolean;
  /** Keep each build's workspace after it finishes (debugging); otherwise only its log stays. @default false */
  keepWorkspaces?: boolean;
  /**
   * Per-machine cache shared by every emulator on this machine (Python venvs of python:* images).
   * @default `<dataDir>/cache` (the stack passes `~/.cache/conveyor`)
   */
  cacheDir?: string;
  /** Logger. @default pino at level `info` */
  log?: Logger;
}

/** A started emulator. */
export interface RunningEmulator {
  /** The bound gRPC port. */
  port: number;
  /** `host:port` of the gRPC server. */
  address: string;
  /** Admin HTTP port, or null when disabled. */
  adminPort: number | null;
  context: EmulatorContext;
  /** Cancels running work, flushes state, closes the ports. */
  stop(): Promise<void>;
}

/**
 * Starts the gRPC server with google.longrunning.Operations, Cloud Build v1 and Vertex AI
 * PipelineService v1 on one port, plus the admin HTTP endpoint.
 */
export async function startEmulator(options: EmulatorOptions): Promise<RunningEmulator> {
  const host = options.host ?? '127.0.0.1';
  const log = options.log ?? pino({ name: 'gcp-emulator' });
  const dataDir = path.resolve(options.dataDir);
  mkdirSync(dataDir, { recursive: true });
  // Builds, tasks and images all run below the data directory, which may sit inside a Node package.
  writePackageBoundary(dataDir);
  const projectId = options.projectId ?? 'conveyor-local';
  // Cloud Build writes images (docker build); everything else only reads them through context.images.
  const images = createLocalImageStore(path.join(dataDir, 'images'));
  const gcs = createGcsClient(options.gcsEndpoint, projectId);
  let shims: { dir: string; env: Record<string, string> } | undefined;
  const context: EmulatorContext = {
    dataDir,
    projectId,
    gcs,
    images,
    faults: createFaultInjector(options.faults ?? {}),
    state: createStateStore({ dataDir, persist: options.persist ?? false, log }),
    operations: createOperationRegistry(),
    toolchains: {
      venvs: createPythonVenvs(path.resolve(options.cacheDir ?? path.join(dataDir, 'cache'))),
      // gsutil and gcloud only: a pipeline task's image has no docker.
      shims: () =>
        (shims ??= installShims({
          dataDir,
          dockerEngine: true,
          gcsEndpoint: gcs.endpoint,
          imagesDir: images.root,
        })),
    },
    log,
  };
  const protos = loadProtos();
  const server = new grpc.Server();
  registerOperationsService(server, context, protos);
  const cloudBuild = registerCloudBuildService(server, context, protos, {
    images,
    keepWorkspaces: options.keepWorkspaces ?? false,
  });
  const vertex = registerPipelineService(server, context, protos.packageDefinition);

  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync(`${host}:${options.port ?? 0}`, grpc.ServerCredentials.createInsecure(), (err, bound) =>
      err ? reject(err) : resolve(bound),
    );
  });
  let admin: Awaited<ReturnType<typeof startAdminServer>> | null = null;
  if (options.adminPort !== null) {
    try {
      admin = await startAdminServer({ host, port: options.adminPort ?? 0 }, context.faults, images);
    } catch (e: unknown) {
      // The admin endpoint is a convenience; a busy port must not keep Cloud Build and Vertex down.
      log.error(
        { err: e, adminPort: options.adminPort },
        'admin endpoint not started; faults can still be set at start',
      );
    }
  }
  log.info({ port, adminPort: admin?.port ?? null, dataDir }, 'gcp emulator listening');

  return {
    port,
    address: `${host}:${port}`,
    adminPort: admin?.port ?? null,
    context,
    async stop(): Promise<void> {
      await cloudBuild.stop();
      await vertex.stop();
      await context.state.flush();
      await admin?.close();
      // tryShutdown waits for in-flight calls; forceShutdown after 2 s keeps stop() bounded (every RPC
      // here answers in milliseconds, so only a stuck client connection is cut).
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          server.forceShutdown();
          resolve();
        }, 2_000);
        server.tryShutdown(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    },
  };
}
