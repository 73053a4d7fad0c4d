import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FaultInjector, ImageStore } from './context.ts';
import { answerRegistry } from './registry.ts';
import { messageOf } from './rpc-error.ts';

/** Largest admin request body accepted; fault configs are a few hundred bytes. */
const MAX_BODY_BYTES = 1_000_000;

/**
 * The admin HTTP endpoint (plain JSON, no gRPC):
 * - `GET /healthz` → `{ok: true}`
 * - `GET /faults` → the fault configuration in force
 * - `PUT /faults` with a FaultConfig JSON body → replaces it (400 with the reason when invalid)
 * - `DELETE /faults` → clears it
 * - `/v2/…`: the read side of the OCI Distribution API over the local images (see registry.ts)
 */
export async function startAdminServer(
  options: { host: string; port: number },
  faults: FaultInjector,
  images: ImageStore,
): Promise<{ port: number; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    const send = (status: number, body: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    };
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) req.destroy();
      else chunks.push(chunk);
    });
    req.on('end', () => {
      const pathname = (req.url ?? '/').split('?')[0] ?? '/';
      const route = `${req.method ?? 'GET'} ${pathname}`;
      if (pathname.startsWith('/v2')) {
        answerRegistry(req.method ?? 'GET', pathname, images).then(
          (answer) => {
            if (!answer) return send(404, { error: `no route ${route}` });
            res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
            res.end(req.method === 'HEAD' ? undefined : JSON.stringify(answer.body ?? {}));
          },
          (e: unknown) => send(500, { error: messageOf(e) }),
        );
        return;
      }
      try {
        if (route === 'GET /healthz') return send(200, { ok: true });
        if (route === 'GET /faults') return send(200, faults.get());
        if (route === 'DELETE /faults') {
          faults.set({});
          return send(200, {});
        }
        if (route === 'PUT /faults' || route === 'POST /faults') {
          faults.set(JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as never);
          return send(200, faults.get());
        }
        return send(404, { error: `no route ${route}` });
      } catch (e: unknown) {
        return send(400, { error: messageOf(e) });
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, resolve);
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
