import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { status as GrpcStatus } from '@grpc/grpc-js';
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { afterAll, describe, expect, it, vi } from 'vitest';
import {
  ErrorTypes,
  gcpErrorKinds,
  imageTagsFor,
  imageWorkflowIdFor,
  sha256Hex,
  type GcpErrorKind,
  type TrainingRunRequest,
} from '@conveyor/contracts';
import { GcpError, translateGrpcError, type BuildInfo, type PipelineJobInfo } from '@conveyor/gcp';
import { toActivityFailure } from './failures.ts';
import type { FoundImage } from './image.ts';
import { createActivities } from './index.ts';
import type {
  ActivityDeps,
  BuildApi,
  BuildOutcome,
  JobOutcome,
  PipelineApi,
  PipelineCatalog,
  ImageWorkflows,
  RegistryApi,
  StoreApi,
} from './types.ts';
import { defaultConventions } from '@conveyor/pipeline';

const env = new MockActivityEnvironment();
const build = (over: Partial<BuildInfo> = {}): BuildInfo => ({
  id: 'b1',
  status: 'WORKING',
  statusDetail: '',
  logUrl: 'https://log/b1',
  steps: [
    { id: 'clone', status: 'SUCCESS' },
    { id: 'image', status: 'WORKING' },
  ],
  images: [],
  tags: [],
  substitutions: {},
  ...over,
});
const job = (over: Partial<PipelineJobInfo> = {}): PipelineJobInfo => ({
  name: 'projects/p/locations/r/pipelineJobs/run-1',
  state: 'PIPELINE_STATE_RUNNING',
  tasks: [{ name: 'train', state: 'RUNNING', outputs: {}, executionMetadata: {}, root: false }],
  ...over,
});

function grpcError(code: number, details: string): Error {
  return Object.assign(new Error(`${code} ${details}`), { code, details });
}

function deps(
  over: {
    builds?: Partial<BuildApi>;
    pipelines?: Partial<PipelineApi>;
    store?: Partial<StoreApi>;
    registry?: Partial<RegistryApi>;
  } = {},
) {
  const builds: BuildApi = {
    createBuild: vi.fn(async () => build({ id: 'new', status: 'QUEUED' })),
    getBuild: vi.fn(async () => build()),
    listBuildsByTag: vi.fn(async () => []),
    cancelBuild: vi.fn(async () => build({ status: 'CANCELLED' })),
    ...over.builds,
  };
  const pipelines: PipelineApi = {
    jobName: (id) => `projects/p/locations/r/pipelineJobs/${id}`,
    createPipelineJob: vi.fn(async () => job()),
    getPipelineJob: vi.fn(async () => job()),
    cancelPipelineJob: vi.fn(async () => undefined),
    ...over.pipelines,
  };
  const store: StoreApi = {
    writeIfAbsent: vi.fn(async () => true),
    write: vi.fn(async () => undefined),
    read: vi.fn(async () => Buffer.from('{"pipelineInfo":{"name":"x"}}')),
    list: vi.fn(async () => []),
    copy: vi.fn(async () => undefined),
    ...over.store,
  };
  const registry: RegistryApi = { hasManifest: vi.fn(async () => true), ...over.registry };
  const images: ImageWorkflows = {
    subscribe: vi.fn(async () => ({ runId: 'image-run' })),
    unsubscribe: vi.fn(async () => undefined),
  };
  const catalog: PipelineCatalog = {
    has: (name) => name === 'tiny',
    conventions: (name) => defaultConventions(name),
    typeParameters: (_n, values) => values as never,
    typeGivenParameters: (_n, values) => values as never,
    compile: () => ({ json: '{}', sha256: '' }),
    typeSpecParameters: (_s, values) => values as never,
    toJob: (spec, values, dir) => ({
      pipelineSpec: spec as never,
      runtimeConfig: { gcsOutputDirectory: dir, parameterValues: values },
    }),
  };
  const all: ActivityDeps = {
    builds,
    pipelines,
    store,
    registry,
    images,
    catalog,
    settings: {
      projectId: 'p',
      region: 'r',
      pipelineRoot: 'gs://b/root',
      imageRepository: 'reg/conveyor',
      pollIntervalMs: 500,
    },
  };
  return { all, builds, pipelines, store, registry, activities: createActivities(all) };
}

