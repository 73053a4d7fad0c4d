// What a build step sees of the machine: the container paths it names mapped onto this build's
// directories, and the environment it starts from.
import os from 'node:os';
import path from 'node:path';
import { hostPassThroughEnv } from '../host-env.ts';
import type { PreparedBuild } from './prepare.ts';

/** Maps the container paths steps conventionally use (`/workspace`, `/builder/home`) onto this build's directories. */
export function pathMapper(workspace: string, home: string): (s: string) => string {
  return (s) =>
    s
      .replace(/(^|[=\s:'"])\/workspace(?=\/|$|[\s'":;])/g, `$1${workspace}`)
      .replace(/(^|[=\s:'"])\/builder\/home(?=\/|$|[\s'":;])/g, `$1${home}`);
}

/** The environment every step starts from: a clean container-like env plus Cloud Build's built-ins. */
export function stepBaseEnv(
  prepared: PreparedBuild,
  home: string,
  workspace: string,
  shims: { dir: string; env: Record<string, string> },
): Record<string, string> {
  // The gsutil/gcloud/docker stand-ins first, then the Node running the emulator (Node 24), so
  // `node`, `npm`, `npx` in steps are the toolchain's.
  const pathVar = [
    shims.dir,
    path.dirname(process.execPath),
    process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
  ].join(path.delimiter);
  const env: Record<string, string> = {
    ...shims.env,
    PATH: pathVar,
    HOME: home,
    BUILDER_OUTPUT: path.join(workspace, '..', 'builder-output'),
  };
  // The host's locale, network and trust settings, as a Cloud Build worker has its own; TMPDIR too.
  Object.assign(env, hostPassThroughEnv());
  if (process.env.TMPDIR) env.TMPDIR = process.env.TMPDIR;
  // Keep npm's cache (and so offline installs) working under the per-build HOME.
  env.npm_config_cache = process.env.npm_config_cache ?? path.join(os.homedir(), '.npm');
  return { ...env, ...prepared.builtIns };
}

/** `KEY=value` entries (Cloud Build's `env` lists) as an object; a bare `KEY` is empty. */
export function envList(list: string[]): Record<string, string> {
  return Object.fromEntries(
    list.map((kv) => [
      kv.slice(0, kv.indexOf('=') < 0 ? kv.length : kv.indexOf('=')),
      kv.includes('=') ? kv.slice(kv.indexOf('=') + 1) : '',
    ]),
  );
}
