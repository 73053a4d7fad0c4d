// Real git repositories for tests: a bare "server" repository and a clone to commit and push from,
// with a fixed identity, and a way to run any program that reports instead of throwing.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** What a program printed and how it ended. */
export interface Ran {
  readonly stdout: string;
  readonly stderr: string;
  readonly code: number;
}

/**
 * Runs a program to its end; never throws (the exit code says how it went). `env` replaces the
 * environment when given. @default timeoutMs 60 s: a bound that only catches a hang.
 */
export function runProgram(
  file: string,
  args: readonly string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<Ran> {
  return new Promise((resolve) => {
    execFile(
      file,
      args,
      { cwd: options.cwd, env: options.env, timeout: options.timeoutMs ?? 60_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ stdout, stderr, code });
      },
    );
  });
}

/** Commits made by tests carry this identity, whatever the machine's git configuration says. */
const IDENTITY = ['-c', 'user.name=test', '-c', 'user.email=test@example.com'];

/** Runs `git <args>` in `cwd` with the test identity; returns everything, the exit code included. */
export function gitRun(cwd: string, ...args: string[]): Promise<Ran> {
  return runProgram('git', [...IDENTITY, ...args], { cwd });
}

/** Runs `git <args>` in `cwd` with the test identity; throws with its output when it fails. */
export async function git(cwd: string, ...args: string[]): Promise<string> {
  const r = await gitRun(cwd, ...args);
  if (r.code !== 0) throw new Error(`git ${args.join(' ')} failed (${r.code}): ${r.stderr}`);
  return r.stdout.trim();
}

/** A bare repository with `main`, and a clone of it to work in. */
export interface Repos {
  /** Temporary directory holding both. */
  readonly root: string;
  /** `<root>/<name>.git`. */
  readonly bare: string;
  /** The clone, on `main`. */
  readonly work: string;
  /** Writes `file` in the clone and commits it; returns the new commit. */
  commit(file: string, content: string, message?: string): Promise<string>;
  cleanup(): void;
}

/**
 * Creates a bare repository `<name>.git` and a clone of it on `main`. With `firstCommit` (the
 * default), one commit is made and pushed, so `main` exists on both sides.
 */
export async function createRepos(name: string, options: { firstCommit?: boolean } = {}): Promise<Repos> {
  const root = mkdtempSync(join(tmpdir(), 'conveyor-repos-'));
  const bare = join(root, `${name}.git`);
  const work = join(root, `${name}-work`);
  await git(root, 'init', '-q', '--bare', '-b', 'main', bare);
  await git(root, 'clone', '-q', bare, work);
  await git(work, 'checkout', '-q', '-b', 'main');
  const repos: Repos = {
    root,
    bare,
    work,
    async commit(file, content, message = `change ${file}`) {
      writeFileSync(join(work, file), content);
      await git(work, 'add', file);
      await git(work, 'commit', '-q', '-m', message);
      return git(work, 'rev-parse', 'HEAD');
    },
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
  if (options.firstCommit ?? true) {
    await repos.commit('README', 'first\n', 'first commit');
    await git(work, 'push', '-q', 'origin', 'main');
  }
  return repos;
}
