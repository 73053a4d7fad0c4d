/**
 * Virtualenvs standing in for Python images: one per image reference, created on first use under the
 * per-machine cache (`<cacheDir>/python-venvs/`) and reused by every later task, build and emulator
 * on this machine. A task's `pip install` lands in the venv, never in the host's Python. Creation is
 * serialised across processes by venv_setup.py (a file lock); concurrent pip runs inside one venv by
 * the hooks it installs (see conveyor_emulator_hooks.py).
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { messageOf } from '../rpc-error.ts';

const SETUP_SCRIPT = fileURLToPath(new URL('./venv_setup.py', import.meta.url));
const HOOKS_FILE = fileURLToPath(new URL('./conveyor_emulator_hooks.py', import.meta.url));

/** A ready venv for one image. */
export interface PythonVenv {
  /** The venv directory (`VIRTUAL_ENV`). */
  dir: string;
  /** `<dir>/bin`: put first on PATH so `python3`, `pip` and installed scripts are the venv's. */
  binDir: string;
  /** The host interpreter the venv was made from, and its version (e.g. `3.11.7`). */
  hostPython: string;
  hostVersion: string;
  /** Set when the host has no interpreter of the version the image tag asks for. */
  versionNote?: string;
}

/** Finds or makes the venv of an image. */
export interface PythonVenvs {
  /**
   * @param imageRef e.g. `python:3.11` (the venv is per reference)
   * @param version the Python version the tag asks for (`3.11`), if any
   * @throws Error naming the image when no usable python3 exists or the venv cannot be made
   */
  ensure(imageRef: string, version: string | undefined): Promise<PythonVenv>;
}

/** A host interpreter found by probing. */
interface HostPython {
  executable: string;
  version: string;
}

/** Venv creation runs ensurepip: a few seconds, much more on a loaded machine. */
const SETUP_TIMEOUT_MS = 300_000;
/** Probing an interpreter is a `-c` one-liner. */
const PROBE_TIMEOUT_MS = 20_000;

/** Venvs under `<cacheDir>/python-venvs`. */
export function createPythonVenvs(cacheDir: string): PythonVenvs {
  const ready = new Map<string, Promise<PythonVenv>>();
  const probes = new Map<string, Promise<HostPython | undefined>>();
  const probe = (command: string): Promise<HostPython | undefined> => {
    let found = probes.get(command);
    if (!found) {
      found = run(
        command,
        ['-c', 'import sys; print(sys.executable); print("%d.%d.%d" % sys.version_info[:3])'],
        PROBE_TIMEOUT_MS,
      )
        .then((out) => {
          const [executable, version] = out.trim().split('\n');
          return executable && version ? { executable, version } : undefined;
        })
        .catch(() => undefined);
      probes.set(command, found);
    }
    return found;
  };

  return {
    async ensure(imageRef: string, version: string | undefined): Promise<PythonVenv> {
      const wanted = version ? await probe(`python${version}`) : undefined;
      const host = wanted ?? (await probe('python3'));
      if (!host) {
        throw new Error(
          `image "${imageRef}" runs on the host's Python, but no python3 could be started here: install Python 3 (with its venv module)`,
        );
      }
      const versionNote =
        version && !host.version.startsWith(`${version}.`) && host.version !== version
          ? `image ${imageRef} asks for Python ${version}; python${version} was not found, so the host's Python ${host.version} runs it`
          : undefined;
      const key = createHash('sha256')
        .update(JSON.stringify([imageRef, host.executable, host.version]))
        .digest('hex')
        .slice(0, 12);
      const slug = imageRef.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 60);
      const dir = join(cacheDir, 'python-venvs', `${slug}-${key}`);
      let venv = ready.get(dir);
      if (!venv) {
        venv = run(host.executable, [SETUP_SCRIPT, dir, HOOKS_FILE], SETUP_TIMEOUT_MS).then(
          () => ({
            dir,
            binDir: join(dir, 'bin'),
            hostPython: host.executable,
            hostVersion: host.version,
            ...(versionNote ? { versionNote } : {}),
          }),
          (e: unknown) => {
            ready.delete(dir);
            throw new Error(
              `cannot create the Python virtualenv for image "${imageRef}" in ${dir}: ${messageOf(e)}`,
              { cause: e },
            );
          },
        );
        ready.set(dir, venv);
      }
      return venv;
    },
  };
}

/** The environment a process of this venv runs with (added to its image's env). */
export function venvEnv(venv: PythonVenv): Record<string, string> {
  return {
    VIRTUAL_ENV: venv.dir,
    // No ~/.local site-packages: nothing of the host's Python setup may change what the image does.
    PYTHONNOUSERSITE: '1',
  };
}

function run(command: string, args: string[], timeout: number): Promise<string> {
  return new Promise((resolve, reject) => {
    // Without the host's PYTHON* variables: a PYTHONPATH or PYTHONHOME would leak into the venv.
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('PYTHON')));
    execFile(command, args, { timeout, env, maxBuffer: 1 << 20 }, (err, stdout, stderr) => {
      if (err)
        reject(new Error(`${command} ${args.join(' ')}: ${err.message}${stderr ? `\n${stderr}` : ''}`));
      else resolve(stdout);
    });
  });
}
