/**
 * One attempt of one container task: stage GCS inputs into the mount, resolve placeholders, run the
 * image's command on its local runtime, then read output parameters / executor output and upload
 * what it wrote.
 */
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { EmulatorContext } from '../context.ts';
import { hostPassThroughEnv } from '../host-env.ts';
import { findGcsUris, GcsMount } from './gcs-mount.ts';
import type { ArtifactRecord } from './job-model.ts';
import { resolveList, resolveString, type PlaceholderContext } from './placeholders.ts';
import type { ComponentDef, ContainerDef, ParameterType } from './spec-types.ts';
import { isObject, type Json, type JsonObject } from './struct.ts';
import { executorInput, type TaskIo } from './task-io.ts';
import { runProcess } from './task-process.ts';
import type { TaskRuntime } from './task-runtime.ts';
import { messageOf } from '../rpc-error.ts';

/** Everything one attempt needs. */
export interface AttemptSpec {
  context: EmulatorContext;
  /** Inputs with runtime placeholders already resolved (see resolveParameterPlaceholders). */
  io: TaskIo;
  component: ComponentDef;
  container: ContainerDef;
  runtime: TaskRuntime;
  schemaVersion: '2.0.0' | '2.1.0';
  /** Values for `{{$.pipeline_job_name}}` and friends. */
  runtimeValues: Record<string, string>;
  mountDir: string;
  /** TMPDIR of the task (a container has its own /tmp). */
  tmpDir: string;
  logPath: string;
  signal: AbortSignal;
}

/** What a successful attempt produced. */
export interface AttemptOutputs {
  parameters: Record<string, Json>;
  artifacts: Record<string, ArtifactRecord>;
}

/** An attempt that did not succeed; `cancelled` when the abort signal stopped it. */
export class AttemptError extends Error {
  readonly cancelled: boolean;
  constructor(message: string, cancelled = false, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AttemptError';
    this.cancelled = cancelled;
  }
}

/** Runs the attempt. @throws AttemptError */
export async function runAttempt(spec: AttemptSpec): Promise<AttemptOutputs> {
  const { io, context, runtime } = spec;
  await mkdir(dirname(spec.logPath), { recursive: true });
  await mkdir(dirname(io.outputFile), { recursive: true });
  await mkdir(spec.tmpDir, { recursive: true });
  for (const file of Object.values(io.outputParameterFiles)) await mkdir(dirname(file), { recursive: true });
  const mount = new GcsMount(spec.mountDir, context.gcs);
  await mkdir(spec.mountDir, { recursive: true });
  const withPath = (a: ArtifactRecord): ArtifactRecord & { path: string } => ({
    ...a,
    path: mount.pathOf(a.uri),
  });
  const ctx: PlaceholderContext = {
    executorInput: executorInput(io, spec.schemaVersion),
    parameters: io.parameters,
    // A placeholder names one artifact; a list input (dsl.Collected) is read through the executor input.
    inputArtifacts: Object.fromEntries(
      Object.entries(io.inputArtifacts).flatMap(([k, list]) => (list[0] ? [[k, withPath(list[0])]] : [])),
    ),
    outputArtifacts: Object.fromEntries(Object.entries(io.outputArtifacts).map(([k, a]) => [k, withPath(a)])),
    outputParameterFiles: io.outputParameterFiles,
    outputFile: io.outputFile,
    runtime: spec.runtimeValues,
  };
  let argv: string[];
  try {
    argv = commandLine(spec.container, runtime, ctx);
  } catch (e: unknown) {
    throw new AttemptError(`cannot resolve the command line: ${messageOf(e)}`, false, { cause: e });
  }
  await appendFile(spec.logPath, `[emulator] ${runtime.note}\n`);
  await stageInputs(
    mount,
    io,
    [...argv, ...Object.values(spec.container.env), ...Object.values(runtime.env)],
    spec.logPath,
  );
  for (const a of Object.values(io.outputArtifacts)) await mount.prepareOutput(a.uri);
  const result = await runProcess({
    argv,
    cwd: runtime.cwd,
    env: taskEnv(spec, mount.root),
    logPath: spec.logPath,
    signal: spec.signal,
  });
  if (result.aborted) throw new AttemptError('cancelled', true);
  // Upload even after a failure: a partial output helps whoever debugs it, as on Vertex's FUSE mount.
  let written: string[] = [];
  try {
    written = await mount.upload();
  } catch (e: unknown) {
    // e.g. a 404 from GCS: the bucket the task wrote under does not exist (as on real GCS).
    const message = `could not upload the task's files from the GCS mount: ${String(e)}`;
    if (result.exitCode === 0) throw new AttemptError(message, false, { cause: e });
    // The command's own failure is the better report; keep this one in the log.
    await appendFile(spec.logPath, `[emulator] ${message}\n`);
  }
  await appendFile(spec.logPath, `[emulator] uploaded ${written.length} file(s) from the GCS mount\n`);
  if (result.spawnError)
    throw new AttemptError(
      `command ${JSON.stringify(argv[0])} could not start: ${result.spawnError.message}`,
    );
  if (result.exitCode !== 0) {
    const how =
      result.exitCode === null
        ? `was killed by ${String(result.signal)}`
        : `exited with code ${result.exitCode}`;
    throw new AttemptError(`the command ${how}; last log lines:\n${await tail(spec.logPath)}`);
  }
  return collectOutputs(spec);
}

