import { createHash, randomUUID } from 'node:crypto';
import type * as grpc from '@grpc/grpc-js';
import type { EmulatorContext, OperationView } from '../context.ts';
import { implementService } from '../grpc-handlers.ts';
import type { LocalImageStore } from '../images/image-store.ts';
import { packAny, serviceDefinition, type LoadedProtos } from '../protos.ts';
import { rpcError } from '../rpc-error.ts';
import { BuildStore, type BuildRecord } from './build-store.ts';
import { executeBuild } from './executor.ts';
import { parseBuildFilter } from './list-filter.ts';
import { protoTime, TERMINAL, toIso, toMillis, type Build } from './model.ts';
import { prepareBuild } from './prepare.ts';

const BUILD_TYPE = 'google.devtools.cloudbuild.v1.Build';
const METADATA_TYPE = 'google.devtools.cloudbuild.v1.BuildOperationMetadata';
/** ListBuilds page size when the request gives none (Cloud Build's documented default is small; 50 keeps responses light). */
const DEFAULT_PAGE_SIZE = 50;

/** A stable fake project number for a project id (Cloud Build exposes `$PROJECT_NUMBER`). */
export function projectNumber(projectId: string): string {
  const n =
    BigInt(`0x${createHash('sha256').update(projectId).digest('hex').slice(0, 12)}`) % 900_000_000_000n;
  return String(n + 100_000_000_000n);
}

/** Project and location from `projects/p[/locations/l][/builds/id]`, or from `projectId`. */
function scope(
  req: Record<string, unknown>,
  fallbackProject: string,
): { project: string; location: string; id: string } {
  const resource = String(req.name || req.parent || '');
  const match = /^projects\/([^/]+)(?:\/locations\/([^/]+))?(?:\/builds\/([^/]+))?$/.exec(resource);
  if (resource && !match) throw rpcError('INVALID_ARGUMENT', `malformed resource name "${resource}"`);
  return {
    project: match?.[1] ?? (String(req.projectId || '') || fallbackProject),
    location: match?.[2] ?? 'global',
    id: match?.[3] ?? String(req.id || ''),
  };
}

/**
 * Registers google.devtools.cloudbuild.v1.CloudBuild: CreateBuild (long-running), GetBuild,
 * ListBuilds, CancelBuild; every other method answers UNIMPLEMENTED. Also serves its operations to
 * google.longrunning.Operations through the context's registry.
 */
