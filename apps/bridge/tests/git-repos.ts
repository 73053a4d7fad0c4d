// Real git repositories for the webhook tests: a bare "server" repository, a clone to commit and push
// from, and `conveyor hook install` run as the command line it is.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const cliMain = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'cli', 'src', 'main.ts');

/** What a command printed and how it ended. */
export interface Ran {
  readonly stdout: string;
  readonly stderr: string;
  readonly code: number;
}

function exec(file: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<Ran> {
  return new Promise((resolve) => {
    // 60 s: a push runs the hook, which starts node and calls the bridge; the bound only catches a hang.
    execFile(file, args, { cwd, env, timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ stdout, stderr, code });
    });
  });
}

/** Identity for commits, and no user or system git configuration leaking in. */
const gitEnv = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
  ...process.env,
  GIT_AUTHOR_NAME: 'test',
  GIT_AUTHOR_EMAIL: 'test@example.com',
  GIT_COMMITTER_NAME: 'test',
  GIT_COMMITTER_EMAIL: 'test@example.com',
  GIT_CONFIG_NOSYSTEM: '1',
  ...extra,
});

/** Runs git in `cwd`; throws with its output when it fails. */
export async function git(cwd: string, ...args: string[]): Promise<string> {
  const r = await exec('git', args, cwd, gitEnv());
  if (r.code !== 0) throw new Error(`git ${args.join(' ')} failed (${r.code}): ${r.stderr}`);
  return r.stdout.trim();
}

/** Runs `git push …` in `cwd` and returns everything, the hook's output (stderr, `remote:`) included. */
export function gitPush(cwd: string, ...args: string[]): Promise<Ran> {
  return exec('git', ['push', ...args], cwd, gitEnv());
}

/** Runs `conveyor hook …` (apps/cli) with this environment added. */
export function conveyorHook(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Ran> {
  return exec(process.execPath, [cliMain, 'hook', ...args], process.cwd(), gitEnv(env));
}

/** A bare repository with `main`, and a clone of it to work in. */
export interface Repos {
  readonly root: string;
  readonly bare: string;
  readonly work: string;
  /** Commits a change to `file` in the clone; returns the new commit. */
  commit(file: string, content: string, message?: string): Promise<string>;
  cleanup(): void;
}

/** Creates a bare repository `<name>.git` holding one commit on `main`, and a clone of it. */
export async function createRepos(name: string): Promise<Repos> {
  const root = mkdtempSync(join(tmpdir(), 'conveyor-hook-'));
  const bare = join(root, `${name}.git`);
  const work = join(root, 'work');
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
  await repos.commit('README', 'first\n', 'first commit');
  await git(work, 'push', '-q', 'origin', 'main');
  return repos;
}
