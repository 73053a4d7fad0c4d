// `conveyor demo` (what `npm start` runs): the whole loop on the local stack. Stack up (with the
// worker and the bridge) → the original system's Pub/Sub message → the run the bridge started, followed live →
// report (lineage, accuracy, pushed model, time per stage, estimated cost, report.html) → a paused
// example schedule → serve until Ctrl-C (`--once`: stop what the demo started and exit).
import type { Command } from 'commander';
import { messageOf, type RunStatus } from '@conveyor/contracts';
import { stackDown, type StackConfig } from '@conveyor/stack';
import { connectDemo, type DemoClients } from '../demo/connect.ts';
import { LiveDisplay } from '../demo/display.ts';
import { saveReport, type ReportFiles } from '../demo/report.ts';
import { ensureExampleSchedule, enableCommands, EXAMPLE_SCHEDULE_ID } from '../demo/schedule.ts';
import { setUpDemo, type DemoSetup } from '../demo/setup.ts';
import { formatSummary, type DemoSummary } from '../demo/summary.ts';
import { ORIGINAL_MESSAGE, triggerRun, type TriggeredRun } from '../demo/trigger.ts';
import { followRun, type RunOutcome } from '../runs/watch.ts';
import { stackContext } from '../common/checkout.ts';
import { ExitCodes, FlagError } from '../common/errors.ts';
import { addOutputOption, formatOf, type OutputFlags } from '../common/output.ts';

interface DemoFlags extends OutputFlags {
  readonly once?: boolean;
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

/** The bridge would dead-letter a body that is not JSON and no run would start: say so now. */
function checkMessage(message: string): void {
  try {
    JSON.parse(message);
  } catch (e: unknown) {
    throw new FlagError('--message', `not JSON: ${messageOf(e)}`);
  }
}

/** Follows the run on the live display until it ends. */
async function followLive(
  run: TriggeredRun,
  out: NodeJS.WriteStream,
  plain: boolean,
  step: <T>(work: Promise<T>) => Promise<T>,
): Promise<RunOutcome> {
  const display = new LiveDisplay(out, run.handle.workflowId, run.startedAt, plain ? false : undefined);
  try {
    return await step(
      followRun(run.handle, (status: RunStatus | undefined, note: string | undefined) =>
        display.update(status, note),
      ),
    );
  } finally {
    display.stop();
  }
}

/** The run's report on local disk, when it completed. */
async function reportOf(
  clients: DemoClients,
  outcome: RunOutcome,
  dataDir: string,
  step: <T>(work: Promise<T>) => Promise<T>,
): Promise<ReportFiles | undefined> {
  if (outcome.status !== 'COMPLETED') return undefined;
  const { store } = clients.reportClients();
  return step(saveReport({ result: outcome.result, store, dataDir }));
}

/** Where the demo writes for people: stdout, or stderr when stdout carries the JSON summary. */
interface DemoOutput {
  readonly out: NodeJS.WriteStream;
  /** `-o json|jsonl`: the summary is the only thing on stdout. */
  readonly machine: boolean;
  readonly say: (line: string) => void;
}

/** Ctrl-C (or SIGTERM) for the rest of the demo: each step gives way to it. */
interface Interruptible {
  /** Resolves at the first signal. */
  readonly interrupted: Promise<'interrupted'>;
  /** `work`, or DemoInterrupted at the first signal (a signal listener disables Node's default exit). */
  step<T>(work: Promise<T>): Promise<T>;
  /** The run the message started, named by the interruption message. */
  runId?: string | undefined;
}

function interruptible(): Interruptible {
  const interrupted = new Promise<'interrupted'>((resolve) => {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => resolve('interrupted'));
  });
  const self: Interruptible = {
    interrupted,
    step: <T>(work: Promise<T>): Promise<T> =>
      Promise.race([
        work,
        interrupted.then((): never => {
          throw new DemoInterrupted(self.runId);
        }),
      ]),
  };
  return self;
}