export function registerCloudBuildService(
  server: grpc.Server,
  context: EmulatorContext,
  protos: LoadedProtos,
  /** `images`: the writable local image store behind `context.images`; `keepWorkspaces`: see EmulatorOptions. */
  options: { images: LocalImageStore; keepWorkspaces: boolean },
): { stop(): Promise<void> } {
  const store = new BuildStore(context.state);
  const { images } = options;
  const operationView = (record: BuildRecord): OperationView => {
    const { build } = record;
    const done = TERMINAL.includes(build.status);
    const view: OperationView = {
      name: record.operationName,
      done,
      metadata: packAny(METADATA_TYPE, { build }),
    };
    if (done && build.status === 'SUCCESS') view.response = packAny(BUILD_TYPE, build);
    else if (done) view.error = operationError(build);
    return view;
  };
  const cancel = (record: BuildRecord): void => {
    const { build } = record;
    if (TERMINAL.includes(build.status)) return;
    build.status = 'CANCELLED';
    build.statusDetail = 'build cancelled';
    build.finishTime = protoTime();
    for (const step of build.steps) if (step.status === 'WORKING') step.status = 'CANCELLED';
    record.abort.abort();
    store.changed();
  };
  context.operations.register({
    get: (name) => {
      const record = store.byOperation(name);
      return record && operationView(record);
    },
    cancel: (name) => {
      const record = store.byOperation(name);
      if (record) cancel(record);
      return record !== undefined;
    },
    list: () => store.operationNames(),
  });
  const find = (req: Record<string, unknown>): BuildRecord => {
    const { id, project, location } = scope(req, context.projectId);
    const record = id ? store.get(id) : undefined;
    // Like Cloud Build, a build is only found under its own project and region.
    if (record && !record.build.name.startsWith(`projects/${project}/locations/${location}/`))
      throw rpcError('NOT_FOUND', `build "${id}" not found`);
    if (!record) throw rpcError('NOT_FOUND', `build "${id}" not found`);
    return record;
  };

  const definition = serviceDefinition(protos, 'google.devtools.cloudbuild.v1.CloudBuild');
  server.addService(
    definition,
    implementService(
      'CloudBuild',
      definition,
      {
        CreateBuild: async (req) => {
          const { project, location } = scope(
            { parent: req.parent, projectId: req.projectId },
            context.projectId,
          );
          const input = req.build as Build | null;
          if (!input) throw rpcError('INVALID_ARGUMENT', 'build is required');
          const id = randomUUID();
          const prepared = prepareBuild(input, {
            PROJECT_ID: project,
            PROJECT_NUMBER: projectNumber(project),
            BUILD_ID: id,
            LOCATION: location,
          });
          const build: Build = {
            ...input,
            id,
            name: `projects/${project}/locations/${location}/builds/${id}`,
            projectId: project,
            status: 'QUEUED',
            statusDetail: '',
            createTime: protoTime(),
            startTime: null,
            finishTime: null,
            timeout: input.timeout ?? { seconds: String(prepared.timeoutMs / 1000), nanos: 0 },
            results: null,
            logUrl: '',
            timing: {},
            failureInfo: null,
            steps: input.steps.map((step) => ({ ...step, status: 'QUEUED', timing: null, exitCode: 0 })),
          };
          const opName = `projects/${project}/locations/${location}/operations/${Buffer.from(id).toString('base64url')}`;
          const record: BuildRecord = {
            build,
            operationName: opName,
            abort: new AbortController(),
            done: Promise.resolve(),
          };
          store.add(record);
          context.log.info({ buildId: id, project, steps: build.steps.length }, 'build queued');
          record.done = executeBuild(record, prepared, {
            context,
            images,
            changed: () => store.changed(),
            keepWorkspace: options.keepWorkspaces,
          }).then(() => {
            context.log.info(
              { buildId: id, status: build.status, detail: build.statusDetail },
              'build finished',
            );
          });
          return operationView(record);
        },
        GetBuild: async (req) => find(req).build,
        CancelBuild: async (req) => {
          const record = find(req);
          cancel(record);
          return record.build;
        },
        ListBuilds: async (req) => {
          const { project, location } = scope(
            { parent: req.parent, projectId: req.projectId },
            context.projectId,
          );
          const prefix = `projects/${project}/locations/${location}/builds/`;
          const predicate = parseBuildFilter(String(req.filter ?? ''));
          const matches = store
            .all()
            .map((r) => r.build)
            .filter((b) => b.name.startsWith(prefix))
            .filter((b) =>
              predicate({
                id: b.id,
                status: b.status,
                tags: b.tags,
                triggerId: b.buildTriggerId,
                images: b.images,
                projectId: b.projectId,
                createTime: toIso(b.createTime),
                startTime: toIso(b.startTime),
                finishTime: toIso(b.finishTime),
                substitutions: b.substitutions,
              }),
            )
            .sort((a, b) => toMillis(b.createTime) - toMillis(a.createTime));
          const offset = Number(req.pageToken || 0);
          const size = Number(req.pageSize) > 0 ? Number(req.pageSize) : DEFAULT_PAGE_SIZE;
          const page = matches.slice(offset, offset + size);
          return { builds: page, nextPageToken: offset + size < matches.length ? String(offset + size) : '' };
        },
      },
      context,
    ),
  );

  return {
    async stop(): Promise<void> {
      const running = store.all().filter((r) => !TERMINAL.includes(r.build.status));
      for (const record of running) cancel(record);
      await Promise.all(running.map((r) => r.done));
    },
  };
}

/** The `error` of a finished, unsuccessful build's operation (google.rpc.Status). */
function operationError(build: Build): { code: number; message: string } {
  const detail = build.statusDetail ? `: ${build.statusDetail}` : '';
  switch (build.status) {
    case 'CANCELLED':
      return { code: 1, message: `Build was cancelled${detail}` };
    case 'TIMEOUT':
      return { code: 4, message: `Build timeout${detail}` };
    case 'INTERNAL_ERROR':
      return { code: 13, message: `Build failed with an internal error${detail}` };
    default:
      return { code: 2, message: `Build failed${detail}; check build logs for details` };
  }
}
