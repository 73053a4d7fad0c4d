/** An output of one task of a pipeline: `task` is the task name, `output` the output's name. */
export interface TaskOutputRef {
  readonly task: string;
  readonly output: string;
}

/**
 * How a pipeline trains, judges and serves its model, declared so Conveyor's generic code never
 * guesses from key names: collecting a run's model, turning the pipeline's own push off for sweep
 * trials, and promoting a sweep's best model.
 *
 * Serving layout (the convention a pipeline's pusher and Conveyor's promotion share):
 * `<serving root>/<name>/<version>/` holds a model's files, and `<serving root>/<name>/LATEST` is a JSON
 * pointer `{"version", "uri", "accuracy"?, "pushedAt"}` to the served one.
 */
export interface ModelConvention {
  /** Output artifact (`system.Model`) holding the trained model. */
  readonly artifact: TaskOutputRef;
  /** STRING output parameter, "true" when evaluation blessed the model. */
  readonly blessed?: TaskOutputRef | undefined;
  /**
   * STRING output parameter with the URI the pipeline pushed the model to. When nothing was pushed it is
   * "" or, for a pusher inside a condition (penguins), absent: the task did not run.
   */
  readonly pushedUri?: TaskOutputRef | undefined;
  /** BOOLEAN runtime parameter that turns the pipeline's own push off (sweep trials set it false). */
  readonly pushParameter?: string | undefined;
  /** STRING runtime parameter holding the serving root (`gs://…`). */
  readonly servingRootParameter: string;
  /** Folder under the serving root. */
  readonly name: string;
  /** Metric recorded as `accuracy` in the LATEST pointer when a model is promoted. */
  readonly pointerMetric?: string | undefined;
}

/**
 * Names of a training history's per-epoch series, each a list of spellings (the first one present
 * wins): in a Model artifact's metadata they are arrays indexed by epoch, in a history file they are
 * fields of one object per epoch (with `epoch`).
 */
export interface CurveKeys {
  readonly loss: readonly string[];
  readonly accuracy: readonly string[];
  readonly valLoss?: readonly string[] | undefined;
  readonly valAccuracy?: readonly string[] | undefined;
}

/** Keras' `History` names (`loss`, `accuracy` or `acc`, `val_*`), camelCase too. */
export const kerasCurveKeys: CurveKeys = {
  loss: ['loss'],
  accuracy: ['accuracy', 'acc'],
  valLoss: ['val_loss', 'valLoss'],
  valAccuracy: ['val_accuracy', 'val_acc', 'valAccuracy'],
};

/**
 * Where a pipeline records its training curves, declared so the run report never guesses: the
 * output artifact whose metadata holds the per-epoch arrays, and optionally a JSON file in that
 * artifact's directory read when the metadata holds none.
 */
export interface CurvesConvention {
  readonly artifact: TaskOutputRef;
  readonly keys: CurveKeys;
  /** File name inside the artifact's directory: a JSON array of one object per epoch. */
  readonly file?: string | undefined;
}

/** Where a registered pipeline's files live in its repository, and its model and curves conventions. */
export interface PipelineConventions {
  /** Repository path of the Cloud Build config building the pipeline's image. */
  readonly buildConfig: string;
  /**
   * Repository path of the run parameters git-push runs use (YAML or JSON, `parameters:` map),
   * read at the pushed commit; the pipeline's defaults when the file is absent.
   */
  readonly parametersFile: string;
  readonly model?: ModelConvention | undefined;
  /** Where its training curves are; without it, reports say the trainer recorded no history. */
  readonly curves?: CurvesConvention | undefined;
}

/** The conventional file locations of a pipeline named `name`: `apps/<name>/…`. */
export function defaultConventions(name: string): PipelineConventions {
  return { buildConfig: `apps/${name}/cloudbuild.yaml`, parametersFile: `apps/${name}/conveyor.yaml` };
}