/** The loop itself: publish, follow the run the bridge starts, save its report, the example schedule. */
async function runLoop(
  flags: DemoFlags,
  io: DemoOutput,
  ctx: { config: StackConfig; setup: DemoSetup; clients: DemoClients; signals: Interruptible },
  times: { t0: number; stackUpMs: number },
): Promise<DemoSummary> {
  const { config, setup, clients, signals } = ctx;
  const run = await triggerRun(
    clients,
    flags.message,
    { subscriptionMs: SUBSCRIPTION_TIMEOUT_MS, startMs: START_TIMEOUT_MS },
    signals.step,
    io.say,
    (id) => (signals.runId = id),
  );
  const webUi = clients.uiUrl(run.handle.workflowId);
  io.say(`the bridge started ${run.handle.workflowId}  ${webUi}`);
  const outcome = await followLive(run, io.out, io.machine, signals.step);
  const runMs = Date.now() - run.startedAt;
  const report = await reportOf(clients, outcome, config.dataDir, signals.step);
  const schedule = await signals.step(
    ensureExampleSchedule(clients.client, {
      repoUrl: setup.repoUrl,
      branch: setup.branch,
      taskQueue: clients.taskQueue,
    }),
  );
  return {
    runId: run.handle.workflowId,
    messageId: run.messageId,
    runKey: run.runKey,
    message: flags.message,
    status: outcome.status,
    ...(outcome.status === 'COMPLETED'
      ? { result: outcome.result }
      : { error: `${outcome.type ? `${outcome.type}: ` : ''}${outcome.error}` }),
    report,
    webUi,
    schedule: {
      scheduleId: EXAMPLE_SCHEDULE_ID,
      ...schedule,
      enable: enableCommands(
        setup.up.binaries.temporal,
        `${config.host}:${config.ports.temporal}`,
        config.namespace,
      ),
    },
    timings: {
      stackUpMs: times.stackUpMs,
      publishToStartMs: run.startedAt - run.publishedAt,
      runMs,
      totalMs: Date.now() - times.t0,
    },
    stack: { dataDir: config.dataDir, started: [...setup.up.started] },
  };
}

/** Keeps the stack serving until Ctrl-C. */
async function serve(
  io: DemoOutput,
  clients: DemoClients,
  message: string,
  signals: Interruptible,
): Promise<void> {
  io.say(
    `\nServing: Web UI ${clients.ui} · publish more with npx conveyor publish '${message}' · Ctrl-C stops what the demo started.`,
  );
  // Signal listeners alone do not keep Node running: without a timer it would exit right here.
  const keepAlive = setInterval(() => undefined, 60_000);
  await signals.interrupted;
  clearInterval(keepAlive);
  io.say('stopping…');
}

async function runDemo(flags: DemoFlags): Promise<void> {
  const t0 = Date.now();
  checkMessage(flags.message);
  // Human output on stdout; with -o json, progress goes to stderr so stdout is one JSON document.
  const machine = formatOf(flags) !== 'text';
  const out = machine ? process.stderr : process.stdout;
  const io: DemoOutput = { out, machine, say: (line) => out.write(`${line}\n`) };
  const ctx = stackContext(true);
  const stackCtx = { ...ctx, log: io.say };
  const { config } = ctx;
  io.say(
    'Conveyor demo: bringing up the local stack (first time: installs Temporal CLI, Pub/Sub emulator, fake GCS)…',
  );
  // Ctrl-C at any point after the stack is up stops what the demo started (the run itself lives on
  // in Temporal). Until then the default applies: stackUp stops what it started when it fails.
  const setup = await setUpDemo(stackCtx);
  const stackUpMs = Date.now() - t0;
  const signals = interruptible();
  // Stops only what this call started: a stack that was already running keeps running.
  const stopAll = async () => {
    if (setup.up.started.length) await stackDown(stackCtx, setup.up.started);
  };
  const clients = await connectDemo(config, setup);
  let summary: DemoSummary;
  try {
    summary = await runLoop(flags, io, { config, setup, clients, signals }, { t0, stackUpMs });
  } catch (e: unknown) {
    await clients.close();
    if (e instanceof DemoInterrupted) io.say(`\n${e.message}`);
    await stopAll();
    if (!(e instanceof DemoInterrupted)) throw e;
    process.exitCode = ExitCodes.interrupted;
    return;
  }
  await clients.close();
  if (machine) process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
  else io.say(`\n${formatSummary(summary)}`);
  if (!flags.once) await serve(io, clients, flags.message, signals);
  await stopAll();
  if (summary.status !== 'COMPLETED')
    process.exitCode = summary.status === 'CANCELLED' ? ExitCodes.cancelled : ExitCodes.runFailed;
}

/** `conveyor demo [--once] [-o json]`. */
export function registerDemo(program: Command): void {
  const command = program
    .command('demo')
    .description(
      'the whole loop locally: stack, worker, bridge, a Pub/Sub message, a training run followed live, its report',
    )
    .option('--once', 'exit after the run, stopping what the demo started')
    .option('--message <json>', 'message body to publish', ORIGINAL_MESSAGE)
    .action(runDemo);
  addOutputOption(command);
}
