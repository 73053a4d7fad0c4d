// Assembles the bridge from its parts. main.ts builds the clients from config and calls startBridge;
// tests call it in-process with their own clients.
import type { Server } from 'node:http';
import type { PubSub } from '@google-cloud/pubsub';
import type { Client, Connection } from '@temporalio/client';
import { createPushAuthenticator, type CertSource } from './auth.ts';
import { Backoff } from './backoff.ts';
import type { BridgeConfig } from './config.ts';
import { createDeadLetterPublisher } from './dead-letter.ts';
import { createMessageHandler, type HandlerLog } from './handler.ts';
import { startHttpServer, type ReadinessCheck } from './http.ts';
import { startPull, type PullSubscriber } from './pull.ts';
import { PUSH_BODY_LIMIT_BYTES } from './push.ts';
import { createStarter } from './start.ts';
import { BridgeStats } from './stats.ts';
import { tracedHandler } from './tracing.ts';
import { createWebhookHandler, webhookSecretReader } from './webhook.ts';

/** Backoff starts at 250 ms: long enough not to spin, short enough that a blip costs little. */
const BACKOFF_BASE_MS = 250;

/** Readiness probes must answer fast; 2 s is plenty for a health RPC. */
const PROBE_TIMEOUT_MS = 2_000;

/** What startBridge needs from outside. */
export interface BridgeDeps {
  readonly connection: Connection;
  readonly client: Client;
  readonly pubsub: PubSub;
  readonly log: HandlerLog & { error(obj: object, msg: string): void };
  /** Google's OIDC certs by default; tests inject their own. */
  readonly certs?: CertSource;
}

/** A running bridge. */
export interface RunningBridge {
  readonly port: number;
  readonly stats: BridgeStats;
  /** Stops pulling, drains in-flight messages, closes the HTTP server. */
  readonly stop: () => Promise<void>;
}

/** Starts pull (when enabled) and the HTTP server. */
export async function startBridge(config: BridgeConfig, deps: BridgeDeps): Promise<RunningBridge> {
  const { connection, client, pubsub, log } = deps;
  const stats = new BridgeStats();
  let draining = false;
  const start = createStarter(client, connection, {
    taskQueue: config.taskQueue,
    startTimeoutMs: config.startTimeoutMs,
  });
  const untraced = createMessageHandler({
    stats,
    log,
    options: {
      defaultPipeline: config.defaultPipeline,
      specPrefixes: config.specPrefixes,
      maxMessageBytes: config.maxMessageBytes,
      repoUrl: config.repoUrl,
      defaultBranch: config.branch,
      messageIdsRestart: config.emulatorHost !== undefined,
    },
    // The start deadline bounds the SDK's own gRPC retries, so an unreachable Temporal turns into a
    // nack (and backoff) instead of a message held for minutes.
    start: (decoded) => start(decoded),
    deadLetter: createDeadLetterPublisher(pubsub.topic(config.deadLetterTopic)),
  });
  const handler = tracedHandler(untraced);
  let subscriber: PullSubscriber | undefined;
  if (config.pull) {
    subscriber = startPull(pubsub, {
      subscription: config.subscription,
      flowControl: config.flowControl,
      drainTimeoutMs: config.drainTimeoutMs,
      handler,
      backoff: new Backoff(BACKOFF_BASE_MS, config.maxBackoffMs),
      log,
    });
  }
  const secret = config.github && webhookSecretReader(config.github.secret);
  // What /readyz checks (README "HTTP"): nothing here reads subscription metadata, so the bridge's
  // identity needs no more than roles/pubsub.subscriber on its subscription.
  const readiness: Record<string, ReadinessCheck> = {
    temporal: async () => {
      await connection.withDeadline(Date.now() + PROBE_TIMEOUT_MS, () => connection.healthService.check({}));
      return { ok: true, detail: 'SERVING' };
    },
  };
  if (subscriber) readiness['pull'] = () => Promise.resolve(subscriber.health());
  if (secret) {
    readiness['webhook'] = async () => {
      await secret();
      return { ok: true, detail: 'secret readable' };
    };
  }
  const { server, port } = await startHttpServer(
    {
      stats,
      handler,
      authenticate: createPushAuthenticator(config.pushAuth, deps.certs),
      readiness,
      draining: () => draining,
      // Any message Pub/Sub accepted must reach the handler (and be dead-lettered as too large).
      maxBodyBytes: PUSH_BODY_LIMIT_BYTES,
      webhook:
        config.github &&
        secret &&
        createWebhookHandler({
          github: config.github,
          repoUrl: config.repoUrl,
          secret,
          start,
          startTimeoutMs: config.startTimeoutMs,
          stats,
          log,
        }),
      log,
    },
    config.http.host,
    config.http.port,
  );
  log.info(
    {
      port,
      pull: config.pull,
      push: config.pushAuth.kind,
      webhook: config.github
        ? { branches: config.github.branches, pipelines: config.github.pipelines }
        : false,
    },
    'bridge listening',
  );
  return {
    port,
    stats,
    stop: async () => {
      draining = true;
      await subscriber?.drain();
      await closeServer(server);
    },
  };
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  });
}
