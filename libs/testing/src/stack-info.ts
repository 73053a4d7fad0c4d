/** Addresses of the local stack, handed to integration tests by the vitest global setup (`inject('stack')`). */
export interface StackInfo {
  /** Directory holding the stack's data, logs and PID files. */
  readonly dataDir: string;
  /** The per-machine cache (`~/.cache/conveyor` or CONVEYOR_CACHE_DIR): binaries, Python venvs of task images. */
  readonly cacheDir: string;
  readonly temporal: {
    /** gRPC frontend, `host:port`. */
    readonly address: string;
    readonly namespace: string;
    /** Web UI base URL. */
    readonly uiUrl: string;
    /** Path of the `temporal` CLI binary, for tests that drive it. */
    readonly cliPath: string;
    /** Path of Temporal's time-skipping test server, for `TestWorkflowEnvironment.createTimeSkipping`. */
    readonly testServerPath: string;
  };
  readonly pubsub: {
    /** Value for PUBSUB_EMULATOR_HOST, `host:port`. */
    readonly emulatorHost: string;
    readonly projectId: string;
  };
  readonly gcs: {
    /** apiEndpoint for `new Storage({ apiEndpoint })`, e.g. `http://127.0.0.1:4443`. */
    readonly endpoint: string;
  };
  /** Conveyor's Cloud Build + Vertex AI emulator, when the stack runs it. */
  readonly emulator:
    | {
        readonly endpoint: string;
        readonly host: string;
        readonly port: number;
        /** Admin HTTP endpoint: `PUT /faults` changes fault injection at run time. */
        readonly adminUrl: string;
      }
    | undefined;
  /** The environment local mode uses (TEMPORAL_ADDRESS, PUBSUB_EMULATOR_HOST, CONVEYOR_*_ENDPOINT, …). */
  readonly env: Readonly<Record<string, string>>;
}

declare module 'vitest' {
  interface ProvidedContext {
    stack: StackInfo;
  }
}
