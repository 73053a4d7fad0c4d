// Observability of real runs, end to end: the worker and the bridge run as their own processes
// (the same composition as in production), export spans over OTLP to an in-process receiver, serve
// Prometheus metrics, and log JSON lines. The test publishes a message through Google's Pub/Sub
// client with its OpenTelemetry tracing on, so one trace reaches from the publisher to the Vertex
// AI call of the run the bridge starts.
import { PubSub } from '@google-cloud/pubsub';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { MetricNames, type TrainingRunResult } from '@conveyor/contracts';
import { startTracing, type Tracing } from '@conveyor/platform/tracing';
import {
  family,
  parsePrometheus,
  startOtlpReceiver,
  uniqueName,
  type OtlpReceiver,
  type PrometheusSample,
  type ReceivedSpan,
} from '@conveyor/testing';
import { startHarness, type Harness } from './harness.ts';
import { bridgeMain, freePort, startChild, tinyWorkerScript, type Child } from './processes.ts';
import { waitFor } from './wait.ts';

describe('observability of real runs (worker and bridge processes)', () => {
  let h: Harness;
  let receiver: OtlpReceiver;
  let publisherTracing: Tracing;
  let worker: Child;
  let bridge: Child;
  let metricsUrl: string;
  let topic: string;
  let built: TrainingRunResult;
  let bridgeRunId: string;

  beforeAll(async () => {
    h = await startHarness();
    receiver = await startOtlpReceiver();
    const stack = h.workerEnv();
    const metricsPort = await freePort();
    metricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;
    const otel = { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint };
    worker = await startChild(
      tinyWorkerScript,
      {
        ...process.env,
        ...stack,
        ...otel,
        CONVEYOR_METRICS_ADDRESS: `127.0.0.1:${metricsPort}`,
        LOG_LEVEL: 'debug',
      },
      'tiny-worker ready',
    );
    topic = uniqueName('obs-t');
    bridge = await startChild(
      bridgeMain,
      {
        ...process.env,
        ...otel,
        TEMPORAL_ADDRESS: stack['TEMPORAL_ADDRESS'] ?? '',
        TEMPORAL_NAMESPACE: stack['TEMPORAL_NAMESPACE'] ?? '',
        GOOGLE_CLOUD_PROJECT: inject('stack').pubsub.projectId,
        PUBSUB_EMULATOR_HOST: inject('stack').pubsub.emulatorHost,
        CONVEYOR_TOPIC: topic,
        CONVEYOR_SUBSCRIPTION: `${topic}-s`,
        CONVEYOR_DEAD_LETTER_TOPIC: `${topic}-dl`,
        CONVEYOR_ENSURE_RESOURCES: 'true',
        CONVEYOR_TASK_QUEUE: h.taskQueue,
        // The traced message names a precompiled spec: the operator trusts the harness's pipeline root.
        CONVEYOR_SPEC_PREFIXES: `${h.pipelineRoot}/specs/`,
        CONVEYOR_BRIDGE_PORT: '0',
        LOG_LEVEL: 'info',
      },
      '"bridge listening"',
    );
    // The publisher's spans go to the same receiver, as a traced publishing service's would.
    publisherTracing = startTracing({ serviceName: 'publisher', otlpEndpoint: receiver.endpoint });
    // A first run builds the image and compiles the spec the bridge's run then submits.
    built = await (await h.start({ parameters: { num_epochs: 2 } })).result();
  }, 300_000);

  afterAll(async () => {
    await bridge?.stop();
    await worker?.stop();
    await publisherTracing?.shutdown();
    await receiver?.close();
    await h?.close();
  });

  it('a message published with trace context yields one trace: publisher → bridge → workflow → activities → Google API calls', async () => {
    const pubsub = new PubSub({
      projectId: inject('stack').pubsub.projectId,
      apiEndpoint: inject('stack').pubsub.emulatorHost,
      emulatorMode: true,
      enableOpenTelemetryTracing: true,
    });
    const runKey = uniqueName('traced');
    // A precompiled spec (the tiny one built above): the default pipeline's parameters are typed by
    // the bridge, the spec's by the run.
    await pubsub.topic(topic).publishMessage({
      json: { num_epochs: 3 },
      attributes: { runKey, spec: built.spec.uri },
    });
    await pubsub.close();
    bridgeRunId = `penguins-key-${runKey}`;
    const handle = h.client.workflow.getHandle(bridgeRunId);
    await waitFor('the bridge to start the run', 60_000, async () => (await handle.describe()).runId);
    const result = await handle.result();
    expect(result.state).toBe('PIPELINE_STATE_SUCCEEDED');
    await publisherTracing.flush();

    // The bridge's span names the message; its trace is the run's.
    const bridgeSpan = await waitFor('the bridge span', 30_000, async () =>
      receiver.spans().find((s) => s.name === 'conveyor.bridge.message' && s.service === 'conveyor-bridge'),
    );
    const inTrace = (): ReceivedSpan[] => receiver.spans().filter((s) => s.traceId === bridgeSpan.traceId);
    const needed = [
      ['publisher', undefined],
      ['conveyor-bridge', 'StartWorkflow:trainingRun'],
      ['conveyor-worker', 'RunWorkflow:trainingRun'],
      ['conveyor-worker', 'StartActivity:submitPipelineJob'],
      ['conveyor-worker', 'RunActivity:submitPipelineJob'],
      ['conveyor-worker', 'PipelineService.createPipelineJob'],
      ['conveyor-worker', 'Storage.download'],
      ['conveyor-worker', 'RunActivity:writeReport'],
    ] as const;
    const spans = await waitFor('every span of the run (exported in batches)', 30_000, async () => {
      const all = inTrace();
      const has = ([service, name]: (typeof needed)[number]) =>
        all.some((s) => s.service === service && (name === undefined || s.name === name));
      return needed.every(has) ? all : undefined;
    });
    const byName = (name: string) => spans.find((s) => s.name === name);
    // The chain, parent by parent.
    const publisherSpanIds = spans.filter((s) => s.service === 'publisher').map((s) => s.spanId);
    expect(publisherSpanIds).toContain(bridgeSpan.parentSpanId);
    expect(byName('StartWorkflow:trainingRun')?.parentSpanId).toBe(bridgeSpan.spanId);
    expect(byName('RunWorkflow:trainingRun')?.parentSpanId).toBe(byName('StartWorkflow:trainingRun')?.spanId);
    expect(byName('RunActivity:submitPipelineJob')?.parentSpanId).toBe(
      byName('StartActivity:submitPipelineJob')?.spanId,
    );
    const create = byName('PipelineService.createPipelineJob');
    expect(create?.parentSpanId).toBe(byName('RunActivity:submitPipelineJob')?.spanId);
    expect(create).toMatchObject({
      kind: 3,
      attributes: { 'rpc.system': 'grpc', 'rpc.method': 'createPipelineJob' },
    });
    expect(byName('StartWorkflow:trainingRun')?.attributes['temporalWorkflowId']).toBe(bridgeRunId);
  });

  it("the worker's /metrics: Temporal SDK metrics and Conveyor's runs, stage durations and builds, labelled", async () => {
    const invalid = await h.start({ parameters: { num_epochs: '3.5' } });
    await invalid.result().catch(() => undefined);
    // Workflow metrics leave the workflow with its task completion; give the exporter a moment.
    const families = await waitFor('the failed run in the metrics', 20_000, async () => {
      const parsed = parsePrometheus(await (await fetch(metricsUrl)).text());
      const runs = parsed.find((f) => f.name === MetricNames.runs);
      return runs?.metrics.some((m) => m.labels?.['outcome'] === 'failed') ? parsed : undefined;
    });
    const sample = (name: string, labels: Record<string, string>): PrometheusSample | undefined =>
      family(families, name).metrics.find((m) =>
        Object.entries(labels).every(([k, v]) => m.labels?.[k] === v),
      );
    const common = { taskQueue: h.taskQueue, workflowType: 'trainingRun' };
    expect(family(families, MetricNames.runs).type).toBe('COUNTER');
    expect(
      sample(MetricNames.runs, {
        ...common,
        pipeline: 'tiny',
        trigger: 'manual',
        outcome: 'succeeded',
        error: '',
      })?.value,
    ).toBe('1');
    expect(
      sample(MetricNames.runs, { ...common, pipeline: 'penguins', trigger: 'pubsub', outcome: 'succeeded' })
        ?.value,
    ).toBe('1');
    expect(
      sample(MetricNames.runs, { pipeline: 'tiny', outcome: 'failed', error: 'InvalidParameters' })?.value,
    ).toBe('1');
    expect(sample(MetricNames.runsStarted, { pipeline: 'tiny', trigger: 'manual' })?.value).toBe('2');
    expect(sample(MetricNames.builds, { pipeline: 'tiny', action: 'started' })?.value).toBe('1');
    const stages = family(families, MetricNames.stageDuration);
    expect(stages.type).toBe('HISTOGRAM');
    const building = sample(MetricNames.stageDuration, { pipeline: 'tiny', stage: 'building' });
    expect(building?.count).toBe('1');
    expect(Number(building?.sum)).toBeGreaterThan(0);
    // Conveyor's buckets (half a second to a day), not the SDK's millisecond defaults.
    expect(Object.keys(building?.buckets ?? {})).toEqual(expect.arrayContaining(['0.5', '3600', '86400']));
    expect(sample(MetricNames.stageDuration, { pipeline: 'penguins', stage: 'running' })?.count).toBe('1');
    // The SDK's own worker metrics on the same endpoint.
    expect(
      sample('temporal_workflow_completed', { task_queue: h.taskQueue, workflow_type: 'trainingRun' })?.value,
    ).toBe('2');
  });

  it('every worker log line has a Cloud Logging severity, and every line of a run its workflowId and runId', async () => {
    const lines = worker.lines;
    expect(lines.length).toBeGreaterThan(20);
    const severities = new Set(['DEBUG', 'INFO', 'WARNING', 'ERROR', 'CRITICAL']);
    expect(lines.filter((l) => !severities.has(String(l['severity'])))).toEqual([]);
    const runIds = [built.runId, bridgeRunId];
    const ofRun = lines.filter(
      (l) =>
        'workflowType' in l || 'activityType' in l || runIds.some((id) => JSON.stringify(l).includes(id)),
    );
    expect(ofRun.length).toBeGreaterThan(10);
    const missing = ofRun.filter(
      (l) => typeof l['workflowId'] !== 'string' || typeof l['runId'] !== 'string',
    );
    expect(missing).toEqual([]);
    // What an activity of a traced run logs carries the trace id, and so links to the trace.
    const activity = ofRun.find(
      (l) => l['workflowId'] === bridgeRunId && l['msg'] === 'pipeline job created',
    );
    expect(activity?.['trace_id']).toMatch(/^[0-9a-f]{32}$/);
    expect(activity?.['logging.googleapis.com/trace']).toBe(
      `projects/${h.workerEnv()['GOOGLE_CLOUD_PROJECT']}/traces/${String(activity?.['trace_id'])}`,
    );
  });
});
