import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from '@temporalio/client';

/** Where and how to reach Temporal (local dev server or Temporal Cloud). */
export interface TemporalConfig {
  /** `host:port`, e.g. `127.0.0.1:7233` or `<ns>.<acct>.tmprl.cloud:7233`. */
  readonly address: string;
  readonly namespace: string;
  /** Temporal Cloud API key; implies TLS. */
  readonly apiKey?: string | undefined;
  /** mTLS client certificate and key file paths (PEM). */
  readonly tlsCertPath?: string | undefined;
  readonly tlsKeyPath?: string | undefined;
}

/** Maps the parsed `TEMPORAL_*` variables onto {@link TemporalConfig}. */
export function temporalConfigFromEnv(env: {
  TEMPORAL_ADDRESS: string;
  TEMPORAL_NAMESPACE: string;
  TEMPORAL_API_KEY?: string | undefined;
  TEMPORAL_TLS_CERT?: string | undefined;
  TEMPORAL_TLS_KEY?: string | undefined;
}): TemporalConfig {
  return {
    address: env.TEMPORAL_ADDRESS,
    namespace: env.TEMPORAL_NAMESPACE,
    apiKey: env.TEMPORAL_API_KEY,
    tlsCertPath: env.TEMPORAL_TLS_CERT,
    tlsKeyPath: env.TEMPORAL_TLS_KEY,
  };
}

/**
 * Connection options for `Connection.connect` / `NativeConnection.connect`: plain for the local
 * server, TLS with an API key or an mTLS pair for Temporal Cloud.
 */
export function temporalConnectionOptions(config: TemporalConfig): Pick<
  ConnectionOptions,
  'address' | 'tls'
> & {
  apiKey?: string;
} {
  if (config.tlsCertPath && config.tlsKeyPath) {
    return {
      address: config.address,
      tls: {
        clientCertPair: { crt: readFileSync(config.tlsCertPath), key: readFileSync(config.tlsKeyPath) },
      },
    };
  }
  if (config.apiKey) return { address: config.address, tls: true, apiKey: config.apiKey };
  return { address: config.address };
}

/** Web UI link for a workflow, given the UI base URL (e.g. `http://127.0.0.1:8233`). */
export function workflowUiUrl(uiBaseUrl: string, namespace: string, workflowId: string): string {
  return `${uiBaseUrl.replace(/\/$/, '')}/namespaces/${encodeURIComponent(namespace)}/workflows/${encodeURIComponent(workflowId)}`;
}

/**
 * The Temporal Web UI base URL for an address: `explicit` (TEMPORAL_UI_URL) when set, Temporal
 * Cloud's UI for a `*.tmprl.cloud` address, a local dev server's (its UI listens on the gRPC port +
 * 1000) for a loopback one, else undefined (no link). Every Web UI link Conveyor prints starts here.
 */
export function webUiBaseUrl(explicit: string | undefined, address: string): string | undefined {
  if (explicit) return explicit;
  if (/\.tmprl\.cloud(:\d+)?$/.test(address)) return 'https://cloud.temporal.io';
  const local = /^(127\.0\.0\.1|localhost):(\d+)$/.exec(address);
  return local ? `http://${local[1]}:${Number(local[2]) + 1000}` : undefined;
}
