// `conveyor run --spec <file>`: a compiled pipeline spec on disk (kfp's JSON or YAML, a TFX-era
// PipelineJob file, or `conveyor compile`'s output), read and checked here, then uploaded
// content-addressed to the pipeline root, where the worker stores the specs it compiles.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { parseAllDocuments } from 'yaml';
import { messageOf } from '@conveyor/contracts';
import type { ObjectStore } from '@conveyor/gcp';
import { readPipelineSpec, type ReadPipelineSpec } from '@conveyor/pipeline/spec';
import { FlagError } from '../common/errors.ts';

/** A spec read from a file, as the bytes that will be uploaded. */
export interface LocalSpec {
  readonly path: string;
  readonly read: ReadPipelineSpec;
  /** JSON bytes (the file itself when it is JSON; YAML is converted). */
  readonly json: string;
  readonly sha256: string;
}

/**
 * Reads and checks a spec file. JSON files keep their bytes; YAML (what `kfp compiler` writes for a
 * `.yaml` package path) becomes JSON, since the worker reads specs as JSON. A multi-document YAML
 * file's first document is the PipelineSpec (kfp puts platform configuration after it).
 * @throws FlagError naming `--spec` when the file cannot be read or parsed; InvalidPipelineSpecError
 *   when it is not a pipeline spec.
 */
export async function readLocalSpec(path: string): Promise<LocalSpec> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e: unknown) {
    throw new FlagError('--spec', `cannot read ${path}: ${messageOf(e)}`);
  }
  let json = text;
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    const [first] = parseAllDocuments(text);
    if (!first || first.errors.length > 0)
      throw new FlagError(
        '--spec',
        `${path} is neither JSON nor YAML${first ? `: ${first.errors[0]?.message}` : ''}`,
      );
    document = first.toJS();
    json = `${JSON.stringify(document, null, 2)}\n`;
  }
  const read = readPipelineSpec(document);
  return { path, read, json, sha256: createHash('sha256').update(json).digest('hex') };
}

/** The request's pipeline name for a spec: its `pipelineInfo.name` as a lowercase name. */
export function pipelineNameOf(spec: ReadPipelineSpec): string {
  const name = spec.name
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^[^a-z]+/, '')
    .replace(/-+$/, '');
  return name || 'pipeline';
}

/**
 * Uploads the spec as `<pipeline root>/specs/<sha256>.json` (never overwriting: the name is the
 * content). The pipeline root's bucket is always one the worker allows specs from.
 * @returns the spec's gs:// URI
 */
export async function uploadLocalSpec(
  store: ObjectStore,
  pipelineRoot: string,
  spec: LocalSpec,
): Promise<string> {
  // The worker's own naming. Loaded here, not at start: the activities library is heavy to load.
  const { specUriFor } = await import('@conveyor/activities');
  const uri = specUriFor(pipelineRoot, spec.sha256);
  await store.writeIfAbsent(uri, spec.json, 'application/json');
  return uri;
}
