// Composition root of the bridge: parse config once, build the Temporal and Pub/Sub clients, start
// pull + HTTP, drain on SIGTERM/SIGINT.
import { PubSub } from '@google-cloud/pubsub';
import { Client, Connection } from '@temporalio/client';
import { createLogger, temporalConnectionOptions } from '@conveyor/platform';
import { startTracing, tracingClientInterceptors } from '@conveyor/platform/tracing';
import { listPipelines } from '@conveyor/pipelines';
import { startBridge } from './bridge.ts';
import { assertKnownPipelines, loadConfig } from './config.ts';
import { ensurePubsubResources } from './resources.ts';
import { messageOf } from '@conveyor/contracts';
import { repoRoot } from '@conveyor/platform/repo-root';

// Local mode builds from this checkout (repoRoot) unless CONVEYOR_REPO_URL says otherwise.
const config = loadConfig(process.env, repoRoot);
assertKnownPipelines(config, listPipelines());
const logger = createLogger({ name: 'conveyor-bridge', level: config.logLevel });
// Before any client exists: spans of the start calls join the message's trace (tracing.ts).
const tracing = startTracing(config.tracing);

// Lazy: the bridge comes up (and nacks with backoff) even while Temporal is unreachable.
const connection = Connection.lazy(temporalConnectionOptions(config.temporal));
const client = new Client({
  connection,
  namespace: config.temporal.namespace,
  interceptors: tracingClientInterceptors(),
});
// Emulator mode: apiEndpoint + emulatorMode; never universeDomain (it turns emulator mode off). No
// metadata server either: without METADATA_SERVER_DETECTION=none the auth library probes for one.
if (config.emulatorHost) process.env['METADATA_SERVER_DETECTION'] ??= 'none';
const pubsub = config.emulatorHost
  ? new PubSub({ projectId: config.projectId, apiEndpoint: config.emulatorHost, emulatorMode: true })
  : new PubSub({ projectId: config.projectId });

if (config.ensureResources) {
  const ensured = await ensurePubsubResources(pubsub, {
    topic: config.topic,
    subscription: config.subscription,
    deadLetterTopic: config.deadLetterTopic,
  });
  logger.info(ensured, 'pub/sub resources ensured');
}

const bridge = await startBridge(config, { connection, client, pubsub, log: logger });

let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal, inFlight: bridge.stats.inFlight }, 'draining');
    void (async () => {
      try {
        await bridge.stop();
        await pubsub.close();
        await connection.close();
        await tracing.shutdown();
        logger.info({ stats: bridge.stats.snapshot() }, 'bridge stopped');
      } catch (e: unknown) {
        logger.error({ error: messageOf(e) }, 'error while stopping');
        process.exitCode = 1;
      }
    })();
  });
}
