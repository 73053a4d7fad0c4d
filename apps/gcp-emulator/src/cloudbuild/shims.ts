import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const SHIM_ENTRY = fileURLToPath(new URL('./shim.ts', import.meta.url));

/**
 * Writes `gsutil`, `gcloud` and (without a Docker engine) `docker` wrappers into `<dataDir>/shims`
 * and returns that directory plus the env the wrappers need. Steps get it first on PATH.
 */
export function installShims(options: {
  dataDir: string;
  dockerEngine: boolean;
  gcsEndpoint: string;
  imagesDir: string;
}): {
  dir: string;
  env: Record<string, string>;
} {
  const dir = path.join(options.dataDir, 'shims', options.dockerEngine ? 'engine' : 'no-engine');
  mkdirSync(dir, { recursive: true });
  const tools = options.dockerEngine ? ['gsutil', 'gcloud'] : ['gsutil', 'gcloud', 'docker'];
  for (const tool of tools) {
    const file = path.join(dir, tool);
    writeFileSync(
      file,
      `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(SHIM_ENTRY)} ${tool} "$@"\n`,
    );
    chmodSync(file, 0o755);
  }
  return {
    dir,
    env: { CONVEYOR_SHIM_GCS_ENDPOINT: options.gcsEndpoint, CONVEYOR_SHIM_IMAGES_DIR: options.imagesDir },
  };
}
