import { mkdirSync } from 'node:fs';
import { chmod, mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { EmulatorContext } from '../context.ts';
import type { LocalImageStore } from '../images/image-store.ts';
import { dockerEngineAvailable, engineImage, planStep, UnknownBuilderError } from './builders.ts';
import { BuildLog } from './build-log.ts';
import type { BuildRecord } from './build-store.ts';
import { runInlineTool } from './inline-tools.ts';
import { installShims } from './shims.ts';
import { protoTime, TERMINAL, type BuildStatus } from './model.ts';
import type { PreparedBuild, PreparedStep } from './prepare.ts';
import { fetchStorageSource } from './source.ts';
import { hostPassThroughEnv } from '../host-env.ts';
import { runProcess } from './step-process.ts';
import { messageOf } from '../rpc-error.ts';

/** What the executor needs besides the build. */
export interface ExecutorDeps {
  context: EmulatorContext;
  images: LocalImageStore;
  /** Called after every change to the build (persists state). */
  changed(): void;
  /** Leave the workspace on disk after the build (Cloud Build discards it). */
  keepWorkspace: boolean;
}

/** How one step ended. */
interface StepOutcome {
  status: BuildStatus;
  detail: string;
}

/** Maps the container paths steps conventionally use onto this build's directories. */
function pathMapper(workspace: string, home: string): (s: string) => string {
  return (s) =>
    s
      .replace(/(^|[=\s:'"])\/workspace(?=\/|$|[\s'":;])/g, `$1${workspace}`)
      .replace(/(^|[=\s:'"])\/builder\/home(?=\/|$|[\s'":;])/g, `$1${home}`);
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
  const mapPath = pathMapper(workspace, home);
  let finalStatus: BuildStatus | undefined;
  let finalDetail = '';
  const finish = (status: BuildStatus, detail: string): void => {
    if (finalStatus) return;
    finalStatus = status;
    finalDetail = detail;
    abort.abort();
  };
  const buildTimer = setTimeout(
    () => finish('TIMEOUT', `build timed out after ${prepared.timeoutMs / 1000}s`),
    prepared.timeoutMs,
  );
  abort.signal.addEventListener('abort', () => finish('CANCELLED', 'build cancelled'), { once: true });

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
    const baseEnv = stepBaseEnv(prepared, home, workspace, shims);
    const outcomes = new Map<number, StepOutcome>();
    const running = new Map<number, Promise<void>>();

    const runOne = async (step: PreparedStep): Promise<void> => {
      const target = build.steps[step.index];
      if (!target) return;
      const prefix = `Step #${step.index}${target.id ? ` - "${target.id}"` : ''}: `;
      const label = `build step ${step.index} "${step.name}"${target.id ? ` (id "${target.id}")` : ''}`;
      const stepLog = (line: string): void => log(prefix + line);
      target.status = 'WORKING';
      target.timing = { startTime: protoTime(), endTime: null };
      deps.changed();
      const stepAbort = new AbortController();
      const onBuildAbort = (): void => stepAbort.abort();
      abort.signal.addEventListener('abort', onBuildAbort, { once: true });
      let timedOut = false;
      const stepTimer = step.timeoutMs
        ? setTimeout(() => {
            timedOut = true;
            stepAbort.abort();
          }, step.timeoutMs)
        : undefined;
      let outcome: StepOutcome;
      try {
        const env = {
          ...baseEnv,
          ...(step.automap ? prepared.substitutions : {}),
          ...envList([...prepared.optionsEnv, ...step.env].map(mapPath)),
        };
        const cwd = path.resolve(workspace, mapPath(step.dir));
        await mkdir(cwd, { recursive: true });
        let scriptFile: string | undefined;
        if (step.script) {
          scriptFile = path.join(buildDir, 'scripts', `step-${step.index}`);
          await mkdir(path.dirname(scriptFile), { recursive: true });
          const body = step.script.startsWith('#!') ? step.script : `#!/bin/bash\n${step.script}`;
          await writeFile(scriptFile, mapPath(body));
          await chmod(scriptFile, 0o755);
        }
        const plan = await planStep(
          {
            name: step.name,
            entrypoint: mapPath(step.entrypoint),
            args: step.args.map(mapPath),
            cwd,
            env,
            scriptFile,
          },
          {
            dockerEngine: engine,
            toolchains: context.toolchains,
            resolveLocalImage: (ref) => deps.images.resolve(ref),
            workspace,
          },
        );
        let exitCode: number;
        if (plan.kind === 'inline') {
          exitCode = await runInlineTool(plan.tool, {
            args: plan.args,
            cwd: plan.cwd,
            signal: stepAbort.signal,
            log: stepLog,
            images: deps.images,
            gcs: context.gcs,
          });
        } else {
          const result = await runProcess(plan.spec, stepAbort.signal, stepLog);
          if (result.spawnError) {
            throw new UnknownBuilderError(
              step.name,
              `image ${step.name} runs the local command "${plan.spec.command}", which could not be started (${result.spawnError}): ` +
                `install it on this machine, or run the emulator where a Docker engine answers`,
            );
          }
          exitCode = result.exitCode;
        }
        target.exitCode = exitCode;
        if (timedOut)
          outcome = { status: 'TIMEOUT', detail: `${label} timed out after ${step.timeoutMs / 1000}s` };
        else if (stepAbort.signal.aborted)
          outcome = { status: finalStatus === 'TIMEOUT' ? 'TIMEOUT' : 'CANCELLED', detail: '' };
        else if (exitCode === 0) outcome = { status: 'SUCCESS', detail: '' };
        else
          outcome = {
            status: 'FAILURE',
            detail: `${label} failed: step exited with non-zero status: ${exitCode}`,
          };
      } catch (e: unknown) {
        const message = messageOf(e);
        stepLog(`ERROR: ${message}`);
        outcome = {
          status: 'FAILURE',
          detail: `${label} failed: ${e instanceof UnknownBuilderError ? message : `emulator error: ${message}`}`,
        };
      } finally {
        if (stepTimer) clearTimeout(stepTimer);
        abort.signal.removeEventListener('abort', onBuildAbort);
      }
      target.status = outcome.status;
      if (target.timing) target.timing.endTime = protoTime();
      outcomes.set(step.index, outcome);
      deps.changed();
      void buildLog.sync();
      if (outcome.status === 'SUCCESS') return;
      // allowExitCodes, when given, takes precedence over allowFailure (proto doc).
      const allowed =
        step.allowExitCodes.length > 0 ? step.allowExitCodes.includes(target.exitCode) : step.allowFailure;
      if (outcome.status === 'FAILURE' && allowed) return;
      finish(outcome.status === 'CANCELLED' ? 'CANCELLED' : outcome.status, outcome.detail);
    };

    // Start every step whose dependencies succeeded; wait for any to end; repeat.
    while (!finalStatus && outcomes.size < prepared.steps.length) {
      for (const step of prepared.steps) {
        if (running.has(step.index) || outcomes.has(step.index)) continue;
        if (step.dependsOn.every((d) => outcomes.has(d))) {
          running.set(
            step.index,
            runOne(step).finally(() => running.delete(step.index)),
          );
        }
      }
      if (running.size === 0) break;
      await Promise.race(running.values());
    }
    await Promise.all(running.values());

    if (!finalStatus) {
      build.results = {
        ...(build.results ?? {}),
        images: [],
        buildStepImages: build.steps.map(() => ''),
        buildStepOutputs: [],
      };
      const pushStart = protoTime();
      for (const image of prepared.images) {
        const local = engine ? await engineImage(image) : await deps.images.resolve(image);
        if (!local) {
          build.failureInfo = {
            type: 'PUSH_IMAGE_NOT_FOUND',
            detail: `image ${image} was not built by any step`,
          };
          finish('FAILURE', `failed to push image ${image}: an image does not exist locally with that tag`);
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
    finish('SUCCESS', '');
  } catch (e: unknown) {
    log(`ERROR: ${messageOf(e)}`);
    finish('INTERNAL_ERROR', `emulator error: ${messageOf(e)}`);
  } finally {
    clearTimeout(buildTimer);
    for (const step of build.steps)
      if (step.status === 'QUEUED' || step.status === 'STATUS_UNKNOWN') step.status = 'QUEUED';
    if (!TERMINAL.includes(build.status)) {
      build.status = finalStatus ?? 'INTERNAL_ERROR';
      build.statusDetail = finalDetail;
      if (build.status === 'FAILURE' && !build.failureInfo)
        build.failureInfo = { type: 'USER_BUILD_STEP', detail: finalDetail };
      build.finishTime = protoTime();
    }
    build.timing = { ...build.timing, BUILD: { startTime: build.startTime, endTime: build.finishTime } };
    log(
      build.status === 'SUCCESS'
        ? 'DONE'
        : `ERROR: build ${build.status}${build.statusDetail ? `: ${build.statusDetail}` : ''}`,
    );
    await buildLog.close();
    if (!deps.keepWorkspace) await removeWorkArea(buildDir);
    deps.changed();
  }
}

/** The environment every step starts from: a clean container-like env plus Cloud Build's built-ins. */
function stepBaseEnv(
  prepared: PreparedBuild,
  home: string,
  workspace: string,
  shims: { dir: string; env: Record<string, string> },
): Record<string, string> {
  // The gsutil/gcloud/docker stand-ins first, then the Node running the emulator (Node 24), so
  // `node`, `npm`, `npx` in steps are the toolchain's.
  const pathVar = [
    shims.dir,
    path.dirname(process.execPath),
    process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
  ].join(path.delimiter);
  const env: Record<string, string> = {
    ...shims.env,
    PATH: pathVar,
    HOME: home,
    BUILDER_OUTPUT: path.join(workspace, '..', 'builder-output'),
  };
  // The host's locale, network and trust settings, as a Cloud Build worker has its own; TMPDIR too.
  Object.assign(env, hostPassThroughEnv());
  if (process.env.TMPDIR) env.TMPDIR = process.env.TMPDIR;
  // Keep npm's cache (and so offline installs) working under the per-build HOME.
  env.npm_config_cache = process.env.npm_config_cache ?? path.join(os.homedir(), '.npm');
  return { ...env, ...prepared.builtIns };
}

function envList(list: string[]): Record<string, string> {
  return Object.fromEntries(
    list.map((kv) => [
      kv.slice(0, kv.indexOf('=') < 0 ? kv.length : kv.indexOf('=')),
      kv.includes('=') ? kv.slice(kv.indexOf('=') + 1) : '',
    ]),
  );
}

/** Removes everything of a finished build but its log (workspaces can hold whole dependency trees). */
async function removeWorkArea(buildDir: string): Promise<void> {
  for (const name of ['workspace', 'home', 'scripts', 'builder-output', 'source.tgz']) {
    await rm(path.join(buildDir, name), { recursive: true, force: true });
  }
}
