// One worker process of bench/src/scale.ts: trainingRun and its activities over the fake cloud whose
// Vertex jobs live in a directory shared with the other worker processes (fake-cloud.ts). Says
// `ready` on stdout once polling; SIGTERM shuts it down, SIGKILL is the crash the benchmark inflicts.
//
//   node bench/src/scale-worker.ts <task queue> <jobs dir> <bundle path> <poll ms>
import { NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { createActivities } from '@conveyor/activities';
import { benchActivityDeps, directoryVertex } from './fake-cloud.ts';
import { benchStackEnv } from './stack-env.ts';

const [taskQueue, jobsDir, bundle, pollMs] = process.argv.slice(2);
if (!taskQueue || !jobsDir || !bundle || !pollMs) {
  process.stderr.write('usage: scale-worker.ts <task queue> <jobs dir> <bundle path> <poll ms>\n');
  process.exit(2);
}
const address = benchStackEnv(process.env)['TEMPORAL_ADDRESS'] ?? '';
// Keep the SDK quiet: the BENIGN "still running" retries are the point, not news.
Runtime.install({ logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} } });
const connection = await NativeConnection.connect({ address });
const worker = await Worker.create({
  connection,
  namespace: process.env['TEMPORAL_NAMESPACE'] ?? 'default',
  taskQueue,
  workflowBundle: { codePath: bundle },
  activities: createActivities(benchActivityDeps(directoryVertex(jobsDir), Number(pollMs))),
});
process.once('SIGTERM', () => worker.shutdown());
const running = worker.run();
process.stdout.write('ready\n');
await running;
await connection.close();
