// The venvs standing in for python:* images: made once per reference even when several processes ask
// at once, pip runs in one venv take turns, and the kfp hook points the SDK's /gcs/ prefix at the
// task's mount. Real python3 processes, no network (a hand-made wheel stands in for a PyPI package).
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPythonVenvs, type PythonVenv } from './python-venvs.ts';

const SETUP = fileURLToPath(new URL('./venv_setup.py', import.meta.url));
const HOOKS = fileURLToPath(new URL('./conveyor_emulator_hooks.py', import.meta.url));

function run(
  command: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(command, args, { env: { ...process.env, ...env } }, (err, stdout, stderr) =>
      resolve({ code: err ? Number(err.code ?? 1) : 0, out: `${stdout}${stderr}` }),
    );
  });
}

/** A minimal pure-Python wheel (`demo_pkg`), so pip installs without PyPI. */
async function makeWheel(dir: string): Promise<string> {
  const wheel = join(dir, 'demo_pkg-1.0-py3-none-any.whl');
  const code = [
    'import sys, zipfile',
    'with zipfile.ZipFile(sys.argv[1], "w") as z:',
    '    z.writestr("demo_pkg/__init__.py", "VALUE = 42\\n")',
    '    z.writestr("demo_pkg-1.0.dist-info/METADATA", "Metadata-Version: 2.1\\nName: demo-pkg\\nVersion: 1.0\\n")',
    '    z.writestr("demo_pkg-1.0.dist-info/WHEEL", "Wheel-Version: 1.0\\nGenerator: test\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n")',
    '    z.writestr("demo_pkg-1.0.dist-info/RECORD", "demo_pkg/__init__.py,,\\ndemo_pkg-1.0.dist-info/METADATA,,\\ndemo_pkg-1.0.dist-info/WHEEL,,\\ndemo_pkg-1.0.dist-info/RECORD,,\\n")',
  ].join('\n');
  const made = await run('python3', ['-c', code, wheel]);
  if (made.code !== 0) throw new Error(made.out);
  return wheel;
}

describe('python venvs for python:* images', () => {
  let cache: string;
  let venv: PythonVenv;
  beforeAll(async () => {
    cache = await mkdtemp(join(tmpdir(), 'venv-cache-'));
  });
  afterAll(async () => {
    await rm(cache, { recursive: true, force: true });
  });

  // Each manager runs its own setup process, so the two race on one directory as two emulators would.
  it(
    'creates the venv of an image once when two emulators ask at the same time',
    { timeout: 180_000 },
    async () => {
      const [a, b] = await Promise.all([
        createPythonVenvs(cache).ensure('python:3.11', '3.11'),
        createPythonVenvs(cache).ensure('python:3.11', '3.11'),
      ]);
      expect(a.dir).toBe(b.dir);
      expect(a.dir.startsWith(join(cache, 'python-venvs', 'python_3.11-'))).toBe(true);
      expect(existsSync(join(a.dir, '.conveyor-ready'))).toBe(true);
      const prefix = await run(join(a.binDir, 'python3'), ['-c', 'import sys; print(sys.prefix)']);
      expect(prefix.out.trim()).toBe(a.dir);
      // A third process finds it ready and leaves it as it is.
      const again = await run(a.hostPython, [SETUP, a.dir, HOOKS]);
      expect(again.code, again.out).toBe(0);
      venv = a;
    },
  );

  it(
    'lets pip runs in one venv take turns: a pip waits while another holds the venv',
    { timeout: 120_000 },
    async () => {
      const python = join(venv.binDir, 'python3');
      // Hold the venv's pip lock from outside, as a pip process in the middle of an install does.
      const holder = spawn(python, [
        '-c',
        `import fcntl, sys, time\nf = open(${JSON.stringify(join(venv.dir, '.conveyor-pip.lock'))}, "a")\nfcntl.flock(f, fcntl.LOCK_EX)\nprint("held", flush=True)\ntime.sleep(3)`,
      ]);
      await new Promise<void>((resolve) => holder.stdout.once('data', () => resolve()));
      const started = Date.now();
      const pip = await run(python, ['-m', 'pip', '--version'], { PIP_DISABLE_PIP_VERSION_CHECK: '1' });
      expect(pip.code, pip.out).toBe(0);
      // It only got to run once the holder let go (about 3 s after it took the lock).
      expect(Date.now() - started).toBeGreaterThan(1_500);
    },
  );

  it(
    'keeps the venv whole when several tasks install the same package at once, and never touches the host Python',
    { timeout: 120_000 },
    async () => {
      const wheel = await makeWheel(cache);
      const python = join(venv.binDir, 'python3');
      const installs = await Promise.all(
        [1, 2, 3, 4].map(() =>
          run(python, ['-m', 'pip', 'install', '--no-index', '--force-reinstall', '--quiet', wheel], {
            PIP_DISABLE_PIP_VERSION_CHECK: '1',
          }),
        ),
      );
      expect(
        installs.map((r) => r.code),
        installs.map((r) => r.out).join('\n'),
      ).toEqual([0, 0, 0, 0]);
      const imported = await run(python, ['-c', 'import demo_pkg; print(demo_pkg.VALUE)']);
      expect(imported.out.trim()).toBe('42');
      const check = await run(python, ['-m', 'pip', 'check'], { PIP_DISABLE_PIP_VERSION_CHECK: '1' });
      expect(check.code, check.out).toBe(0);
      const host = await run(venv.hostPython, ['-c', 'import demo_pkg'], { PYTHONNOUSERSITE: '1' });
      expect(host.code).not.toBe(0);
    },
  );

  it("points kfp's /gcs/ prefix at the task's mount (CONVEYOR_GCS_MOUNT) when kfp is imported", async () => {
    const python = join(venv.binDir, 'python3');
    const site = (
      await run(python, ['-c', "import sysconfig; print(sysconfig.get_paths()['purelib'])"])
    ).out.trim();
    // A stand-in for the kfp module the hook patches (the real kfp is covered by the kfp pipeline tests).
    const pkg = join(site, 'kfp', 'dsl', 'types');
    await mkdir(pkg, { recursive: true });
    for (const dir of ['kfp', 'kfp/dsl', 'kfp/dsl/types'])
      await writeFile(join(site, dir, '__init__.py'), '');
    await writeFile(join(pkg, 'artifact_types.py'), "_GCS_LOCAL_MOUNT_PREFIX = '/gcs/'\n");
    const read = 'from kfp.dsl.types import artifact_types as a; print(a._GCS_LOCAL_MOUNT_PREFIX)';
    expect((await run(python, ['-c', read], { CONVEYOR_GCS_MOUNT: '/tmp/task-7/gcs' })).out.trim()).toBe(
      '/tmp/task-7/gcs/',
    );
    expect((await run(python, ['-c', read])).out.trim()).toBe('/gcs/');
    await rm(join(site, 'kfp'), { recursive: true, force: true });
  });
});
