// POST /webhooks/github: a signed GitHub delivery → training runs (push), 200 (ping), 202 (any other
// event, or a push this bridge does not train). Nothing starts unless the signature is right.
import { readFile } from 'node:fs/promises';
import type { IncomingHttpHeaders } from 'node:http';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { GithubHeaders, messageOf } from '@conveyor/contracts';
import { verifyGithubSignature } from '@conveyor/platform';
import { AUTH_BODY } from './auth.ts';
import { parseJsonBody } from './body.ts';
import type { GithubWebhookConfig, WebhookSecretSource } from './config.ts';
import { decidePush } from './github.ts';
import { describeError, LOGGED_DETAIL_BYTES, type HandlerLog } from './handler.ts';
import type { Startable } from './start.ts';
import type { BridgeStats, WebhookOutcome } from './stats.ts';
import { cutUtf8 } from './utf8.ts';

/** Where GitHub posts. */
export const GITHUB_WEBHOOK_PATH = '/webhooks/github';

/** GitHub caps webhook payloads at 25 MB and drops larger ones, so every delivery it sends fits. */
export const WEBHOOK_BODY_LIMIT_BYTES = 25 * 1024 * 1024;

/**
 * GitHub records a delivery not answered within 10 s as failed (and never retries it by itself), so a
 * start gets at most 8 s, leaving time to answer.
 */
const WEBHOOK_START_TIMEOUT_MS = 8_000;

/** Shortest secret accepted, from a file as from the environment. */
const MIN_SECRET_LENGTH = 16;

/** An HTTP answer. */
export interface WebhookResponse {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

/** Handles one delivery: its headers and raw body (the signature covers the bytes as sent). */
export type WebhookHandler = (headers: IncomingHttpHeaders, body: Buffer) => Promise<WebhookResponse>;

/**
 * Reads the webhook's secret: the configured value, or the file's content read afresh each time (a
 * mounted secret may rotate), without the line break a file usually ends with.
 * @throws Error when the file cannot be read or holds fewer than 16 characters.
 */
export function webhookSecretReader(source: WebhookSecretSource): () => Promise<string> {
  if (source.kind === 'value') return () => Promise.resolve(source.value);
  return async () => {
    const secret = (await readFile(source.path, 'utf8')).replace(/\r?\n$/, '');
    if (secret.length < MIN_SECRET_LENGTH) {
      throw new Error(`the webhook secret file holds fewer than ${MIN_SECRET_LENGTH} characters`);
    }
    return secret;
  };
}

/** What {@link createWebhookHandler} needs. */
export interface WebhookDeps {
  readonly github: GithubWebhookConfig;
  /** The repository this bridge builds (CONVEYOR_REPO_URL). */
  readonly repoUrl: string;
  readonly secret: () => Promise<string>;
  /** Starts a run (USE_EXISTING / REJECT_DUPLICATE, like a message's); the second argument is its deadline. */
  readonly start: (work: Startable, timeoutMs: number) => Promise<unknown>;
  /** CONVEYOR_START_TIMEOUT_MS; the webhook uses at most 8 s of it. */
  readonly startTimeoutMs: number;
  readonly stats: BridgeStats;
  readonly log: HandlerLog;
  /** @default Date.now */
  readonly now?: () => number;
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Builds the handler. It never throws: every failure is an answer. */
export function createWebhookHandler(deps: WebhookDeps): WebhookHandler {
  const { stats, log } = deps;
  const now = deps.now ?? Date.now;
  const timeoutMs = Math.min(deps.startTimeoutMs, WEBHOOK_START_TIMEOUT_MS);
  const answer = (outcome: WebhookOutcome, status: number, body: Record<string, unknown>) => {
    stats.webhook[outcome]++;
    return { status, body };
  };

  return async (headers, raw) => {
    let secret: string;
    try {
      secret = await deps.secret();
    } catch (e: unknown) {
      log.error({ error: messageOf(e) }, 'webhook secret unavailable');
      return answer('failed', 503, { error: 'the webhook is not available, retry later' });
    }
    const signature = header(headers, GithubHeaders.signature);
    if (!verifyGithubSignature(secret, raw, signature)) {
      // A fixed reason word: neither the signature nor the body reaches the log.
      log.warn({ reason: signature ? 'bad-signature' : 'missing-signature' }, 'webhook delivery rejected');
      return answer('unauthenticated', 401, AUTH_BODY[401]);
    }
    const event = header(headers, GithubHeaders.event);
    const delivery = header(headers, GithubHeaders.delivery);
    if (event === 'ping') return answer('ping', 200, { ok: true, event });
    if (event !== 'push') {
      const reason = event
        ? `event '${event}' is not handled (only push and ping)`
        : 'no X-GitHub-Event header';
      return answer('ignored', 202, { ignored: reason });
    }
    if (delivery === undefined) return answer('invalid', 400, { error: 'no X-GitHub-Delivery header' });
    const body = parseJsonBody(raw);
    if (!body.ok) return answer('invalid', 400, { error: body.error });
    const decision = decidePush(body.value, delivery, { repoUrl: deps.repoUrl, ...deps.github }, now());
    if (decision.kind === 'invalid') {
      log.warn(
        { delivery, detail: cutUtf8(decision.detail, LOGGED_DETAIL_BYTES) },
        'webhook delivery is not a push payload',
      );
      return answer('invalid', 400, { error: `not a push event: ${decision.detail}` });
    }
    if (decision.kind === 'ignored') {
      log.info({ delivery, reason: decision.reason }, 'push ignored');
      return answer('ignored', 202, { delivery, ignored: decision.reason });
    }
    const runs = await Promise.all(
      decision.runs.map(async (run) => {
        try {
          await deps.start(run, timeoutMs);
          return { workflowId: run.workflowId, outcome: 'started' as const };
        } catch (e: unknown) {
          if (e instanceof WorkflowExecutionAlreadyStartedError) {
            return { workflowId: run.workflowId, outcome: 'duplicate' as const };
          }
          log.warn({ delivery, workflowId: run.workflowId, error: describeError(e) }, 'webhook start failed');
          return { workflowId: run.workflowId, outcome: 'failed' as const };
        }
      }),
    );
    const context = { delivery, branch: decision.branch, commit: decision.commit, runs };
    if (runs.some((r) => r.outcome === 'failed')) {
      // GitHub does not retry: the delivery is redelivered from its Recent Deliveries page or the API,
      // with the same delivery id, so what did start is found again and not doubled.
      return answer('failed', 503, { ...context, error: 'could not start every run; redeliver later' });
    }
    const started = runs.some((r) => r.outcome === 'started');
    log.info(context, started ? 'push: runs started' : 'push: runs already exist');
    return answer(started ? 'started' : 'duplicate', 200, context);
  };
}