/**
 * Resolves placeholders inside input parameter values: kfp passes runtime values as constants
 * (`runtimeValue.constant: "{{$.pipeline_job_name}}"`). @throws AttemptError
 */
export function resolveParameterPlaceholders(
  parameters: Record<string, Json>,
  runtime: Record<string, string>,
): Record<string, Json> {
  const ctx: PlaceholderContext = {
    executorInput: {},
    parameters,
    inputArtifacts: {},
    outputArtifacts: {},
    outputParameterFiles: {},
    outputFile: '',
    runtime,
  };
  const out: Record<string, Json> = {};
  try {
    for (const [k, v] of Object.entries(parameters))
      out[k] = typeof v === 'string' && v.includes('{{$') ? resolveString(v, ctx) : v;
  } catch (e: unknown) {
    throw new AttemptError(`cannot resolve an input parameter: ${messageOf(e)}`, false, {
      cause: e,
    });
  }
  return out;
}

function commandLine(container: ContainerDef, runtime: TaskRuntime, ctx: PlaceholderContext): string[] {
  // Paths into the image (`/app/task.js`) are mapped before placeholders put host paths in.
  const command = resolveList(container.command.map(runtime.inImage), ctx);
  const args = resolveList(container.args.map(runtime.inImage), ctx);
  // Docker semantics: a command replaces ENTRYPOINT and CMD; args alone replace CMD.
  const argv =
    command.length > 0
      ? [...command, ...args]
      : [
          ...runtime.entrypoint.map(runtime.inImage),
          ...(container.args.length > 0 ? args : runtime.cmd.map(runtime.inImage)),
        ];
  if (argv.length === 0) throw new Error(`neither the container nor image "${runtime.image}" has a command`);
  return argv;
}

/** Downloads input artifacts and everything under gs:// URIs the task's parameters, arguments or env mention. */
async function stageInputs(mount: GcsMount, io: TaskIo, texts: string[], logPath: string): Promise<void> {
  for (const [name, list] of Object.entries(io.inputArtifacts)) {
    for (const a of list) {
      try {
        await mount.download(a.uri);
      } catch (e: unknown) {
        throw new AttemptError(`cannot download input artifact "${name}" (${a.uri}): ${String(e)}`, false, {
          cause: e,
        });
      }
    }
  }
  const mentioned = new Set([
    ...findGcsUris(JSON.stringify(io.parameters)),
    ...texts.flatMap((a) => findGcsUris(a)),
  ]);
  for (const uri of Object.values(io.outputArtifacts).map((a) => a.uri)) mentioned.delete(uri);
  for (const uri of mentioned) {
    try {
      const n = await mount.download(uri);
      if (n > 0) await appendFile(logPath, `[emulator] staged ${n} object(s) under ${uri}\n`);
    } catch {
      // A URI in a parameter need not exist yet (e.g. a serving root the task creates).
    }
  }
}

