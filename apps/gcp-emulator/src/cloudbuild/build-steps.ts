// The steps of one build: run each as its `waitFor` graph allows (in parallel where it can), with its
// own timeout, and decide from each ending whether the build goes on.
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { EmulatorContext } from '../context.ts';
import type { LocalImageStore } from '../images/image-store.ts';
import { messageOf } from '../rpc-error.ts';
import { planStep, UnknownBuilderError } from './builders.ts';
import { runInlineTool } from './inline-tools.ts';
import { protoTime, type Build, type BuildStatus } from './model.ts';
import type { PreparedBuild, PreparedStep } from './prepare.ts';
import { envList } from './step-env.ts';
import { runProcess } from './step-process.ts';

/** How one step ended. */
export interface StepOutcome {
  status: BuildStatus;
  detail: string;
}

/**
 * The end of a build, decided once: the first `finish` wins and aborts everything still running
 * (a cancel, the build's timeout, a step that failed).
 */
export class BuildEnding {
  status: BuildStatus | undefined;
  detail = '';
  readonly #abort: AbortController;

  constructor(abort: AbortController) {
    this.#abort = abort;
  }

  finish(status: BuildStatus, detail: string): void {
    if (this.status) return;
    this.status = status;
    this.detail = detail;
    this.#abort.abort();
  }
}

/** What running the steps needs from the build around them. */
export interface StepsContext {
  readonly build: Build;
  readonly prepared: PreparedBuild;
  readonly context: EmulatorContext;
  readonly images: LocalImageStore;
  readonly buildDir: string;
  readonly workspace: string;
  /** Whether a Docker engine runs images (else local toolchains and the image store do). */
  readonly engine: boolean;
  readonly baseEnv: Record<string, string>;
  readonly mapPath: (s: string) => string;
  /** The build's abort signal: cancel, timeout or another step's failure. */
  readonly signal: AbortSignal;
  readonly ending: BuildEnding;
  log(line: string): void;
  /** Persists the build after a change. */
  changed(): void;
  /** Uploads the log so far (after each step, as Cloud Build streams it). */
  syncLog(): void;
}

/** Starts every step whose dependencies ended, waits for any to end, repeats until all ran or the build ended. */
export async function runSteps(ctx: StepsContext): Promise<void> {
  const outcomes = new Map<number, StepOutcome>();
  const running = new Map<number, Promise<void>>();
  const steps = ctx.prepared.steps;
  while (!ctx.ending.status && outcomes.size < steps.length) {
    for (const step of steps) {
      if (running.has(step.index) || outcomes.has(step.index)) continue;
      if (step.dependsOn.every((d) => outcomes.has(d))) {
        const run = runStep(ctx, step).then((outcome) => {
          if (outcome) outcomes.set(step.index, outcome);
        });
        running.set(
          step.index,
          run.finally(() => running.delete(step.index)),
        );
      }
    }
    if (running.size === 0) break;
    await Promise.race(running.values());
  }
  await Promise.all(running.values());
}

/** Runs one step to its outcome, records it on the build, and ends the build when the step's failure is not allowed. */
async function runStep(ctx: StepsContext, step: PreparedStep): Promise<StepOutcome | undefined> {
  const target = ctx.build.steps[step.index];
  if (!target) return undefined;
  const prefix = `Step #${step.index}${target.id ? ` - "${target.id}"` : ''}: `;
  const label = `build step ${step.index} "${step.name}"${target.id ? ` (id "${target.id}")` : ''}`;
  const stepLog = (line: string): void => ctx.log(prefix + line);
  target.status = 'WORKING';
  target.timing = { startTime: protoTime(), endTime: null };
  ctx.changed();
  const stepAbort = new AbortController();
  const onBuildAbort = (): void => stepAbort.abort();
  ctx.signal.addEventListener('abort', onBuildAbort, { once: true });
  let timedOut = false;
  const stepTimer = step.timeoutMs
    ? setTimeout(() => {
        timedOut = true;
        stepAbort.abort();
      }, step.timeoutMs)
    : undefined;
  let outcome: StepOutcome;
  try {
    const exitCode = await launchStep(ctx, step, stepAbort.signal, stepLog);
    target.exitCode = exitCode;
    if (timedOut)
      outcome = { status: 'TIMEOUT', detail: `${label} timed out after ${step.timeoutMs / 1000}s` };
    else if (stepAbort.signal.aborted)
      outcome = { status: ctx.ending.status === 'TIMEOUT' ? 'TIMEOUT' : 'CANCELLED', detail: '' };
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
    ctx.signal.removeEventListener('abort', onBuildAbort);
  }
  target.status = outcome.status;
  if (target.timing) target.timing.endTime = protoTime();
  ctx.changed();
  ctx.syncLog();
  if (outcome.status === 'SUCCESS') return outcome;
  // allowExitCodes, when given, takes precedence over allowFailure (proto doc).
  const allowed =
    step.allowExitCodes.length > 0 ? step.allowExitCodes.includes(target.exitCode) : step.allowFailure;
  if (outcome.status === 'FAILURE' && allowed) return outcome;
  ctx.ending.finish(outcome.status === 'CANCELLED' ? 'CANCELLED' : outcome.status, outcome.detail);
  return outcome;
}

/**
 * Starts the step's process (or inline tool) in its directory and environment, and resolves with
 * its exit code.
 * @throws UnknownBuilderError when the step's image runs a local command that is not installed
 */
async function launchStep(
  ctx: StepsContext,
  step: PreparedStep,
  signal: AbortSignal,
  stepLog: (line: string) => void,
): Promise<number> {
  const { mapPath, prepared } = ctx;
  const env = {
    ...ctx.baseEnv,
    ...(step.automap ? prepared.substitutions : {}),
    ...envList([...prepared.optionsEnv, ...step.env].map(mapPath)),
  };
  const cwd = path.resolve(ctx.workspace, mapPath(step.dir));
  await mkdir(cwd, { recursive: true });
  let scriptFile: string | undefined;
  if (step.script) {
    scriptFile = path.join(ctx.buildDir, 'scripts', `step-${step.index}`);
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
      dockerEngine: ctx.engine,
      toolchains: ctx.context.toolchains,
      resolveLocalImage: (ref) => ctx.images.resolve(ref),
      workspace: ctx.workspace,
    },
  );
  if (plan.kind === 'inline') {
    return runInlineTool(plan.tool, {
      args: plan.args,
      cwd: plan.cwd,
      signal,
      log: stepLog,
      images: ctx.images,
      gcs: ctx.context.gcs,
    });
  }
  const result = await runProcess(plan.spec, signal, stepLog);
  if (result.spawnError) {
    throw new UnknownBuilderError(
      step.name,
      `image ${step.name} runs the local command "${plan.spec.command}", which could not be started (${result.spawnError}): ` +
        `install it on this machine, or run the emulator where a Docker engine answers`,
    );
  }
  return result.exitCode;
}
