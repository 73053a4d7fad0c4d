// A TCP proxy the tests can cut and restore: "Temporal unreachable" without stopping the shared server.
import { connect, createServer, type Server, type Socket } from 'node:net';

/** A proxy from 127.0.0.1:<port> to a target `host:port`. */
export class TcpProxy {
  readonly #target: { host: string; port: number };
  readonly #sockets = new Set<Socket>();
  #server: Server | undefined;
  port = 0;

  /** @param target `host:port` */
  constructor(target: string) {
    const [host, port] = target.split(':');
    this.#target = { host: host!, port: Number(port) };
  }

  /** Listens (again, on the same port after the first time). */
  async up(): Promise<void> {
    const server = createServer((client) => {
      const upstream = connect(this.#target.port, this.#target.host);
      for (const s of [client, upstream]) {
        this.#sockets.add(s);
        s.on('close', () => this.#sockets.delete(s));
        s.on('error', () => s.destroy());
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as { port: number }).port;
    this.#server = server;
  }

  /** Stops listening and cuts every open connection: connects are refused from now on. */
  async down(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    for (const s of this.#sockets) s.destroy();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
