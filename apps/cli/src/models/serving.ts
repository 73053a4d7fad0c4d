// Pushed models in the serving root, in the layout pipelines and promotion share (libs/pipeline
// `ModelConvention`): `<serving root>/<name>/<version>/…` holds a model's files and
// `<serving root>/<name>/LATEST` is a JSON pointer `{version, uri, accuracy?, pushedAt}` to the served one.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { z } from 'zod';
import type { ObjectStore } from '@conveyor/gcp';
import { GcpError } from '@conveyor/gcp/errors';
import { declaredParameters, type ModelConvention } from '@conveyor/pipeline';
import { getPipeline, registeredPipelines } from '@conveyor/pipelines';
import type { PipelineSettings } from '@conveyor/platform';
import { ExitCodes, ExitError, FlagError } from '../common/errors.ts';

/** The LATEST pointer. */
const PointerSchema = z.looseObject({
  version: z.string(),
  uri: z.string(),
  accuracy: z.number().optional(),
  pushedAt: z.string().optional(),
});
/** The LATEST pointer. */
export type Pointer = z.infer<typeof PointerSchema>;

/** Where a pipeline's models are. */
export interface ServingPlace {
  readonly pipeline: string;
  /** `<serving root>/<name>`. */
  readonly root: string;
}

/** One pushed version (`models list -o json` prints `{pipeline, root, latest, versions: [these]}`). */
export interface ModelVersion {
  readonly version: string;
  readonly uri: string;
  readonly files: number;
  /** Whether LATEST points at it (the served one). */
  readonly latest: boolean;
}

/** `models list -o json`. */
export interface ModelList extends ServingPlace {
  readonly latest: Pointer | undefined;
  /** Newest name first. */
  readonly versions: readonly ModelVersion[];
}

/** `models pull -o json`. */
export interface PulledModel {
  readonly pipeline: string;
  readonly version: string;
  readonly uri: string;
  /** Local directory the files were written to. */
  readonly dir: string;
  /** Paths relative to `dir`. */
  readonly files: readonly string[];
}

function modelConvention(pipeline: string): ModelConvention {
  getPipeline(pipeline);
  const model = registeredPipelines().find((r) => r.pipeline.name === pipeline)?.conventions.model;
  if (!model) throw new FlagError('--pipeline', `pipeline '${pipeline}' declares no model`);
  return model;
}

/**
 * The serving place: `--serving-root`, else the operator setting (CONVEYOR_PIPELINE_SETTINGS, as the
 * worker has it), else the pipeline's declared default.
 */
export function servingPlace(
  pipeline: string,
  settings: PipelineSettings,
  flag: string | undefined,
): ServingPlace {
  const model = modelConvention(pipeline);
  const declared = declaredParameters(getPipeline(pipeline)).find(
    (p) => p.name === model.servingRootParameter,
  );
  const root = flag ?? settings[pipeline]?.[model.servingRootParameter] ?? declared?.default;
  if (typeof root !== 'string' || !/^gs:\/\/[^/]+/.test(root))
    throw new FlagError(
      '--serving-root',
      `no serving root for '${pipeline}': pass --serving-root gs://… or set CONVEYOR_PIPELINE_SETTINGS`,
    );
  return { pipeline, root: `${root.replace(/\/$/, '')}/${model.name}` };
}

async function readPointer(store: ObjectStore, root: string): Promise<Pointer | undefined> {
  try {
    const parsed = PointerSchema.safeParse(JSON.parse((await store.read(`${root}/LATEST`)).toString('utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch (e: unknown) {
    if (e instanceof GcpError && e.kind === 'not-found') return undefined;
    if (e instanceof SyntaxError) return undefined;
    throw e;
  }
}

/** Every pushed version and the LATEST pointer. */
export async function listModels(store: ObjectStore, place: ServingPlace): Promise<ModelList> {
  const [objects, latest] = await Promise.all([store.list(`${place.root}/`), readPointer(store, place.root)]);
  const counts = new Map<string, number>();
  for (const uri of objects) {
    const rest = uri.slice(place.root.length + 1);
    const slash = rest.indexOf('/');
    if (slash > 0) counts.set(rest.slice(0, slash), (counts.get(rest.slice(0, slash)) ?? 0) + 1);
  }
  const versions = [...counts.entries()]
    .sort(([a], [b]) => (a < b ? 1 : a > b ? -1 : 0))
    .map(([version, files]) => ({
      version,
      uri: `${place.root}/${version}`,
      files,
      latest: latest?.version === version,
    }));
  return { ...place, latest, versions };
}

/**
 * Downloads one version (LATEST's when `version` is undefined) into `outDir`
 * (default `./<pipeline>-<version>`).
 * @throws ExitError when there is no such version or nothing is pushed
 */
export async function pullModel(
  store: ObjectStore,
  place: ServingPlace,
  version: string | undefined,
  outDir: string | undefined,
): Promise<PulledModel> {
  const chosen = version ?? (await readPointer(store, place.root))?.version;
  if (!chosen)
    throw new ExitError(
      ExitCodes.usage,
      `no LATEST model under ${place.root}: give --version (see models list)`,
    );
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(chosen))
    throw new FlagError('--version', `'${chosen}' is not a version name`);
  const uri = `${place.root}/${chosen}`;
  const objects = await store.list(`${uri}/`);
  if (objects.length === 0)
    throw new ExitError(ExitCodes.usage, `no model version '${chosen}' under ${place.root}`);
  const dir = resolve(outDir ?? `${place.pipeline}-${chosen}`);
  const files: string[] = [];
  for (const object of objects) {
    const relative = object.slice(uri.length + 1);
    const target = resolve(dir, relative);
    // Object names are not paths: one with `..` must not write outside the directory asked for.
    if (!target.startsWith(`${dir}${sep}`))
      throw new ExitError(ExitCodes.usage, `refusing ${object}: it leaves ${dir}`);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, await store.read(object));
    files.push(relative.split('/').join(sep));
  }
  return { pipeline: place.pipeline, version: chosen, uri, dir, files: files.map((f) => join(f)) };
}
