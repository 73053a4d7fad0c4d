// `conveyor demo` (what `npm start` runs): the whole loop on the local stack. Stack up (with the
// worker and the bridge) → the original system's Pub/Sub message → the run the bridge started, followed live →
// report (lineage, accuracy, pushed model, time per stage, estimated cost, report.html) → a paused
// example schedule → serve until Ctrl-C (`--once`: stop what the demo started and exit).
import type { Command } from 'commander';
import { PubSub } from '@google-cloud/pubsub';
import { Client, Connection } from '@temporalio/client';
import { TaskQueues, TriggerKeyNamespaces, triggerWorkflowId, type RunStatus } from '@conveyor/contracts';
import { ObjectStore, parseGrpcEndpoint, VertexPipelines } from '@conveyor/gcp';
import { workflowUiUrl } from '@conveyor/platform';
import { stackDown } from '@conveyor/stack';
import { followRun, type RunOutcome } from '../runs/watch.ts';
import { LiveDisplay } from '../demo/display.ts';
import { saveReport, type ReportFiles } from '../demo/report.ts';
import { ensureExampleSchedule, enableCommands, EXAMPLE_SCHEDULE_ID } from '../demo/schedule.ts';
import { setUpDemo } from '../demo/setup.ts';
import { formatSummary, type DemoSummary } from '../demo/summary.ts';
import { demoRunKey, findRun, ORIGINAL_MESSAGE, publish, waitForSubscription } from '../demo/trigger.ts';
import { FlagError } from '../schedule/options.ts';
import { stackContext } from './stack.ts';

interface DemoFlags {
  readonly once?: boolean;
  readonly json?: boolean;
  readonly message: string;
}

/** The bridge creates the subscription at start; 60 s covers a cold start on a loaded machine. */
const SUBSCRIPTION_TIMEOUT_MS = 60_000;
/** Publish → workflow started takes milliseconds; 60 s means the bridge is not consuming. */
const START_TIMEOUT_MS = 60_000;

/** Ctrl-C (or SIGTERM) arrived before the demo finished. */
class DemoInterrupted extends Error {
  override readonly name = 'DemoInterrupted';
  constructor(workflowId: string | undefined) {
    super(
      workflowId
        ? `interrupted: stopping what the demo started; ${workflowId} stays in Temporal, but its local build or pipeline job stops with the emulator`
        : 'interrupted: stopping what the demo started',
    );
  }
}