const repoDir = mkdtempSync(join(tmpdir(), 'activities-spec-'));
afterAll(() => rmSync(repoDir, { recursive: true, force: true }));
function repoWithConfig(config: string): string {
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@e', ...args], {
      cwd: repoDir,
      encoding: 'utf8',
    }).trim();
  mkdirSync(join(repoDir, 'apps/tiny'), { recursive: true });
  writeFileSync(join(repoDir, 'apps/tiny/cloudbuild.yaml'), config);
  git('init', '-q', '-b', 'main');
  git('add', '.');
  git('commit', '-q', '--allow-empty', '-m', 'c');
  return git('rev-parse', 'HEAD');
}

const CONFIG =
  "steps:\n  - name: bash\n    args: ['-c', 'echo $_IMAGE ${_BRANCH}']\n    timeout: 90s\nimages: ['$_IMAGE']\n";

describe('startBuild', () => {
  const key = {
    pipeline: 'tiny',
    commit: 'a'.repeat(40),
    configSha256: sha256Hex(CONFIG),
    repository: 'reg/conveyor',
  };
  it('adopts the build already tagged with this execution: no second build', async () => {
    const d = deps({ builds: { listBuildsByTag: vi.fn(async () => [build({ id: 'existing' })]) } });
    const out: BuildOutcome = await env.run(d.activities.startBuild, {
      runTag: 'conveyor-run-x',
      key,
      repoUrl: '/nowhere',
      branch: 'main',
    });
    expect(out.id).toBe('existing');
    expect(d.builds.createBuild).not.toHaveBeenCalled();
  });

  it('creates the build from the config at the commit, with every key tag and only the substitutions it uses', async () => {
    const commit = repoWithConfig(CONFIG);
    const d = deps();
    await env.run(d.activities.startBuild, {
      runTag: 'conveyor-run-x',
      key: { ...key, commit },
      repoUrl: repoDir,
      branch: 'main',
    });
    const sent = vi.mocked(d.builds.createBuild).mock.calls[0]?.[0];
    expect(sent?.substitutions).toEqual({ _IMAGE: `reg/conveyor/tiny:${commit}`, _BRANCH: 'main' });
    const tags = imageTagsFor({ ...key, commit });
    expect(sent?.tags).toEqual(
      expect.arrayContaining([
        'conveyor',
        'conveyor-run-x',
        tags.key,
        tags.pipeline,
        tags.commit,
        tags.config,
        `owner-${imageWorkflowIdFor({ ...key, commit })}`,
      ]),
    );
    expect(sent?.steps?.[0]?.timeout).toEqual({ seconds: 90, nanos: 0 });
  });

  it('refuses to build when the config no longer hashes to the key', async () => {
    const commit = repoWithConfig(CONFIG);
    const d = deps();
    const error = (await env
      .run(d.activities.startBuild, {
        runTag: 'conveyor-run-x',
        key: { ...key, commit, configSha256: 'f'.repeat(64) },
        repoUrl: repoDir,
        branch: 'main',
      })
      .catch((e: unknown) => e)) as ApplicationFailure;
    expect(error.type).toBe(ErrorTypes.BuildFailed);
    expect(d.builds.createBuild).not.toHaveBeenCalled();
  });
});

