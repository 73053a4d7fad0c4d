/**
 * The host settings a build step or pipeline task inherits, as a cloud worker has its own: locale,
 * and network and trust settings (proxy, private CA, package index), without which a step's
 * `npm ci` or a task's `pip install` retries TLS failures for minutes behind a proxy. Nothing else
 * of the host's environment reaches them.
 */

const NETWORK = [
  'NODE_EXTRA_CA_CERTS',
  'SSL_CERT_FILE',
  'SSL_CERT_DIR',
  'REQUESTS_CA_BUNDLE',
  'HTTP_PROXY',
  'HTTPS_PROXY',
  'NO_PROXY',
  'PIP_INDEX_URL',
  'PIP_EXTRA_INDEX_URL',
  'PIP_TRUSTED_HOST',
  'PIP_CERT',
];

const PASSED = ['LANG', 'LC_ALL', 'TZ', 'TERM', ...NETWORK, ...NETWORK.map((k) => k.toLowerCase())];

/** The host variables passed through (only those set). */
export function hostPassThroughEnv(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of PASSED) {
    const value = env[key];
    if (value) out[key] = value;
  }
  return out;
}
