// The Temporal half of a target, read the way the `temporal` CLI reads it: flags over TEMPORAL_*
// variables over a temporal.toml profile, through @temporalio/envconfig.
import type { ConnectionOptions } from '@temporalio/client';
import { loadClientConfigProfile, type ClientConfigProfile } from '@temporalio/envconfig';
import { messageOf } from '@conveyor/contracts';
import { ConfigError } from '@conveyor/platform';
import { FlagError } from './errors.ts';
import type { TargetFlags, TargetName } from './target.ts';

/** Temporal's TLS variables under Conveyor's older names (the worker's and bridge's) feed envconfig's. */
function withTlsAliases(env: Record<string, string>): Record<string, string> {
  const out = { ...env };
  if (env['TEMPORAL_TLS_CERT'] && !env['TEMPORAL_TLS_CLIENT_CERT_PATH'])
    out['TEMPORAL_TLS_CLIENT_CERT_PATH'] = env['TEMPORAL_TLS_CERT'];
  if (env['TEMPORAL_TLS_KEY'] && !env['TEMPORAL_TLS_CLIENT_KEY_PATH'])
    out['TEMPORAL_TLS_CLIENT_KEY_PATH'] = env['TEMPORAL_TLS_KEY'];
  return out;
}

/**
 * The Temporal client profile of a command: envconfig's (file, then TEMPORAL_* variables) with the
 * flags over it. The local target reads no default temporal.toml.
 * @throws ConfigError naming the profile source; FlagError for half an mTLS pair.
 */
export function temporalProfile(
  flags: TargetFlags,
  env: Record<string, string>,
  name: TargetName,
): ClientConfigProfile {
  // The local target is the embedded stack: a default temporal.toml profile (often Temporal Cloud's,
  // with its API key) must not leak into it; an explicit --profile or --config-file still applies.
  const disableFile = name === 'local' && !flags.profile && !flags.configFile;
  let profile: ClientConfigProfile;
  try {
    profile = loadClientConfigProfile({
      disableFile,
      ...(flags.profile ? { profile: flags.profile } : {}),
      ...(flags.configFile ? { configSource: { path: flags.configFile } } : {}),
      overrideEnvVars: withTlsAliases(env),
    });
  } catch (e: unknown) {
    const variable = flags.configFile ? '--config-file' : flags.profile ? '--profile' : 'TEMPORAL_PROFILE';
    throw new ConfigError([{ variable, message: `cannot load the Temporal profile: ${messageOf(e)}` }]);
  }
  if ((flags.tlsCertPath === undefined) !== (flags.tlsKeyPath === undefined))
    throw new FlagError('--tls-cert-path/--tls-key-path', 'give both or neither');
  const tls = {
    ...(profile.tls ?? {}),
    ...(flags.tlsCertPath ? { clientCert: { path: flags.tlsCertPath } } : {}),
    ...(flags.tlsKeyPath ? { clientKey: { path: flags.tlsKeyPath } } : {}),
    ...(flags.tlsCaPath ? { serverCACert: { path: flags.tlsCaPath } } : {}),
    ...(flags.tlsServerName ? { serverName: flags.tlsServerName } : {}),
    ...(flags.tls ? { disabled: false } : {}),
  };
  return {
    ...profile,
    ...(flags.address ? { address: flags.address } : {}),
    ...(flags.namespace ? { namespace: flags.namespace } : {}),
    ...(flags.apiKey ? { apiKey: flags.apiKey } : {}),
    ...(Object.keys(tls).length > 0 ? { tls } : {}),
  };
}

/**
 * envconfig reads certificates as Uint8Array (what the worker's native connection takes); the client's
 * gRPC library takes only Buffers, so they are wrapped (no copy).
 */
export function clientTls(tls: unknown): ConnectionOptions['tls'] {
  if (typeof tls !== 'object' || tls === null) return tls as ConnectionOptions['tls'];
  const buffer = (b: unknown) =>
    b instanceof Uint8Array ? Buffer.from(b.buffer, b.byteOffset, b.byteLength) : b;
  const t = tls as { serverRootCACertificate?: unknown; clientCertPair?: { crt: unknown; key: unknown } };
  return {
    ...t,
    serverRootCACertificate: buffer(t.serverRootCACertificate),
    clientCertPair: t.clientCertPair && {
      crt: buffer(t.clientCertPair.crt),
      key: buffer(t.clientCertPair.key),
    },
  } as ConnectionOptions['tls'];
}