describe('findImage', () => {
  const imageBuild = (commit: string, over: Partial<BuildInfo> = {}): BuildInfo => {
    const tags = imageTagsFor({
      pipeline: 'tiny',
      commit,
      configSha256: sha256Hex(CONFIG),
      repository: 'reg/conveyor',
    });
    return build({
      id: 'ok',
      status: 'SUCCESS',
      tags: ['conveyor', tags.key, tags.pipeline, tags.commit, tags.config],
      images: [{ name: `reg/conveyor/tiny:${commit}`, digest: `sha256:${'d'.repeat(64)}` }],
      substitutions: { _COMMIT: commit },
      createTime: 1000,
      ...over,
    });
  };
  const find = (d: ReturnType<typeof deps>, commit: string, lookup = true): Promise<FoundImage> =>
    env.run(d.activities.findImage, {
      pipeline: 'tiny',
      source: { repoUrl: repoDir, branch: 'main', commit },
      lookup,
    });

  it('adopts the newest SUCCESS build of the key whose image the registry still has', async () => {
    const commit = repoWithConfig(CONFIG);
    const d = deps({
      builds: {
        listBuildsByTag: vi.fn(async () => [
          imageBuild(commit, { id: 'failed', status: 'FAILURE', createTime: 3000 }),
          imageBuild(commit, { id: 'older', createTime: 1000 }),
          imageBuild(commit, { id: 'newer', createTime: 2000 }),
        ]),
      },
    });
    const found = await find(d, commit);
    expect(found.key).toEqual({
      pipeline: 'tiny',
      commit,
      configSha256: sha256Hex(CONFIG),
      repository: 'reg/conveyor',
    });
    expect(found.image).toMatchObject({ buildId: 'newer', reused: true, uri: `reg/conveyor/tiny:${commit}` });
    expect(d.builds.listBuildsByTag).toHaveBeenCalledWith(imageTagsFor(found.key).key);
  });

  it('never adopts a failed, cancelled or timed-out build', async () => {
    const commit = repoWithConfig(CONFIG);
    for (const status of ['FAILURE', 'CANCELLED', 'TIMEOUT', 'INTERNAL_ERROR']) {
      const d = deps({ builds: { listBuildsByTag: vi.fn(async () => [imageBuild(commit, { status })]) } });
      expect((await find(d, commit)).image).toBeUndefined();
    }
  });

  it('refuses a look-alike: the key tag alone, another commit, or another image', async () => {
    const commit = repoWithConfig(CONFIG);
    const good = imageBuild(commit);
    const lookAlikes = [
      { ...good, tags: [good.tags[1] as string] },
      { ...good, substitutions: { _COMMIT: 'b'.repeat(40) } },
      { ...good, images: [{ name: 'reg/conveyor/other:x', digest: `sha256:${'d'.repeat(64)}` }] },
      { ...good, images: [{ name: `reg/conveyor/tiny:${commit}`, digest: '' }] },
    ];
    for (const b of lookAlikes) {
      const d = deps({ builds: { listBuildsByTag: vi.fn(async () => [b]) } });
      expect((await find(d, commit)).image).toBeUndefined();
    }
  });

  it('passes over a build whose image is gone from the registry', async () => {
    const commit = repoWithConfig(CONFIG);
    const d = deps({
      builds: { listBuildsByTag: vi.fn(async () => [imageBuild(commit)]) },
      registry: { hasManifest: vi.fn(async () => false) },
    });
    expect((await find(d, commit)).image).toBeUndefined();
    expect(d.registry.hasManifest).toHaveBeenCalledWith(
      `reg/conveyor/tiny:${commit}`,
      `sha256:${'d'.repeat(64)}`,
    );
  });

  it('only computes the key when asked not to look (a forced rebuild)', async () => {
    const commit = repoWithConfig(CONFIG);
    const d = deps({ builds: { listBuildsByTag: vi.fn(async () => [imageBuild(commit)]) } });
    const found = await find(d, commit, false);
    expect(found.image).toBeUndefined();
    expect(found.workflowId).toBe(
      imageWorkflowIdFor({
        pipeline: 'tiny',
        commit,
        configSha256: sha256Hex(CONFIG),
        repository: 'reg/conveyor',
      }),
    );
    expect(d.builds.listBuildsByTag).not.toHaveBeenCalled();
  });
});

