/** File names inside artifact directories, shared by components that must not load tfjs to know them. */

/** The tfjs model topology + weights manifest. */
export const MODEL_JSON = 'model.json';
/** The weights of all layers, concatenated in manifest order. */
export const WEIGHTS_BIN = 'weights.bin';
/** Standardisation and vocabularies learned from the train split. */
export const PREPROCESSING_JSON = 'preprocessing.json';
/** Per-epoch training loss/accuracy, beside the model. */
export const HISTORY_JSON = 'history.json';
/** The evaluator's full report, in the Metrics artifact directory. */
export const METRICS_JSON = 'metrics.json';
