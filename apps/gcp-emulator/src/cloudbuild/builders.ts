import { execFile } from 'node:child_process';
import type { LocalImage } from '../context.ts';
import { inImage } from '../images/image-store.ts';
import { imageRepository, SUPPORTED_IMAGES, toolchainFor } from '../toolchains/images.ts';
import { prepareToolchain, type ToolchainDeps } from '../toolchains/runtime.ts';
import type { ProcessSpec } from './step-process.ts';

/** A step's builder could not be mapped onto a local tool. */
export class UnknownBuilderError extends Error {
  readonly image: string;

  constructor(image: string, message: string) {
    super(message);
    this.name = 'UnknownBuilderError';
    this.image = image;
  }
}

/** What a step runs: a local process, or a command the emulator performs itself. */
export type StepPlan =
  | { kind: 'process'; spec: ProcessSpec }
  | { kind: 'inline'; tool: 'docker' | 'gsutil' | 'gcloud'; args: string[]; cwd: string };

/** A step, after substitution, as the planner needs it. */
export interface StepInput {
  name: string;
  entrypoint: string;
  args: string[];
  /** Working directory (already resolved against the workspace). */
  cwd: string;
  env: Record<string, string>;
  /** Path of the step's `script` written to disk (executable), if the step has one. */
  scriptFile?: string;
}

/** What the planner may consult. */
export interface PlannerDeps {
  dockerEngine: boolean;
  /** The toolchains of well-known images (a python:* step runs in its cached venv). */
  toolchains: ToolchainDeps;
  resolveLocalImage(ref: string): Promise<LocalImage | undefined>;
  /** Workspace directory, mounted at /workspace when a real engine runs the step. */
  workspace: string;
}

const NODE_COMMANDS = ['node', 'npm', 'npx', 'yarn', 'corepack', 'bash', 'sh'];
const PYTHON_COMMANDS = ['python', 'python3', 'pip', 'pip3', 'bash', 'sh'];

/**
 * Maps a step onto something runnable here. Order: the step's script; the well-known images of the
 * shared table (toolchains/images.ts); an image in the local store; `docker run` when an engine answers.
 * @throws UnknownBuilderError naming the image and what is supported.
 */
export async function planStep(step: StepInput, deps: PlannerDeps): Promise<StepPlan> {
  const proc = (command: string, args: string[], extraEnv: Record<string, string> = {}): StepPlan =>
    dispatch(command, args, step, deps, extraEnv);
  if (step.scriptFile) return proc(step.scriptFile, []);
  const entry = step.entrypoint;
  const args = step.args;
  const toolchain = toolchainFor(step.name);

  switch (toolchain?.kind) {
    case 'cloud-builder':
      return proc(entry || toolchain.tool, args);
    case 'cloud-sdk':
      return entry ? proc(entry, args) : firstArgAsCommand(step, proc);
    case 'node': {
      if (entry) return proc(entry, args);
      const [first, ...rest] = args;
      return first && NODE_COMMANDS.includes(first) ? proc(first, rest) : proc('node', args);
    }
    case 'python': {
      // The image's Python is the venv cached for it: its bin first on PATH, so pip installs land there.
      const prepared = await prepareToolchain(toolchain, deps.toolchains);
      const inVenv: StepInput = {
        ...step,
        env: {
          ...step.env,
          ...prepared.env,
          PATH: [...prepared.pathPrefix, step.env['PATH'] ?? ''].join(':'),
        },
      };
      const run = (command: string, commandArgs: string[]): StepPlan =>
        dispatch(command, commandArgs, inVenv, deps, {});
      const [first, ...rest] = args;
      const command = entry || (first && PYTHON_COMMANDS.includes(first) ? first : 'python3');
      const commandArgs = entry || !(first && PYTHON_COMMANDS.includes(first)) ? args : rest;
      if (command === 'pip' || command === 'pip3') return run('python3', ['-m', 'pip', ...commandArgs]);
      return run(command === 'python' ? 'python3' : command, commandArgs);
    }
    case 'shell':
      // `bash` runs its args with bash; ubuntu, debian, alpine, busybox run the command in args (their CMD is a shell).
      if (entry) return proc(entry, args);
      return imageRepository(step.name) === 'bash' ? proc('bash', args) : firstArgAsCommand(step, proc);
  }

  const local = await deps.resolveLocalImage(step.name);
  if (local) {
    // What the image itself names (its ENTRYPOINT / CMD, e.g. /app/task.js) lives in its snapshot.
    const own = (list: string[]): string[] => list.map((a) => inImage(local, a));
    const argv = entry
      ? [inImage(local, entry), ...args]
      : [...own(local.entrypoint), ...(args.length ? args : own(local.cmd))];
    const [command, ...rest] = argv;
    if (!command)
      throw new UnknownBuilderError(
        step.name,
        `image ${step.name} has no ENTRYPOINT or CMD and the step gives no entrypoint`,
      );
    return proc(command, rest, local.env);
  }
  if (deps.dockerEngine) return dockerRun(step, deps);
  throw new UnknownBuilderError(
    step.name,
    `builder image "${step.name}" is not available locally: no Docker engine answers and the emulator has no local ` +
      `stand-in for it. Supported: ${SUPPORTED_IMAGES}. Build it first with a docker step (it lands in the local image ` +
      `store), or run the emulator where \`docker info\` succeeds.`,
  );
}

