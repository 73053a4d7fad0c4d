// The bridge's HTTP surface: /healthz, /readyz, /metrics, /stats, POST /pubsub/push and, when the
// webhook has a secret, POST /webhooks/github.
import {
  createServer,
  type IncomingMessage as HttpRequest,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { AUTH_BODY, type PushAuthenticator } from './auth.ts';
import { BodyTooLarge, parseJsonBody, readBody } from './body.ts';
import type { MessageHandler } from './handler.ts';
import { handlePush } from './push.ts';
import type { BridgeStats } from './stats.ts';
import { GITHUB_WEBHOOK_PATH, WEBHOOK_BODY_LIMIT_BYTES, type WebhookHandler } from './webhook.ts';
import { messageOf } from '@conveyor/contracts';

/** One readiness check: ok, or what is wrong. */
export type ReadinessCheck = () => Promise<{ readonly ok: boolean; readonly detail: string }>;

/** What the HTTP server serves. */
export interface HttpDeps {
  readonly stats: BridgeStats;
  readonly handler: MessageHandler;
  readonly authenticate: PushAuthenticator;
  /** Named checks behind /readyz (e.g. temporal, pull, webhook). */
  readonly readiness: Readonly<Record<string, ReadinessCheck>>;
  /** Whether the bridge is shutting down (/readyz then answers 503). */
  readonly draining: () => boolean;
  /** Largest push request body accepted (`PUSH_BODY_LIMIT_BYTES`: sized from Pub/Sub's maximum). */
  readonly maxBodyBytes: number;
  /** `POST /webhooks/github`; absent: the route does not exist (404). */
  readonly webhook?: WebhookHandler | undefined;
  readonly log: { warn(obj: object, msg: string): void };
}

function send(res: ServerResponse, status: number, body: unknown, type = 'application/json'): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

async function readiness(deps: HttpDeps): Promise<{ status: number; body: Record<string, unknown> }> {
  if (deps.draining()) return { status: 503, body: { ready: false, draining: true } };
  const entries = await Promise.all(
    Object.entries(deps.readiness).map(async ([name, check]) => {
      try {
        return [name, await check()] as const;
      } catch (e: unknown) {
        return [name, { ok: false, detail: messageOf(e) }] as const;
      }
    }),
  );
  const ready = entries.every(([, r]) => r.ok);
  return { status: ready ? 200 : 503, body: { ready, checks: Object.fromEntries(entries) } };
}

async function route(req: HttpRequest, res: ServerResponse, deps: HttpDeps): Promise<void> {
  const path = new URL(req.url ?? '/', 'http://bridge').pathname;
  if (req.method === 'GET' && path === '/healthz') return send(res, 200, { ok: true });
  if (req.method === 'GET' && path === '/readyz') {
    const r = await readiness(deps);
    return send(res, r.status, r.body);
  }
  if (req.method === 'GET' && path === '/stats') return send(res, 200, deps.stats.snapshot());
  if (req.method === 'GET' && path === '/metrics') {
    const { text, contentType } = await deps.stats.prometheus();
    return send(res, 200, text, contentType);
  }
  if (path === '/pubsub/push') {
    if (req.method !== 'POST') return send(res, 405, { error: 'use POST' });
    const auth = await deps.authenticate(req.headers.authorization);
    if (!auth.ok) {
      // The reason is a fixed word (auth.ts): no token, payload or body reaches the log.
      deps.log.warn({ status: auth.status, reason: auth.reason }, 'push request rejected');
      return send(res, auth.status, AUTH_BODY[auth.status]);
    }
    const body = parseJsonBody(await readBody(req, deps.maxBodyBytes));
    if (!body.ok) return send(res, 400, { error: body.error });
    const answer = await handlePush(body.value, deps.handler);
    return send(res, answer.status, answer.body);
  }
  if (path === GITHUB_WEBHOOK_PATH && deps.webhook) {
    if (req.method !== 'POST') return send(res, 405, { error: 'use POST' });
    // GitHub's other content type sends the payload form-encoded: say which setting to change.
    const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
    if (type !== 'application/json') {
      return send(res, 415, { error: "content type must be application/json (the webhook's Content type)" });
    }
    const answer = await deps.webhook(req.headers, await readBody(req, WEBHOOK_BODY_LIMIT_BYTES));
    return send(res, answer.status, answer.body);
  }
  return send(res, 404, { error: `no route for ${req.method} ${path}` });
}

/** Starts the HTTP server on host:port (0 = any free port) and resolves once it listens. */
export async function startHttpServer(
  deps: HttpDeps,
  host: string,
  port: number,
): Promise<{ server: Server; port: number }> {
  const server = createServer((req, res) => {
    route(req, res, deps).catch((e: unknown) => {
      if (e instanceof BodyTooLarge && !res.headersSent) return send(res, 413, { error: e.message });
      deps.log.warn({ error: messageOf(e) }, 'request failed');
      if (!res.headersSent) send(res, 500, { error: 'internal error' });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return { server, port: (server.address() as AddressInfo).port };
}