describe('checkBuild', () => {
  it('throws a BENIGN StillRunning with the poll interval and the steps while running', async () => {
    const d = deps();
    const error = await env.run(d.activities.checkBuild, { buildId: 'b1' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApplicationFailure);
    const failure = error as ApplicationFailure;
    expect(failure.type).toBe(ErrorTypes.StillRunning);
    expect(failure.category).toBe('BENIGN');
    expect(failure.nextRetryDelay).toBe(500);
    expect(failure.message).toContain("step 'image' working");
  });

  it('returns a failed build with the failing step', async () => {
    const failed = build({
      status: 'FAILURE',
      steps: [
        { id: 'clone', status: 'SUCCESS' },
        { id: 'unit-tests', status: 'FAILURE' },
      ],
    });
    const d = deps({ builds: { getBuild: vi.fn(async () => failed) } });
    const out = await env.run(d.activities.checkBuild, { buildId: 'b1' });
    expect(out).toMatchObject({ status: 'FAILURE', failedStep: 'unit-tests', logUrl: 'https://log/b1' });
  });
});

describe('uploadSpec', () => {
  it('writes content-addressed; an existing object (412) is success', async () => {
    const json = '{"a":1}\n';
    const sha256 = createHash('sha256').update(json).digest('hex');
    const d = deps({ store: { writeIfAbsent: vi.fn(async () => false) } });
    expect(await env.run(d.activities.uploadSpec, { json, sha256 })).toEqual({
      uri: `gs://b/root/specs/${sha256}.json`,
      sha256,
    });
    await expect(env.run(d.activities.uploadSpec, { json, sha256: 'f'.repeat(64) })).rejects.toThrow(
      /sha256 mismatch/,
    );
  });
});

describe('submitPipelineJob', () => {
  it('adopts the job when its id already exists', async () => {
    const d = deps({
      pipelines: {
        createPipelineJob: vi.fn(async () => {
          throw translateGrpcError(
            'PipelineService.createPipelineJob',
            grpcError(GrpcStatus.ALREADY_EXISTS, 'exists'),
          );
        }),
      },
    });
    const out: JobOutcome = await env.run(d.activities.submitPipelineJob, {
      pipelineJobId: 'run-1',
      displayName: 'x',
      specUri: 'gs://b/root/specs/s.json',
      parameters: { n: 1 },
      labels: {},
    });
    expect(out.name).toBe('projects/p/locations/r/pipelineJobs/run-1');
    expect(d.pipelines.getPipelineJob).toHaveBeenCalledWith('projects/p/locations/r/pipelineJobs/run-1');
  });
});

describe('validateRequest', () => {
  it('rejects an unknown pipeline as InvalidRequest, non-retryable', async () => {
    const d = deps();
    const error = (await env
      .run(d.activities.validateRequest, {
        pipeline: 'nope',
        parameters: {},
        source: { repoUrl: '/r', branch: 'main' },
        trigger: { kind: 'manual', id: 't', at: 'now' },
        labels: {},
        rebuild: false,
        promote: true,
      } satisfies TrainingRunRequest)
      .catch((e: unknown) => e)) as ApplicationFailure;
    expect(error.type).toBe(ErrorTypes.InvalidRequest);
    expect(error.nonRetryable).toBe(true);
  });
});

describe('toActivityFailure', () => {
  it('makes permanent gRPC codes non-retryable with a contracts type, keeps transient ones retryable', () => {
    const denied = toActivityFailure(
      translateGrpcError('CloudBuild.createBuild', grpcError(GrpcStatus.PERMISSION_DENIED, 'no')),
    ) as ApplicationFailure;
    expect(denied).toMatchObject({ type: ErrorTypes.PermissionDenied, nonRetryable: true });
    expect(denied.cause?.message).toContain('PERMISSION_DENIED');
    for (const code of [
      GrpcStatus.UNAVAILABLE,
      GrpcStatus.DEADLINE_EXCEEDED,
      GrpcStatus.RESOURCE_EXHAUSTED,
      GrpcStatus.ABORTED,
    ]) {
      expect(toActivityFailure(translateGrpcError('x', grpcError(code, 'later')))).toMatchObject({
        nonRetryable: false,
      });
    }
    for (const [code, type] of [
      [GrpcStatus.INVALID_ARGUMENT, ErrorTypes.InvalidArgument],
      [GrpcStatus.NOT_FOUND, ErrorTypes.NotFound],
      [GrpcStatus.FAILED_PRECONDITION, ErrorTypes.FailedPrecondition],
    ] as const) {
      expect(toActivityFailure(translateGrpcError('x', grpcError(code, 'bad')))).toMatchObject({
        type,
        nonRetryable: true,
      });
    }
  });
  it('agrees with GcpError.retryable for every kind and every gRPC status', () => {
    const kinds = Object.keys(gcpErrorKinds) as GcpErrorKind[];
    const codes = Object.values(GrpcStatus).filter((c): c is number => typeof c === 'number' && c !== 0);
    const errors = [
      ...kinds.map((kind) => new GcpError('x', kind, 'CODE', 'detail', undefined)),
      ...codes.map((code) => translateGrpcError('x', grpcError(code, 'detail'))),
    ];
    for (const e of errors) {
      const failure = toActivityFailure(e) as ApplicationFailure;
      expect(failure, `${e.kind} (${e.code})`).toMatchObject({
        nonRetryable: !e.retryable,
        type: gcpErrorKinds[e.kind].errorType,
      });
      expect(failure.type === ErrorTypes.GcpTransient, e.kind).toBe(e.retryable);
    }
    expect(
      toActivityFailure(translateGrpcError('x', grpcError(GrpcStatus.ALREADY_EXISTS, 'twice'))),
    ).toMatchObject({
      type: ErrorTypes.AlreadyExists,
      nonRetryable: true,
    });
  });
});
