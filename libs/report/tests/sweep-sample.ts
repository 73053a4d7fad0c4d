import type { SweepTrial } from '@conveyor/contracts';
import type { SweepReportInput } from '../src/index.ts';

const SWEEP_ID = 'sweep-penguins-20261126T143005Z';
const LEARNING_RATES = [1e-4, 1e-3, 1e-2, 1e-1];
const EPOCHS = [5, 10, 20];

/** Accuracy per (learning rate, epochs), as a local penguins sweep reported it. */
const ACCURACY: Record<string, number> = {
  '0.0001/5': 0.5522,
  '0.0001/10': 0.6418,
  '0.001/5': 0.8507,
  '0.001/10': 0.9104,
  '0.001/20': 0.9403,
  '0.01/5': 0.9552,
  '0.01/10': 0.9701,
  '0.01/20': 0.9851,
  '0.1/5': 0.9254,
  '0.1/10': 0.9403,
};

function trial(index: number, learningRate: number, epochs: number): SweepTrial {
  const runId = `${SWEEP_ID}-trial-${index}`;
  const base = {
    index,
    runId,
    parameters: { learning_rate: learningRate, num_epochs: epochs, seed: 42 },
    pipelineJob: `projects/conveyor-local/locations/us-central1/pipelineJobs/${runId}-a1b2c3d4`,
  };
  const accuracy = ACCURACY[`${learningRate}/${epochs}`];
  if (learningRate === 1e-4 && epochs === 20) {
    return {
      ...base,
      state: 'cancelled',
      metrics: {},
      error: 'cancelled: the sweep was asked to stop early',
    };
  }
  if (accuracy === undefined) {
    return {
      ...base,
      state: 'failed',
      metrics: {},
      error:
        "pipeline task 'trainer' failed: loss became NaN at epoch 7 (learning rate too high?); log: gs://conveyor-local-conveyor/pipeline-root/logs/trainer.log",
    };
  }
  return {
    ...base,
    state: 'succeeded',
    metrics: {
      accuracy,
      loss: Number((1.1 * (1 - accuracy) + 0.05).toFixed(4)),
      macro_f1: Number((accuracy - 0.004).toFixed(4)),
      precision_Adelie: Number(Math.min(1, accuracy + 0.01).toFixed(4)),
      recall_Adelie: Number(Math.min(1, accuracy + 0.02).toFixed(4)),
      threshold: 0.9,
    },
    blessed: accuracy >= 0.9,
    modelArtifactUri: `gs://conveyor-local-conveyor/pipeline-root/${runId}/trainer/model`,
  };
}

/** A finished 12-trial penguins sweep (learning_rate × num_epochs): one failed, one cancelled. */
export function sampleSweepInput(overrides: Partial<SweepReportInput> = {}): SweepReportInput {
  const trials = LEARNING_RATES.flatMap((lr, i) => EPOCHS.map((e, j) => trial(i * EPOCHS.length + j, lr, e)));
  const best = trials.find((t) => t.metrics['accuracy'] === 0.9851);
  return {
    sweepId: SWEEP_ID,
    pipeline: 'penguins',
    commit: '4767884e1f0c2a9d6b3e8f7a1c2d3e4f5a6b7c8d',
    image: {
      uri: 'us-central1-docker.pkg.dev/conveyor-local/conveyor/penguins:4767884',
      digest: 'sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
      buildId: 'b7d2c3e4-1111-4a2b-9c3d-5e6f7a8b9c0d',
      reused: true,
    },
    metric: 'accuracy',
    goal: 'max',
    trials,
    best,
    promoted: {
      uri: 'gs://conveyor-local-conveyor/serving/penguins/20261126T150112Z',
      version: '20261126T150112Z',
    },
    webUiUrl: `http://127.0.0.1:8233/namespaces/default/workflows/${SWEEP_ID}`,
    ...overrides,
  };
}
