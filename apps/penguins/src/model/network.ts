// The pure-JS parts of TensorFlow.js (what the @tensorflow/tfjs umbrella bundles, minus the WebGL
// backend, the graph-model converter and tfjs-data, which this app does not use).
// Importing a name (not just the module) keeps the backend, whose loading registers the CPU
// kernels, in the bundle: its package.json marks the Node entry as side-effect free.
import { version_cpu } from '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { seededRng, shuffled } from './rng.ts';

/** Hidden layer width: enough for three well-separated species, small enough to train in seconds. */
const HIDDEN_UNITS = 16;
/** Mini-batch size: ~17 Adam steps per epoch on the ~266 training examples, so 5 epochs already converge. */
export const BATCH_SIZE = 16;

/**
 * Uses the pure-JS CPU backend: deterministic and needs no native addon (tfjs-node is not used).
 * @returns the versions in use, for the log.
 */
export async function useCpuBackend(): Promise<string> {
  // Production mode only silences tfjs's warnings, here its banner urging tfjs-node on stderr.
  tf.enableProdMode();
  await tf.setBackend('cpu');
  await tf.ready();
  return `tfjs-core ${tf.version_core}, tfjs-layers ${tfl.version_layers}, tfjs-backend-cpu ${version_cpu}`;
}

/**
 * A dense classifier: input → 16 relu → `classes` softmax, weights initialised from `seed`
 * (Glorot uniform, zero biases) so the same seed gives the same starting point.
 */
export function buildClassifier(
  inputWidth: number,
  classes: number,
  seed: number,
  learningRate: number,
): tfl.Sequential {
  const model = tfl.sequential({
    layers: [
      tfl.layers.dense({
        inputShape: [inputWidth],
        units: HIDDEN_UNITS,
        activation: 'relu',
        kernelInitializer: tfl.initializers.glorotUniform({ seed }),
        biasInitializer: 'zeros',
      }),
      tfl.layers.dense({
        units: classes,
        activation: 'softmax',
        kernelInitializer: tfl.initializers.glorotUniform({ seed: seed + 1 }),
        biasInitializer: 'zeros',
      }),
    ],
  });
  model.compile({
    optimizer: tf.train.adam(learningRate),
    loss: 'categoricalCrossentropy',
    metrics: ['accuracy'],
  });
  return model;
}

/** Loss and accuracy on the training data after one epoch. */
export interface EpochResult {
  /** 1-based epoch number. */
  readonly epoch: number;
  /** Mean categorical cross-entropy over the epoch's batches. */
  readonly loss: number;
  /** Mean training accuracy over the epoch's batches. */
  readonly accuracy: number;
}

/**
 * Trains for `epochs` epochs, reshuffling the examples before each with a generator seeded by
 * `seed` (tfjs's own shuffle uses Math.random, which would make runs differ).
 */
export async function train(
  model: tfl.Sequential,
  features: number[][],
  labels: number[],
  classes: number,
  epochs: number,
  seed: number,
  onEpoch: (r: EpochResult) => void,
): Promise<EpochResult[]> {
  const rng = seededRng(seed);
  const history: EpochResult[] = [];
  const order = features.map((_f, i) => i);
  for (let epoch = 1; epoch <= epochs; epoch++) {
    const perm = shuffled(order, rng);
    const x = tf.tensor2d(perm.map((i) => features[i] ?? []));
    const y = tf.oneHot(
      tf.tensor1d(
        perm.map((i) => labels[i] ?? 0),
        'int32',
      ),
      classes,
    );
    try {
      const h = await model.fit(x, y, { epochs: 1, batchSize: BATCH_SIZE, shuffle: false, verbose: 0 });
      const result = {
        epoch,
        loss: Number(h.history['loss']?.[0]),
        accuracy: Number(h.history['acc']?.[0] ?? h.history['accuracy']?.[0]),
      };
      history.push(result);
      onEpoch(result);
    } finally {
      x.dispose();
      y.dispose();
    }
  }
  return history;
}

/** Predicted class index for each row of `features`. */
export function predictClasses(model: tfl.LayersModel, features: number[][]): number[] {
  return tf.tidy(() => {
    const out = model.predict(tf.tensor2d(features)) as tf.Tensor;
    return Array.from(tf.argMax(out, -1).dataSync());
  });
}