function taskEnv(spec: AttemptSpec, mountRoot: string): Record<string, string> {
  const { runtime, container, context } = spec;
  return {
    HOME: process.env['HOME'] ?? '/tmp',
    ...hostPassThroughEnv(),
    ...runtime.env,
    ...container.env,
    // The toolchain first (a venv's bin), then this Node (24), then the host PATH.
    PATH: [...runtime.pathPrefix, dirname(process.execPath), process.env['PATH'] ?? '/usr/bin:/bin'].join(
      ':',
    ),
    TMPDIR: spec.tmpDir,
    CONVEYOR_GCS_MOUNT: mountRoot,
    CONVEYOR_STORAGE_ENDPOINT: context.gcs.endpoint,
    CLOUD_ML_PROJECT_ID: context.projectId,
  };
}

async function collectOutputs(spec: AttemptSpec): Promise<AttemptOutputs> {
  const executorOutput = await readExecutorOutput(spec.io.outputFile);
  const given = isObject(executorOutput['parameterValues']) ? executorOutput['parameterValues'] : {};
  const parameters: Record<string, Json> = {};
  for (const [name, def] of Object.entries(spec.component.outputParameters)) {
    if (name in given) {
      parameters[name] = given[name] ?? null;
      continue;
    }
    let text: string;
    try {
      text = await readFile(spec.io.outputParameterFiles[name] ?? '', 'utf8');
    } catch {
      throw new AttemptError(
        `output parameter "${name}" was neither written to ${spec.io.outputParameterFiles[name]} nor given in executor output`,
      );
    }
    parameters[name] = parseOutput(name, def.type, text);
  }
  const artifactsOut = isObject(executorOutput['artifacts']) ? executorOutput['artifacts'] : {};
  const artifacts: Record<string, ArtifactRecord> = {};
  for (const [name, planned] of Object.entries(spec.io.outputArtifacts)) {
    const list = artifactsOut[name];
    const first = isObject(list) && Array.isArray(list['artifacts']) ? list['artifacts'][0] : undefined;
    const metadata: JsonObject = isObject(first) && isObject(first['metadata']) ? first['metadata'] : {};
    artifacts[name] = { ...planned, metadata: { ...planned.metadata, ...metadata } };
  }
  return { parameters, artifacts };
}

async function readExecutorOutput(file: string): Promise<JsonObject> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return {};
  }
  try {
    const parsed = JSON.parse(text) as Json;
    return isObject(parsed) ? parsed : {};
  } catch (e: unknown) {
    throw new AttemptError(`executor output ${file} is not valid JSON`, false, { cause: e });
  }
}

function parseOutput(name: string, type: ParameterType, text: string): Json {
  if (type === 'STRING') return text;
  let value: Json;
  try {
    value = JSON.parse(text.trim()) as Json;
  } catch {
    throw new AttemptError(
      `output parameter "${name}" (${type}) holds ${JSON.stringify(text.slice(0, 40))}, not JSON`,
    );
  }
  const ok =
    (type === 'NUMBER_INTEGER' && Number.isInteger(value)) ||
    (type === 'NUMBER_DOUBLE' && typeof value === 'number') ||
    (type === 'BOOLEAN' && typeof value === 'boolean') ||
    (type === 'LIST' && Array.isArray(value)) ||
    (type === 'STRUCT' && isObject(value));
  if (!ok)
    throw new AttemptError(
      `output parameter "${name}" should be ${type}, got ${JSON.stringify(text.slice(0, 40))}`,
    );
  return value;
}

async function tail(path: string): Promise<string> {
  try {
    const lines = (await readFile(path, 'utf8')).trimEnd().split('\n');
    // Long lines (an inline `node -e` script in the command line) are cut so the error stays readable.
    return lines
      .slice(-10)
      .map((l) => (l.length > 300 ? `${l.slice(0, 300)}…` : l))
      .join('\n');
  } catch {
    return '(no log)';
  }
}
