import type { ReportInput } from '../src/index.ts';

/** A realistic finished penguins run (figures from a local run), for tests and for looking at. */
export function sampleReportInput(overrides: Partial<ReportInput> = {}): ReportInput {
  const loss = [1.0412, 0.7321, 0.5127, 0.3893, 0.3012, 0.2431, 0.2019, 0.1722, 0.1498, 0.1322];
  const accuracy = [0.4586, 0.7406, 0.8571, 0.9286, 0.9586, 0.9737, 0.9812, 0.985, 0.9887, 0.9925];
  return {
    runId: 'penguins-17328446512345',
    pipeline: 'penguins',
    trigger: { kind: 'pubsub', id: '17328446512345', at: '2026-11-26T14:30:05.123Z' },
    parameters: { num_epochs: 10, learning_rate: 0.01 },
    commit: '4767884e1f0c2a9d6b3e8f7a1c2d3e4f5a6b7c8d',
    build: {
      id: 'b7d2c3e4-1111-4a2b-9c3d-5e6f7a8b9c0d',
      logUrl: 'http://127.0.0.1:8090/builds/b7d2c3e4/log',
    },
    image: {
      uri: 'us-central1-docker.pkg.dev/conveyor-local/conveyor/penguins:4767884',
      digest: 'sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
    },
    spec: {
      uri: 'gs://conveyor-local-conveyor/pipeline-root/specs/penguins/3a7bd3e2360a3d29eea436fcfb7e44c735d117c42d1c1835420b6b9942dd4f1b.json',
      sha256: '3a7bd3e2360a3d29eea436fcfb7e44c735d117c42d1c1835420b6b9942dd4f1b',
    },
    pipelineJob: 'projects/conveyor-local/locations/us-central1/pipelineJobs/penguins-17328446512345',
    state: 'PIPELINE_STATE_SUCCEEDED',
    tasks: [
      { name: 'example-gen', state: 'SUCCEEDED' },
      { name: 'trainer', state: 'SUCCEEDED' },
      { name: 'evaluator', state: 'SUCCEEDED' },
      { name: 'pusher', state: 'SUCCEEDED' },
    ],
    metrics: {
      accuracy: 0.9851,
      macro_f1: 0.9832,
      precision_Adelie: 0.9677,
      recall_Adelie: 1,
      threshold: 0.9,
    },
    modelUri: 'gs://conveyor-local-conveyor/serving/penguins/penguins-17328446512345',
    timings: {
      validating: 42,
      resolving: 180,
      building: 24_310,
      compiling: 35,
      uploading: 61,
      submitting: 88,
      running: 9_870,
      collecting: 40,
    },
    estimatedCost: {
      usd: 0.0317,
      basis: 'build 0.41 min × $0.003/min + pipeline run fee $0.03 + 0.003 h × $0.19/h (list prices)',
    },
    history: loss.map((l, i) => ({ epoch: i + 1, loss: l, accuracy: accuracy[i] ?? 0 })),
    webUiUrl: 'http://127.0.0.1:8233/namespaces/default/workflows/penguins-17328446512345',
    ...overrides,
  };
}
