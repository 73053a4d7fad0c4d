// The bridge's HTTP surface: /healthz, /readyz, /metrics, /stats and POST /pubsub/push.
import {
  createServer,
  type IncomingMessage as HttpRequest,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PushAuthenticator } from './auth.ts';
import type { MessageHandler } from './handler.ts';
import { handlePush } from './push.ts';
import type { BridgeStats } from './stats.ts';

/** One readiness check: ok, or what is wrong. */
export type ReadinessCheck = () => Promise<{ readonly ok: boolean; readonly detail: string }>;

/** What the HTTP server serves. */
export interface HttpDeps {
  readonly stats: BridgeStats;
  readonly handler: MessageHandler;
  readonly authenticate: PushAuthenticator;
  /** Named checks behind /readyz (e.g. temporal, subscription). */
  readonly readiness: Readonly<Record<string, ReadinessCheck>>;
  /** Whether the bridge is shutting down (/readyz then answers 503). */
  readonly draining: () => boolean;
  /** Largest push request body accepted (`PUSH_BODY_LIMIT_BYTES`: sized from Pub/Sub's maximum). */
  readonly maxBodyBytes: number;
  readonly log: { warn(obj: object, msg: string): void };
}

class BodyTooLarge extends Error {}

/** What an unauthenticated caller learns: the status's meaning, nothing about its token. */
const AUTH_BODY = {
  401: { error: 'unauthenticated' },
  403: { error: 'forbidden' },
  503: { error: 'authentication is unavailable, retry later' },
} as const;

/** Strict UTF-8: a malformed byte is an error, not a replacement character. */
const utf8 = new TextDecoder('utf-8', { fatal: true });

function send(res: ServerResponse, status: number, body: unknown, type = 'application/json'): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

async function readBody(req: HttpRequest, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new BodyTooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

async function readiness(deps: HttpDeps): Promise<{ status: number; body: Record<string, unknown> }> {
  if (deps.draining()) return { status: 503, body: { ready: false, draining: true } };
  const entries = await Promise.all(
    Object.entries(deps.readiness).map(async ([name, check]) => {
      try {
        return [name, await check()] as const;
      } catch (e: unknown) {
        return [name, { ok: false, detail: e instanceof Error ? e.message : String(e) }] as const;
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
    let text: string;
    try {
      text = utf8.decode(await readBody(req, deps.maxBodyBytes));
    } catch (e: unknown) {
      if (e instanceof BodyTooLarge) return send(res, 413, { error: `body over ${deps.maxBodyBytes} bytes` });
      if (e instanceof TypeError) return send(res, 400, { error: 'body is not UTF-8' });
      throw e;
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      // Not the parser's message: it quotes the body.
      return send(res, 400, { error: 'body is not JSON' });
    }
    const answer = await handlePush(body, deps.handler);
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
      deps.log.warn({ error: e instanceof Error ? e.message : String(e) }, 'request failed');
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