function firstArgAsCommand(step: StepInput, proc: (c: string, a: string[]) => StepPlan): StepPlan {
  const [first, ...rest] = step.args;
  if (!first)
    throw new UnknownBuilderError(
      step.name,
      `step with image ${step.name} needs an entrypoint or a command in args`,
    );
  return proc(first, rest);
}

/** Commands the emulator performs itself go inline; `docker` goes to the engine when there is one. */
function dispatch(
  command: string,
  args: string[],
  step: StepInput,
  deps: PlannerDeps,
  extraEnv: Record<string, string>,
): StepPlan {
  if (command === 'gsutil' || command === 'gcloud')
    return { kind: 'inline', tool: command, args, cwd: step.cwd };
  if (command === 'docker' && !deps.dockerEngine)
    return { kind: 'inline', tool: 'docker', args, cwd: step.cwd };
  return { kind: 'process', spec: { command, args, cwd: step.cwd, env: { ...extraEnv, ...step.env } } };
}

function dockerRun(step: StepInput, deps: PlannerDeps): StepPlan {
  const rel = step.cwd.startsWith(deps.workspace) ? step.cwd.slice(deps.workspace.length) : '';
  const envArgs = Object.entries(step.env)
    .filter(([key]) => !['PATH', 'HOME'].includes(key))
    .flatMap(([key, value]) => ['-e', `${key}=${value}`]);
  const args = ['run', '--rm', '-v', `${deps.workspace}:/workspace`, '-w', `/workspace${rel}`, ...envArgs];
  if (step.entrypoint) args.push('--entrypoint', step.entrypoint);
  args.push(step.name, ...step.args);
  return { kind: 'process', spec: { command: 'docker', args, cwd: step.cwd, env: step.env } };
}

let engine: Promise<boolean> | undefined;

/** Whether a Docker engine answers (`docker info` within 5 s — a cold engine can be slow); asked once per process. */
export function dockerEngineAvailable(): Promise<boolean> {
  engine ??= new Promise((resolve) => {
    execFile('docker', ['info', '--format', '{{.ServerVersion}}'], { timeout: 5_000 }, (err) =>
      resolve(!err),
    );
  });
  return engine;
}

/** Digest of an image in the real Docker engine (`docker image inspect`), or undefined if absent. */
export function engineImage(ref: string): Promise<{ digest: string } | undefined> {
  return new Promise((resolve) => {
    // RepoDigests is set once pushed; the image id is the local content digest otherwise. 10 s: inspect is local, a slower answer means a stuck engine.
    execFile(
      'docker',
      [
        'image',
        'inspect',
        '--format',
        '{{if .RepoDigests}}{{index .RepoDigests 0}}{{else}}{{.Id}}{{end}}',
        ref,
      ],
      { timeout: 10_000 },
      (err, stdout) => {
        const digest = /sha256:[0-9a-f]{64}/.exec(String(stdout))?.[0];
        resolve(err || !digest ? undefined : { digest });
      },
    );
  });
}
