import { log } from '@temporalio/activity';
import { ErrorTypes } from '@conveyor/contracts';
import { permanent, translating } from './failures.ts';
import type { ActivityDeps } from './types.ts';

/** A version is one folder name: safe in a gs:// object name and a file path. */
const VERSION_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** Input of `promoteModel`. */
export interface PromoteInput {
  readonly pipeline: string;
  /** The trained model artifact (a gs:// folder) to serve. */
  readonly modelArtifactUri: string;
  /** The trial's typed parameters: the convention's serving root parameter names the serving root. */
  readonly parameters: Readonly<Record<string, string | number | boolean>>;
  /** Folder name of the promoted version, e.g. the sweep id. */
  readonly version: string;
  /** The trial's metrics; the convention's pointer metric is recorded in LATEST. */
  readonly metrics: Readonly<Record<string, number>>;
}

/** Where a model was promoted to. */
export interface Promoted {
  readonly uri: string;
  readonly version: string;
}

/**
 * Promotion by the serving convention the pipeline declares (libs/pipeline `ModelConvention`): copy
 * the model artifact to `<serving root>/<name>/<version>/`, then point `<name>/LATEST` at it. Copies
 * stay inside Cloud Storage. Idempotent: a retry overwrites the same objects.
 */
export function createPromoteActivities(deps: Pick<ActivityDeps, 'store' | 'catalog'>) {
  const { store, catalog } = deps;
  return {
    async promoteModel(input: PromoteInput): Promise<Promoted> {
      return translating(async () => {
        const model = catalog.conventions(input.pipeline).model;
        if (!model) {
          throw permanent(
            ErrorTypes.InvalidRequest,
            `pipeline '${input.pipeline}' declares no model to promote`,
          );
        }
        if (!VERSION_PATTERN.test(input.version)) {
          throw permanent(
            ErrorTypes.InvalidRequest,
            `version '${input.version}' must match ${VERSION_PATTERN.source}`,
          );
        }
        const servingRoot = String(input.parameters[model.servingRootParameter] ?? '');
        if (!/^gs:\/\/[^/]+/.test(servingRoot) || servingRoot.includes('..')) {
          throw permanent(
            ErrorTypes.InvalidRequest,
            `serving root '${servingRoot}' (${model.servingRootParameter}) must be a gs:// URI without '..'`,
          );
        }
        const source = input.modelArtifactUri.replace(/\/$/, '');
        const root = `${servingRoot.replace(/\/$/, '')}/${model.name}`;
        const uri = `${root}/${input.version}`;
        const objects = await store.list(source);
        if (objects.length === 0) {
          throw permanent(ErrorTypes.NotFound, `model artifact ${source} holds no files`);
        }
        for (const object of objects) await store.copy(object, `${uri}/${object.slice(source.length + 1)}`);
        const metric = model.pointerMetric ? input.metrics[model.pointerMetric] : undefined;
        const pointer = {
          version: input.version,
          uri,
          ...(metric === undefined ? {} : { accuracy: metric }),
          pushedAt: new Date().toISOString(),
        };
        await store.write(`${root}/LATEST`, `${JSON.stringify(pointer, null, 2)}\n`, 'application/json');
        log.info('model promoted', { from: source, uri, files: objects.length });
        return { uri, version: input.version };
      });
    },
  };
}
