// One build from QUEUED to its terminal status: its directories and log, the source, the steps
// (build-steps.ts), the images it pushes, and the final record.
import { mkdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { EmulatorContext } from '../context.ts';
import type { LocalImageStore } from '../images/image-store.ts';
import { messageOf } from '../rpc-error.ts';
import { dockerEngineAvailable, engineImage } from './builders.ts';
import { BuildLog } from './build-log.ts';
import { BuildEnding, runSteps } from './build-steps.ts';
import type { BuildRecord } from './build-store.ts';
import { protoTime, TERMINAL, type Build } from './model.ts';
import type { PreparedBuild } from './prepare.ts';
import { installShims } from './shims.ts';
import { fetchStorageSource } from './source.ts';
import { pathMapper, stepBaseEnv } from './step-env.ts';

/** What the executor needs besides the build. */
export interface ExecutorDeps {
  context: EmulatorContext;
  images: LocalImageStore;
  /** Called after every change to the build (persists state). */
  changed(): void;
  /** Leave the workspace on disk after the build (Cloud Build discards it). */
  keepWorkspace: boolean;
}

/**
 * Runs a prepared build to a terminal status: fetches the source, runs the steps as their `waitFor`
 * graph allows (in parallel where it can), enforces step and build timeouts, records images and
 * writes the log. Never throws; problems end the build as FAILURE / INTERNAL_ERROR / TIMEOUT.
 */
export async function executeBuild(
  record: BuildRecord,
  prepared: PreparedBuild,
  deps: ExecutorDeps,
): Promise<void> {
  const { build, abort } = record;
  const { context } = deps;
  const buildDir = path.join(context.dataDir, 'builds', build.id);
  const workspace = path.join(buildDir, 'workspace');
  const home = path.join(buildDir, 'home');
  // Synchronous on purpose: the log file opens in this directory right away.
  mkdirSync(workspace, { recursive: true });
  mkdirSync(home, { recursive: true });
  const buildLog = new BuildLog({
    file: path.join(buildDir, 'log.txt'),
    buildId: build.id,
    logsBucket: prepared.logsBucket,
    gcs: context.gcs,
    log: context.log,
  });
  // Known before anything runs, as in Cloud Build.
  build.logUrl = buildLog.url;
  const log = (line: string): void => buildLog.line(line);
  const ending = new BuildEnding(abort);
  const buildTimer = setTimeout(
    () => ending.finish('TIMEOUT', `build timed out after ${prepared.timeoutMs / 1000}s`),
    prepared.timeoutMs,
  );
  abort.signal.addEventListener('abort', () => ending.finish('CANCELLED', 'build cancelled'), { once: true });

  // CreateBuild answers with the build still QUEUED, as Cloud Build does; work starts on the next turn.
  await new Promise((resolve) => setImmediate(resolve));
  if (TERMINAL.includes(build.status)) {
    clearTimeout(buildTimer);
    await buildLog.close();
    return;
  }
  build.status = 'WORKING';
  build.startTime = protoTime();
  deps.changed();
  log(`starting build "${build.id}"`);
  try {
    if (build.source?.storageSource?.object) {
      log('FETCHSOURCE');
      const fetchStart = protoTime();
      await fetchStorageSource(context.gcs, build.source.storageSource, workspace, buildDir);
      build.timing = { ...build.timing, FETCHSOURCE: { startTime: fetchStart, endTime: protoTime() } };
    }
    const engine = await dockerEngineAvailable();
    const shims = installShims({
      dataDir: context.dataDir,
      dockerEngine: engine,
      gcsEndpoint: context.gcs.endpoint,
      imagesDir: deps.images.root,
    });
    await runSteps({
      build,
      prepared,
      context,
      images: deps.images,
      buildDir,
      workspace,
      engine,
      baseEnv: stepBaseEnv(prepared, home, workspace, shims),
      mapPath: pathMapper(workspace, home),
      signal: abort.signal,
      ending,
      log,
      changed: deps.changed,
      syncLog: () => void buildLog.sync(),
    });
    if (!ending.status) await pushImages(build, prepared, engine, deps.images, ending, log);
    ending.finish('SUCCESS', '');
  } catch (e: unknown) {
    log(`ERROR: ${messageOf(e)}`);
    ending.finish('INTERNAL_ERROR', `emulator error: ${messageOf(e)}`);
  } finally {
    clearTimeout(buildTimer);
    recordEnd(build, ending);
    log(endLine(build));
    await buildLog.close();
    if (!deps.keepWorkspace) await removeWorkArea(buildDir);
    deps.changed();
  }
}

/**
 * Records the images the build names, each with the digest a step built it with (the Docker
 * engine's, or the local image store's); a missing one fails the build as Cloud Build does.
 */
async function pushImages(
  build: Build,
  prepared: PreparedBuild,
  engine: boolean,
  images: LocalImageStore,
  ending: BuildEnding,
  log: (line: string) => void,
): Promise<void> {
  build.results = {
    ...(build.results ?? {}),
    images: [],
    buildStepImages: build.steps.map(() => ''),
    buildStepOutputs: [],
  };
  const pushStart = protoTime();
  for (const image of prepared.images) {
    const local = engine ? await engineImage(image) : await images.resolve(image);
    if (!local) {
      build.failureInfo = {
        type: 'PUSH_IMAGE_NOT_FOUND',
        detail: `image ${image} was not built by any step`,
      };
      ending.finish(
        'FAILURE',
        `failed to push image ${image}: an image does not exist locally with that tag`,
      );
      break;
    }
    build.results.images.push({
      name: image,
      digest: local.digest,
      pushTiming: { startTime: protoTime(), endTime: protoTime() },
    });
    log(`PUSH ${image}: digest: ${local.digest}`);
  }
  if (prepared.images.length > 0)
    build.timing = { ...build.timing, PUSH: { startTime: pushStart, endTime: protoTime() } };
}

/** Writes the build's terminal status, detail, failure info and timings (unless something already ended it). */
function recordEnd(build: Build, ending: BuildEnding): void {
  for (const step of build.steps)
    if (step.status === 'QUEUED' || step.status === 'STATUS_UNKNOWN') step.status = 'QUEUED';
  if (!TERMINAL.includes(build.status)) {
    build.status = ending.status ?? 'INTERNAL_ERROR';
    build.statusDetail = ending.detail;
    if (build.status === 'FAILURE' && !build.failureInfo)
      build.failureInfo = { type: 'USER_BUILD_STEP', detail: ending.detail };
    build.finishTime = protoTime();
  }
  build.timing = { ...build.timing, BUILD: { startTime: build.startTime, endTime: build.finishTime } };
}

/** The log's last line, as Cloud Build writes it. */
function endLine(build: Build): string {
  return build.status === 'SUCCESS'
    ? 'DONE'
    : `ERROR: build ${build.status}${build.statusDetail ? `: ${build.statusDetail}` : ''}`;
}

/** Removes everything of a finished build but its log (workspaces can hold whole dependency trees). */
async function removeWorkArea(buildDir: string): Promise<void> {
  for (const name of ['workspace', 'home', 'scripts', 'builder-output', 'source.tgz']) {
    await rm(path.join(buildDir, name), { recursive: true, force: true });
  }
}
