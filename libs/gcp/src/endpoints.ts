import { credentials } from '@grpc/grpc-js';

/** Where a Google gRPC API is reached: Google Cloud, or a local emulator over plaintext. */
export type GrpcEndpoint =
  { readonly kind: 'google' } | { readonly kind: 'emulator'; readonly host: string; readonly port: number };

/**
 * Parses an endpoint setting: unset → Google Cloud; `host:port` → an emulator.
 * @throws Error when the value is not `host:port`.
 */
export function parseGrpcEndpoint(value: string | undefined): GrpcEndpoint {
  if (!value) return { kind: 'google' };
  const match = /^(?:https?:\/\/)?([^:/]+):(\d+)\/?$/.exec(value);
  if (!match) throw new Error(`expected host:port, got '${value}'`);
  return { kind: 'emulator', host: match[1] ?? '', port: Number(match[2]) };
}

/** Options shared by the gapic clients' constructors that we set. */
export interface GapicClientOptions {
  [key: string]: string | number | object | undefined;
  apiEndpoint?: string;
  port?: number;
  sslCreds?: ReturnType<typeof credentials.createInsecure>;
  universeDomain?: string;
  projectId?: string;
}

/**
 * Constructor options for a gapic client. Emulator: plaintext to host:port, with `universeDomain`
 * set so the client does not probe the GCE metadata server (it would, even pointed at an emulator). Google: the defaults,
 * or the regional host (`<region>-aiplatform.googleapis.com` for Vertex) when `regionalHost` is given.
 */
export function gapicClientOptions(
  endpoint: GrpcEndpoint,
  projectId: string,
  regionalHost?: string,
): GapicClientOptions {
  if (endpoint.kind === 'emulator') {
    return {
      apiEndpoint: endpoint.host,
      port: endpoint.port,
      sslCreds: credentials.createInsecure(),
      universeDomain: 'googleapis.com',
      projectId,
    };
  }
  return regionalHost ? { apiEndpoint: regionalHost, projectId } : { projectId };
}
