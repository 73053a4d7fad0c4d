/**
 * KFP v2 container-protocol placeholders: `{{$}}`, `{{$.inputs.parameters['x']}}`, artifact
 * `.uri|.path|.metadata`, output files, pipeline/task names, and the structured `Concat` / `IfPresent`
 * forms (JSON strings in `command`/`args`, possibly nested).
 */
import { isObject, type Json, type JsonObject } from './struct.ts';

/** A resolved artifact as a placeholder sees it. */
export interface PlaceholderArtifact {
  uri: string;
  /** Local path of the URI in the GCS mount. */
  path: string;
  metadata: JsonObject;
}

/** Everything a placeholder may refer to for one task attempt. */
export interface PlaceholderContext {
  /** The executor input JSON (`{{$}}`). */
  executorInput: JsonObject;
  /** Input parameters that have a value. */
  parameters: Record<string, Json>;
  inputArtifacts: Record<string, PlaceholderArtifact>;
  outputArtifacts: Record<string, PlaceholderArtifact>;
  outputParameterFiles: Record<string, string>;
  outputFile: string;
  /** `{{$.pipeline_job_name}}` etc., keyed without the `pipeline_` prefix dot path: `pipeline_job_name`. */
  runtime: Record<string, string>;
}

/** A placeholder the emulator cannot resolve (unknown form or missing input). */
export class PlaceholderError extends Error {
  readonly placeholder: string;
  constructor(placeholder: string, message: string) {
    super(message);
    this.name = 'PlaceholderError';
    this.placeholder = placeholder;
  }
}

/** Resolves a `command` or `args` list; IfPresent may add or remove elements. */
export function resolveList(list: string[], ctx: PlaceholderContext): string[] {
  return list.flatMap((item) => resolveElement(item, ctx));
}

function resolveElement(item: Json, ctx: PlaceholderContext): string[] {
  const structured = asStructured(item);
  if (structured) return resolveStructured(structured, ctx);
  if (typeof item === 'string') return [resolveString(item, ctx)];
  return [JSON.stringify(item)];
}

/** `{"Concat": [...]}` or `{"IfPresent": {...}}`, given as an object or as its JSON text. */
function asStructured(item: Json): JsonObject | undefined {
  let value: Json = item;
  if (typeof item === 'string') {
    const text = item.trim();
    if (!text.startsWith('{"Concat"') && !text.startsWith('{"IfPresent"')) return undefined;
    try {
      value = JSON.parse(text) as Json;
    } catch {
      return undefined;
    }
  }
  return isObject(value) && ('Concat' in value || 'IfPresent' in value) ? value : undefined;
}

function resolveStructured(s: JsonObject, ctx: PlaceholderContext): string[] {
  if ('Concat' in s) {
    const parts = Array.isArray(s['Concat']) ? s['Concat'] : [s['Concat'] ?? ''];
    return [parts.flatMap((p) => resolveElement(p, ctx)).join('')];
  }
  const spec = isObject(s['IfPresent']) ? s['IfPresent'] : {};
  const input = String(spec['InputName'] ?? '');
  const present = input in ctx.parameters || input in ctx.inputArtifacts;
  const branch = present ? spec['Then'] : spec['Else'];
  if (branch === undefined || branch === null) return [];
  return (Array.isArray(branch) ? branch : [branch]).flatMap((b) => resolveElement(b, ctx));
}

const PLACEHOLDER = /\{\{\$([^}]*)\}\}/g;

/** Replaces every `{{$...}}` inside a string. @throws PlaceholderError */
export function resolveString(text: string, ctx: PlaceholderContext): string {
  return text.replace(PLACEHOLDER, (whole, path: string) => resolvePath(whole, path, ctx));
}

const KEYED = /^\.(inputs|outputs)\.(parameters|artifacts)\[\s*['"]([^'"]+)['"]\s*\](?:\.(\w+))?$/;

function resolvePath(whole: string, path: string, ctx: PlaceholderContext): string {
  if (path === '') return JSON.stringify(ctx.executorInput);
  if (path === '.outputs.output_file') return ctx.outputFile;
  const runtime = /^\.(\w+)$/.exec(path)?.[1];
  if (runtime !== undefined) {
    const value = ctx.runtime[runtime];
    if (value === undefined) throw new PlaceholderError(whole, `unsupported placeholder ${whole}`);
    return value;
  }
  const m = KEYED.exec(path);
  if (!m) throw new PlaceholderError(whole, `unsupported placeholder ${whole}`);
  const [, side = '', kind, key = '', field] = m;
  if (side === 'inputs' && kind === 'parameters' && field === undefined) {
    if (!(key in ctx.parameters))
      throw new PlaceholderError(whole, `${whole}: input parameter "${key}" has no value`);
    return formatParameter(ctx.parameters[key] ?? null);
  }
  if (side === 'outputs' && kind === 'parameters' && field === 'output_file') {
    const file = ctx.outputParameterFiles[key];
    if (file === undefined) throw new PlaceholderError(whole, `${whole}: no output parameter "${key}"`);
    return file;
  }
  if (kind === 'artifacts' && (field === 'uri' || field === 'path' || field === 'metadata')) {
    const artifacts = side === 'inputs' ? ctx.inputArtifacts : ctx.outputArtifacts;
    const artifact = artifacts[key];
    if (!artifact)
      throw new PlaceholderError(whole, `${whole}: ${side.slice(0, -1)} artifact "${key}" is not available`);
    return field === 'metadata' ? JSON.stringify(artifact.metadata) : artifact[field];
  }
  throw new PlaceholderError(whole, `unsupported placeholder ${whole}`);
}

/** Strings as they are; everything else as JSON (numbers, booleans, lists, structs), like the KFP launcher. */
export function formatParameter(value: Json): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}
