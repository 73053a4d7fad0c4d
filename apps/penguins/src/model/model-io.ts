import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { MODEL_JSON, PREPROCESSING_JSON, WEIGHTS_BIN } from './artifact-files.ts';
import type { Preprocessing } from './features.ts';

/**
 * Saves `model` in the tfjs layers format (model.json + weights.bin) plus preprocessing.json
 * into `dir`. tfjs's file:// handler lives in tfjs-node, so this writes the artifacts itself.
 */
export async function saveModel(model: tfl.LayersModel, pre: Preprocessing, dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const weights =
        artifacts.weightData === undefined
          ? new ArrayBuffer(0)
          : tf.io.CompositeArrayBuffer.join(artifacts.weightData);
      const modelJson: tf.io.ModelJSON = {
        modelTopology: artifacts.modelTopology ?? {},
        format: artifacts.format ?? 'layers-model',
        generatedBy: artifacts.generatedBy ?? `TensorFlow.js tfjs-layers v${tfl.version_layers}`,
        convertedBy: null,
        weightsManifest: [{ paths: [`./${WEIGHTS_BIN}`], weights: artifacts.weightSpecs ?? [] }],
      };
      if (artifacts.trainingConfig !== undefined) modelJson.trainingConfig = artifacts.trainingConfig;
      await writeFile(join(dir, WEIGHTS_BIN), new Uint8Array(weights));
      await writeFile(join(dir, MODEL_JSON), `${JSON.stringify(modelJson)}\n`);
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    }),
  );
  await writeFile(join(dir, PREPROCESSING_JSON), `${JSON.stringify(pre, null, 2)}\n`);
}

/** A loaded model with its preprocessing. */
export interface LoadedModel {
  /** The tfjs model, ready to predict. */
  readonly model: tfl.LayersModel;
  /** How to encode examples for it. */
  readonly preprocessing: Preprocessing;
}

/**
 * Loads a model saved by {@link saveModel} from `dir`.
 * @throws Error naming the directory when a file is missing or unreadable.
 */
export async function loadModel(dir: string): Promise<LoadedModel> {
  try {
    const modelJson = JSON.parse(await readFile(join(dir, MODEL_JSON), 'utf8')) as tf.io.ModelJSON;
    const model = await tfl.loadLayersModel({
      load: () =>
        tf.io.getModelArtifactsForJSON(modelJson, async (manifest) => {
          const paths = manifest.flatMap((group) => group.paths);
          const buffers = await Promise.all(paths.map((p) => readFile(join(dir, p))));
          const all = Buffer.concat(buffers);
          const specs = manifest.flatMap((group) => group.weights);
          return [specs, all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength)];
        }),
    });
    const preprocessing = JSON.parse(await readFile(join(dir, PREPROCESSING_JSON), 'utf8')) as Preprocessing;
    return { model, preprocessing };
  } catch (e: unknown) {
    throw new Error(`cannot load model from ${dir}: ${e instanceof Error ? e.message : String(e)}`, {
      cause: e,
    });
  }
}