async function runDemo(flags: DemoFlags): Promise<void> {
  const t0 = Date.now();
  // The bridge would dead-letter a body that is not JSON and no run would start: say so now.
  try {
    JSON.parse(flags.message);
  } catch (e: unknown) {
    throw new FlagError('--message', `not JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  // Human output on stdout; with --json, progress goes to stderr so stdout is one JSON document.
  const out = flags.json ? process.stderr : process.stdout;
  const say = (line: string) => out.write(`${line}\n`);
  const ctx = stackContext(true);
  const stackCtx = { ...ctx, log: say };
  say(
    'Conveyor demo: bringing up the local stack (first time: installs Temporal CLI, Pub/Sub emulator, fake GCS)…',
  );
  // Ctrl-C at any point after the stack is up stops what the demo started (the run itself lives on
  // in Temporal). Until then the default applies: stackUp stops what it started when it fails.
  const setup = await setUpDemo(stackCtx);
  const interrupted = new Promise<'interrupted'>((resolve) => {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => resolve('interrupted'));
  });
  let workflowId: string | undefined;
  /** Each step of the demo gives way to Ctrl-C (a signal listener disables Node's default exit). */
  const step = <T>(work: Promise<T>): Promise<T> =>
    Promise.race([
      work,
      interrupted.then((): never => {
        throw new DemoInterrupted(workflowId);
      }),
    ]);
  const { config } = ctx;
  const stackUpMs = Date.now() - t0;
  // Stops only what this call started: a stack that was already running keeps running.
  const stopAll = async () => {
    if (setup.up.started.length) await stackDown(stackCtx, setup.up.started);
  };
  const env = setup.env;
  const project = config.projectId;
  // Local mode: without this the Google clients probe the GCE metadata server (and warn).
  process.env['METADATA_SERVER_DETECTION'] ??= 'none';
  const pubsub = new PubSub({
    projectId: project,
    apiEndpoint: env['PUBSUB_EMULATOR_HOST'],
    emulatorMode: true,
  });
  const connection = await Connection.connect({ address: `${config.host}:${config.ports.temporal}` });
  const client = new Client({ connection, namespace: config.namespace });
  let failed = false;
  try {
    const topic = env['CONVEYOR_TOPIC'] || 'conveyor-training';
    await step(
      waitForSubscription(
        pubsub,
        env['CONVEYOR_SUBSCRIPTION'] || 'conveyor-training-bridge',
        SUBSCRIPTION_TIMEOUT_MS,
      ),
    );
    const publishedAt = Date.now();
    const runKey = demoRunKey(new Date(publishedAt));
    const messageId = await publish(pubsub, topic, flags.message, runKey);
    say(`published ${flags.message} to ${topic} (message ${messageId}, runKey ${runKey})`);
    const pipeline = env['CONVEYOR_DEFAULT_PIPELINE'] || 'penguins';
    workflowId = triggerWorkflowId(pipeline, TriggerKeyNamespaces.runKey, runKey);
    const handle = await step(findRun(client, workflowId, START_TIMEOUT_MS));
    const runStarted = Date.now();
    const webUi = workflowUiUrl(
      `http://${config.host}:${config.ports.temporalUi}`,
      config.namespace,
      handle.workflowId,
    );
    say(`the bridge started ${handle.workflowId}  ${webUi}`);

    const display = new LiveDisplay(out, handle.workflowId, runStarted, flags.json ? false : undefined);
    let outcome: RunOutcome;
    try {
      outcome = await step(
        followRun(handle, (status: RunStatus | undefined, note: string | undefined) =>
          display.update(status, note),
        ),
      );
    } finally {
      display.stop();
    }
    const runMs = Date.now() - runStarted;

    let report: ReportFiles | undefined;
    if (outcome.status === 'COMPLETED') {
      const store = new ObjectStore({ projectId: project, endpoint: env['CONVEYOR_STORAGE_ENDPOINT'] });
      const vertex = new VertexPipelines({
        projectId: project,
        region: env['CONVEYOR_REGION'] || 'us-central1',
        endpoint: parseGrpcEndpoint(env['CONVEYOR_AIPLATFORM_ENDPOINT']),
      });
      try {
        report = await step(
          saveReport({
            result: outcome.result,
            store,
            getJob: (name) => vertex.getPipelineJob(name),
            dataDir: config.dataDir,
            webUiUrl: webUi,
          }),
        );
      } finally {
        await vertex.close();
      }
    }

    const schedule = await step(
      ensureExampleSchedule(client, {
        repoUrl: setup.repoUrl,
        branch: setup.branch,
        taskQueue: env['CONVEYOR_TASK_QUEUE'] || TaskQueues.training,
      }),
    );
    const summary: DemoSummary = {
      workflowId: handle.workflowId,
      messageId,
      runKey,
      message: flags.message,
      status: outcome.status,
      ...(outcome.status === 'COMPLETED'
        ? { result: outcome.result }
        : { error: `${outcome.type ? `${outcome.type}: ` : ''}${outcome.error}` }),
      report,
      webUi,
      schedule: {
        id: EXAMPLE_SCHEDULE_ID,
        ...schedule,
        enable: enableCommands(
          setup.up.binaries.temporal,
          `${config.host}:${config.ports.temporal}`,
          config.namespace,
        ),
      },
      timings: { stackUpMs, publishToStartMs: runStarted - publishedAt, runMs, totalMs: Date.now() - t0 },
      stack: { dataDir: config.dataDir, started: [...setup.up.started] },
    };
    if (flags.json) process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
    else say(`\n${formatSummary(summary)}`);
    failed = outcome.status !== 'COMPLETED';
  } catch (e: unknown) {
    await connection.close();
    await pubsub.close();
    if (e instanceof DemoInterrupted) say(`\n${e.message}`);
    await stopAll();
    if (e instanceof DemoInterrupted) {
      process.exitCode = 130;
      return;
    }
    throw e;
  }
  await connection.close();
  await pubsub.close();
  if (!flags.once) {
    say(
      `\nServing: Web UI http://${config.host}:${config.ports.temporalUi} · publish more with npx conveyor publish '${flags.message}' · Ctrl-C stops what the demo started.`,
    );
    // Signal listeners alone do not keep Node running: without a timer it would exit right here.
    const keepAlive = setInterval(() => undefined, 60_000);
    await interrupted;
    clearInterval(keepAlive);
    say('stopping…');
  }
  await stopAll();
  if (failed) process.exitCode = 2;
}

/** `conveyor demo [--once] [--json]`. */
export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description(
      'the whole loop locally: stack, worker, bridge, a Pub/Sub message, a training run followed live, its report',
    )
    .option('--once', 'exit after the run, stopping what the demo started')
    .option('--json', 'print the final report as JSON on stdout (progress goes to stderr)')
    .option('--message <json>', 'message body to publish', ORIGINAL_MESSAGE)
    .action(runDemo);
}
