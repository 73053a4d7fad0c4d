import { execFile } from 'node:child_process';
import type { LocalImage } from '../context.ts';
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
  resolveLocalImage(ref: string): Promise<LocalImage | undefined>;
  /** Workspace directory, mounted at /workspace when a real engine runs the step. */
  workspace: string;
}

/** Builders the emulator maps onto local tools (for messages). */
export const SUPPORTED_BUILDERS =
  'gcr.io/cloud-builders/{git,docker,gsutil,gcloud,npm,yarn,curl,...}, gcr.io/google.com/cloudsdktool/cloud-sdk, ' +
  'node[:tag], python[:tag], bash, ubuntu, alpine, debian, busybox, and images built earlier by a docker step';

const SHELL_IMAGES = ['ubuntu', 'alpine', 'debian', 'busybox'];
const NODE_COMMANDS = ['node', 'npm', 'npx', 'yarn', 'corepack', 'bash', 'sh'];
const PYTHON_COMMANDS = ['python', 'python3', 'pip', 'pip3', 'bash', 'sh'];

/** `docker.io/library/node:24-slim` → `node`; `gcr.io/cloud-builders/git:latest` → `gcr.io/cloud-builders/git`. */
export function imageRepository(name: string): string {
  const noDigest = name.split('@')[0] ?? name;
  const slash = noDigest.lastIndexOf('/');
  const colon = noDigest.lastIndexOf(':');
  const repo = colon > slash ? noDigest.slice(0, colon) : noDigest;
  return repo.replace(/^(docker\.io\/|index\.docker\.io\/|mirror\.gcr\.io\/)?(library\/)?/, '');
}

/**
 * Maps a step onto something runnable here. Order: the step's script; known builder families;
 * an image in the local store; `docker run` when an engine answers.
 * @throws UnknownBuilderError naming the image and what is supported.
 */
export async function planStep(step: StepInput, deps: PlannerDeps): Promise<StepPlan> {
  const repo = imageRepository(step.name);
  const proc = (command: string, args: string[], extraEnv: Record<string, string> = {}): StepPlan =>
    dispatch(command, args, step, deps, extraEnv);
  if (step.scriptFile) return proc(step.scriptFile, []);
  const entry = step.entrypoint;
  const args = step.args;

  if (repo === 'gcr.io/cloud-builders/git') return proc(entry || 'git', args);
  if (repo === 'gcr.io/cloud-builders/docker') return proc(entry || 'docker', args);
  if (repo === 'gcr.io/cloud-builders/gsutil') return proc(entry || 'gsutil', args);
  if (repo === 'gcr.io/cloud-builders/gcloud') return proc(entry || 'gcloud', args);
  if (/(^|\/)(cloudsdktool\/(cloud-sdk|google-cloud-cli)|google\/cloud-sdk)$/.test(repo)) {
    if (entry) return proc(entry, args);
    return firstArgAsCommand(step, proc);
  }
  if (repo === 'node') {
    if (entry) return proc(entry, args);
    const [first, ...rest] = args;
    return first && NODE_COMMANDS.includes(first) ? proc(first, rest) : proc('node', args);
  }
  if (repo === 'python') {
    const [first, ...rest] = args;
    const command = entry || (first && PYTHON_COMMANDS.includes(first) ? first : 'python3');
    const commandArgs = entry || !(first && PYTHON_COMMANDS.includes(first)) ? args : rest;
    if (command === 'pip' || command === 'pip3') return proc('python3', ['-m', 'pip', ...commandArgs]);
    return proc(command === 'python' ? 'python3' : command, commandArgs);
  }
  if (repo === 'bash') return proc(entry || 'bash', args);
  if (SHELL_IMAGES.includes(repo)) return entry ? proc(entry, args) : firstArgAsCommand(step, proc);
  if (repo.startsWith('gcr.io/cloud-builders/'))
    return proc(entry || repo.slice('gcr.io/cloud-builders/'.length), args);

  const local = await deps.resolveLocalImage(step.name);
  if (local) {
    const argv = entry ? [entry, ...args] : [...local.entrypoint, ...(args.length ? args : local.cmd)];
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
      `stand-in for it. Supported: ${SUPPORTED_BUILDERS}. Build it first with a docker step (it lands in the local image ` +
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
