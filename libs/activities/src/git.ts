import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const exec = promisify(execFile);

/** A git command failed; `stderr` says why. */
export class GitError extends Error {
  readonly args: readonly string[];
  readonly stderr: string;
  constructor(args: readonly string[], stderr: string, cause: unknown) {
    super(`git ${args.join(' ')} failed: ${stderr.trim() || String(cause)}`, { cause });
    this.name = 'GitError';
    this.args = args;
    this.stderr = stderr;
  }
}

async function git(args: string[], cwd?: string): Promise<string> {
  try {
    // Never prompt for credentials: an activity has no terminal. 60 s bounds a hung remote.
    const { stdout } = await exec('git', args, {
      cwd,
      timeout: 60_000,
      maxBuffer: 16 * 1024 * 1024,
      // Passes the environment through to git with one addition; reads no configuration.
      // eslint-disable-next-line no-restricted-properties
      env: { ...process.env, GIT_TERMINAL_PROMPT: '0' },
    });
    return stdout;
  } catch (e: unknown) {
    const stderr = e && typeof e === 'object' && 'stderr' in e ? String(e.stderr) : '';
    throw new GitError(args, stderr, e);
  }
}

/** The commit a branch points at, or undefined when the branch does not exist. */
export async function lsRemoteBranch(repoUrl: string, branch: string): Promise<string | undefined> {
  const out = await git(['ls-remote', '--', repoUrl, `refs/heads/${branch}`]);
  const line = out.split('\n').find((l) => l.endsWith(`\trefs/heads/${branch}`));
  return line?.split('\t')[0];
}

/**
 * Reads one file of a repository at a commit: fetches just that commit (shallow) into a scratch
 * repository, falling back to fetching the branch when the server refuses unadvertised commits.
 * @returns undefined when the file does not exist at that commit.
 */
export async function readFileAtCommit(
  repoUrl: string,
  branch: string,
  commit: string,
  path: string,
): Promise<string | undefined> {
  const dir = await mkdtemp(join(tmpdir(), 'conveyor-git-'));
  try {
    await git(['init', '-q', '--bare', dir]);
    try {
      await git(['fetch', '-q', '--depth=1', '--', repoUrl, commit], dir);
    } catch {
      await git(['fetch', '-q', '--', repoUrl, `refs/heads/${branch}`], dir);
    }
    try {
      return await git(['show', `${commit}:${path}`], dir);
    } catch (e: unknown) {
      if (e instanceof GitError && /does not exist|exists on disk, but not in/.test(e.stderr))
        return undefined;
      throw e;
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Whether `commit` is a full SHA-1 or SHA-256 object name. */
export function isFullCommit(commit: string): boolean {
  return /^([0-9a-f]{40}|[0-9a-f]{64})$/.test(commit);
}

/**
 * The full SHA of a possibly abbreviated commit on a branch: image keys and job labels must not
 * differ between `abc1234` and the same commit spelled out.
 * @returns undefined when the branch holds no such commit.
 */
export async function expandCommit(
  repoUrl: string,
  branch: string,
  commit: string,
): Promise<string | undefined> {
  if (isFullCommit(commit)) return commit;
  const dir = await mkdtemp(join(tmpdir(), 'conveyor-git-'));
  try {
    await git(['init', '-q', '--bare', dir]);
    await git(['fetch', '-q', '--', repoUrl, `refs/heads/${branch}`], dir);
    try {
      return (await git(['rev-parse', '--verify', '--quiet', `${commit}^{commit}`], dir)).trim() || undefined;
    } catch {
      return undefined;
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
