import { CloudBuildClient, protos } from '@google-cloud/cloudbuild';
import { callGrpc } from './errors.ts';
import { gapicClientOptions, type GrpcEndpoint } from './endpoints.ts';

type IBuild = protos.google.devtools.cloudbuild.v1.IBuild;
const BuildStatus = protos.google.devtools.cloudbuild.v1.Build.Status;

/** A Cloud Build `Build` as submitted (proto JSON shape, camelCase). */
export type BuildRequest = IBuild;

/** Build status names (`Build.Status`). */
export type BuildStatusName = keyof typeof BuildStatus;

/** States after which a build never changes again. */
export const terminalBuildStatuses: ReadonlySet<string> = new Set([
  'SUCCESS',
  'FAILURE',
  'INTERNAL_ERROR',
  'TIMEOUT',
  'CANCELLED',
  'EXPIRED',
]);

/** One build step, as Conveyor reports it. */
export interface BuildStepInfo {
  /** The step's `id`, or its builder `name` when it has no id. */
  readonly id: string;
  readonly status: string;
}

/**
 * A build, normalised: enum values are names whichever RPC produced them (a build decoded from an
 * Operation's metadata carries numbers, `status: 3`; `getBuild` returns names, `'SUCCESS'`).
 */
export interface BuildInfo {
  readonly id: string;
  readonly status: string;
  readonly statusDetail: string;
  readonly logUrl: string;
  /** `gs://bucket[/prefix]` the log is written to as `log-<id>.txt`, when the build sets one. */
  readonly logsBucket?: string | undefined;
  readonly steps: readonly BuildStepInfo[];
  /** Pushed images with their digests (`results.images`). */
  readonly images: readonly { readonly name: string; readonly digest: string }[];
  readonly tags: readonly string[];
  /** User substitutions the build ran with (`_COMMIT`, `_IMAGE`, …). */
  readonly substitutions: Readonly<Record<string, string>>;
  /** Milliseconds since epoch, when known. */
  readonly createTime?: number | undefined;
  readonly startTime?: number | undefined;
  readonly finishTime?: number | undefined;
}

function statusName(value: unknown): string {
  if (typeof value === 'number') return BuildStatus[value] ?? 'STATUS_UNKNOWN';
  return typeof value === 'string' ? value : 'STATUS_UNKNOWN';
}

function millis(ts: protos.google.protobuf.ITimestamp | null | undefined): number | undefined {
  if (!ts?.seconds) return undefined;
  return Number(ts.seconds) * 1000 + Math.floor((ts.nanos ?? 0) / 1e6);
}

/** Normalises a proto `Build`. */
export function toBuildInfo(build: IBuild): BuildInfo {
  return {
    id: build.id ?? '',
    status: statusName(build.status),
    statusDetail: build.statusDetail ?? build.failureInfo?.detail ?? '',
    logUrl: build.logUrl ?? '',
    logsBucket: build.logsBucket || undefined,
    steps: (build.steps ?? []).map((step, i) => ({
      id: step.id || step.name || `step-${i}`,
      status: statusName(step.status),
    })),
    images: (build.results?.images ?? []).map((image) => ({
      name: image.name ?? '',
      digest: image.digest ?? '',
    })),
    tags: build.tags ?? [],
    substitutions: { ...(build.substitutions ?? {}) },
    createTime: millis(build.createTime),
    startTime: millis(build.startTime),
    finishTime: millis(build.finishTime),
  };
}

/** Where the Cloud Build API lives and for which project. */
export interface CloudBuildOptions {
  readonly projectId: string;
  readonly endpoint: GrpcEndpoint;
}

/** The Cloud Build calls Conveyor makes, typed and with errors translated to {@link GcpError}. */
export class CloudBuild {
  readonly #client: CloudBuildClient;
  readonly #projectId: string;

  constructor(options: CloudBuildOptions) {
    this.#client = new CloudBuildClient(gapicClientOptions(options.endpoint, options.projectId));
    this.#projectId = options.projectId;
  }

  /** Creates a build and returns it as first reported (the long-running operation is not awaited). */
  async createBuild(build: BuildRequest): Promise<BuildInfo> {
    return callGrpc('CloudBuild.createBuild', async () => {
      const [operation] = await this.#client.createBuild({ projectId: this.#projectId, build });
      const metadata =
        operation.metadata as protos.google.devtools.cloudbuild.v1.IBuildOperationMetadata | null;
      if (!metadata?.build?.id)
        throw new Error('CreateBuild returned an operation without metadata.build.id');
      return toBuildInfo(metadata.build);
    });
  }

  async getBuild(id: string): Promise<BuildInfo> {
    return callGrpc('CloudBuild.getBuild', async () => {
      const [build] = await this.#client.getBuild({ projectId: this.#projectId, id });
      return toBuildInfo(build);
    });
  }

  /** Builds carrying `tag`, newest first. */
  async listBuildsByTag(tag: string): Promise<BuildInfo[]> {
    return this.listBuilds(`tags="${tag}"`);
  }

  /** Builds matching a ListBuilds filter (e.g. `tags="conveyor" AND status="WORKING"`), newest first. */
  async listBuilds(filter: string): Promise<BuildInfo[]> {
    return callGrpc('CloudBuild.listBuilds', async () => {
      const [builds] = await this.#client.listBuilds({ projectId: this.#projectId, filter });
      return builds.map(toBuildInfo);
    });
  }

  async cancelBuild(id: string): Promise<BuildInfo> {
    return callGrpc('CloudBuild.cancelBuild', async () => {
      const [build] = await this.#client.cancelBuild({ projectId: this.#projectId, id });
      return toBuildInfo(build);
    });
  }

  async close(): Promise<void> {
    await this.#client.close();
  }
}
