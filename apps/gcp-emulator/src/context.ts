/**
 * What every emulated service (Cloud Build, Vertex AI PipelineService, Operations) shares: the data
 * directory, the GCS client, the local image store, fault injection, state persistence and the
 * long-running-operation registry. Built once by `startEmulator` and handed to each service.
 */
import type { Logger } from 'pino';
import type { FaultConfig, FaultRule } from './faults/fault-config.ts';
import type { ToolchainDeps } from './toolchains/runtime.ts';

export type { FaultConfig, FaultRule };

/** An image in the local image store (what `docker build` produces when no Docker engine answers). */
export interface LocalImage {
  /** The reference it was resolved by, e.g. `us-docker.pkg.dev/p/r/trainer:abc`. */
  uri: string;
  /** Content digest, `sha256:<64 hex>`, over the snapshot manifest and the parsed Dockerfile config. */
  digest: string;
  /** Snapshot directory: the contents of the Dockerfile's WORKDIR (the build context copied in). */
  rootDir: string;
  /** The Dockerfile's WORKDIR (absolute, e.g. `/app`): what `rootDir` stands for. */
  workdir: string;
  /** Dockerfile ENTRYPOINT (exec form; shell form becomes `['/bin/sh', '-c', text]`). Empty if none. */
  entrypoint: string[];
  /** Dockerfile CMD (same conventions as `entrypoint`). Empty if none. */
  cmd: string[];
  /** Dockerfile ENV, in order of appearance (later wins). */
  env: Record<string, string>;
}

/** Read side of the local image store. */
export interface ImageStore {
  /**
   * Finds an image by `name:tag`, `name` (= `name:latest`) or `name@sha256:<digest>`.
   * @returns undefined when no such image was built locally.
   */
  resolve(imageRef: string): Promise<LocalImage | undefined>;
}

/**
 * A tiny client of the GCS JSON API (fake-gcs-server or a real endpoint); no `@google-cloud/storage`
 * so the emulator never shares a client library's understanding with the code under test.
 */
export interface GcsClient {
  /** The endpoint it talks to, e.g. `http://127.0.0.1:4443`. */
  readonly endpoint: string;
  /** @throws GcsError (status 404 when the object does not exist). */
  readObject(bucket: string, name: string): Promise<Buffer>;
  /** Creates or replaces an object. @default contentType `application/octet-stream` */
  writeObject(bucket: string, name: string, data: Buffer | string, contentType?: string): Promise<void>;
  /** Names of all objects whose name starts with `prefix` (all pages). */
  listObjects(bucket: string, prefix: string): Promise<string[]>;
  /** Creates the bucket unless it exists. */
  ensureBucket(bucket: string): Promise<void>;
}

/** Injects errors and latency into RPCs, per `Service/Method` (e.g. `CloudBuild/CreateBuild`) or `*`. */
export interface FaultInjector {
  /**
   * Waits the configured delay, then throws a gRPC-shaped error (`{code, details}`) with the configured
   * probability. Call it first thing in a handler; `wrapWithFaults` does that for a whole service.
   */
  apply(method: string): Promise<void>;
  /** Replaces the whole fault configuration (run-time change; also reachable via the admin endpoint). */
  set(config: FaultConfig): void;
  /** The configuration in force. */
  get(): FaultConfig;
}

/**
 * Persists one JSON-serialisable value per key under `<dataDir>/state/<key>.json` when the emulator
 * runs with `persist: true`; a no-op store otherwise. Services load at start and save after changes.
 */
export interface StateStore {
  /** The value last saved under `key`, or undefined (never saved, persistence off, unreadable file). */
  load<T>(key: string): T | undefined;
  /** Schedules a write of `value` (debounced; writes are atomic via rename). */
  save(key: string, value: unknown): void;
  /** Writes everything still pending; called on stop. */
  flush(): Promise<void>;
}

/** A google.longrunning.Operation in the proto-loader object shape (camelCase, Any as `@type` JSON). */
export interface OperationView {
  name: string;
  done: boolean;
  /** `{ '@type': 'type.googleapis.com/<full.Name>', ...fields }` */
  metadata?: Record<string, unknown> | null;
  /** Exactly one of `response` / `error` when done. */
  response?: Record<string, unknown> | null;
  error?: { code: number; message: string; details?: unknown[] } | null;
}

/** A source of long-running operations: the Operations service asks it for the current view. */
export interface OperationSource {
  /** Current view of the operation, or undefined if this source does not own it. */
  get(name: string): OperationView | undefined;
  /** Requests cancellation; returns false if unknown. */
  cancel(name: string): boolean;
  /** All operation names it owns (for ListOperations). */
  list(): string[];
}

/** Routes google.longrunning.Operations calls to the service that owns the operation name. */
export interface OperationRegistry {
  /** Adds a source; Operations RPCs try sources in registration order. */
  register(source: OperationSource): void;
  get(name: string): OperationView | undefined;
  cancel(name: string): boolean;
  list(): string[];
}

/** Everything a service implementation receives from `startEmulator`. */
export interface EmulatorContext {
  /** Root for workspaces, logs, images and state (e.g. `.data/emulator`). */
  dataDir: string;
  /** Default project when a request names none that is usable. */
  projectId: string;
  gcs: GcsClient;
  images: ImageStore;
  faults: FaultInjector;
  state: StateStore;
  operations: OperationRegistry;
  /** Local toolchains standing in for well-known images (Python venvs, the gsutil/gcloud stand-ins). */
  toolchains: ToolchainDeps;
  log: Logger;
}
