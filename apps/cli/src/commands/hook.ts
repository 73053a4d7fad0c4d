// `conveyor hook install`: a git hook that tells the bridge about every push (bare repositories:
// post-receive) or commit (work trees: post-commit) in GitHub's webhook format, signed with the
// webhook secret, so "commit → image → model" works offline. The hook calls the hidden
// `conveyor hook notify`, which builds and signs the payload; the secret stays in a file only the
// owner can read, never in the hook script.
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Command } from 'commander';
import { z } from 'zod';
import {
  GithubHeaders,
  isZeroCommit,
  type GithubCommit,
  type GithubPushEventInput,
} from '@conveyor/contracts';
import { githubSignature } from '@conveyor/platform';
import { LOCAL_WEBHOOK_SECRET, stackConfigFromEnv } from '@conveyor/stack';

const run = promisify(execFile);
/** Marks hooks this command wrote, so it replaces its own and never someone else's. */
const MARKER = '# conveyor-hook';
/** Beside the repository's config, mode 600: the URL, the secret, the branch filter, the identity. */
const CONFIG_FILE = 'conveyor-hook.json';
/** GitHub lists at most 2,048 commits in a push event. */
const MAX_COMMITS = 2048;
/** A hook must not hold up git for long: GitHub itself gives a delivery 10 s. */
const NOTIFY_TIMEOUT_MS = 10_000;
const ZERO = '0'.repeat(40);
const mainTs = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'main.ts');

const HookConfigSchema = z.object({
  url: z.url(),
  secret: z.string().min(16),
  /** Notify only pushes to this branch; every branch when absent (the bridge filters too). */
  branch: z.string().min(1).optional(),
  repository: z.object({ clone_url: z.string().min(1), full_name: z.string().min(1) }),
});
type HookConfig = z.infer<typeof HookConfigSchema>;

async function git(cwd: string, ...args: string[]): Promise<string> {
  return (await run('git', args, { cwd, maxBuffer: 64 * 1024 * 1024 })).stdout.trim();
}

async function gitOr(cwd: string, fallback: string, ...args: string[]): Promise<string> {
  return git(cwd, ...args).catch(() => fallback);
}

/** `'…'` for sh, whatever the path holds. */
const shellQuote = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;

/** The secret the local bridge checks: the environment's, or the local stack's default. */
async function secretFromEnv(env: NodeJS.ProcessEnv): Promise<{ secret: string; source: string }> {
  if (env['CONVEYOR_GITHUB_WEBHOOK_SECRET']) {
    return { secret: env['CONVEYOR_GITHUB_WEBHOOK_SECRET'], source: 'CONVEYOR_GITHUB_WEBHOOK_SECRET' };
  }
  const file = env['CONVEYOR_GITHUB_WEBHOOK_SECRET_FILE'];
  if (file) {
    const secret = (await readFile(file, 'utf8')).replace(/\r?\n$/, '');
    return { secret, source: `CONVEYOR_GITHUB_WEBHOOK_SECRET_FILE (${file})` };
  }
  return { secret: LOCAL_WEBHOOK_SECRET, source: "the local stack's default" };
}

interface InstallFlags {
  readonly repo?: string;
  readonly url?: string;
  readonly branch?: string;
}

async function install(flags: InstallFlags): Promise<void> {
  const repo = resolve(flags.repo ?? '.');
  const bare = await git(repo, 'rev-parse', '--is-bare-repository').catch(() => {
    throw new Error(`--repo: ${repo} is not a git repository`);
  });
  const hook = bare === 'true' ? 'post-receive' : 'post-commit';
  const hooksDir = resolve(repo, await git(repo, 'rev-parse', '--git-path', 'hooks'));
  const commonDir = resolve(repo, await git(repo, 'rev-parse', '--git-common-dir'));
  const location = bare === 'true' ? commonDir : await git(repo, 'rev-parse', '--show-toplevel');
  const stack = stackConfigFromEnv(process.env, repo);
  const url = flags.url ?? `http://${stack.host}:${stack.ports.bridge}/webhooks/github`;
  const { secret, source } = await secretFromEnv(process.env);
  const config = HookConfigSchema.parse({
    url,
    secret,
    ...(flags.branch ? { branch: flags.branch } : {}),
    repository: { clone_url: location, full_name: `local/${basename(location).replace(/\.git$/, '')}` },
  });
  const hookPath = join(hooksDir, hook);
  if (existsSync(hookPath) && !(await readFile(hookPath, 'utf8')).includes(MARKER)) {
    throw new Error(`${hookPath} exists and was not written by conveyor: move it away first`);
  }
  const configPath = join(commonDir, CONFIG_FILE);
  await writeFile(configPath, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  await chmod(configPath, 0o600);
  const command = [process.execPath, mainTs, 'hook', 'notify', '--config', configPath, '--hook', hook];
  const script = [
    '#!/bin/sh',
    `${MARKER}: written by \`conveyor hook install\`; tells the Conveyor bridge about ${hook === 'post-receive' ? 'pushes' : 'commits'}.`,
    `# The webhook secret is in ${configPath} (mode 600), not here. Never fails the git operation.`,
    `${command.map(shellQuote).join(' ')} || echo "conveyor: warning: the bridge was not notified" >&2`,
    'exit 0',
    '',
  ].join('\n');
  await mkdir(hooksDir, { recursive: true });
  await writeFile(hookPath, script, { mode: 0o755 });
  await chmod(hookPath, 0o755);
  console.log(`installed ${hook} hook: ${hookPath}`);
  console.log(`notifies ${url} for ${config.branch ? `branch ${config.branch}` : 'every branch'}`);
  console.log(`secret from ${source}, kept in ${configPath} (mode 600)`);
}

/** Commit details for the payload, in the given order (one `git log` for all). */
async function commitsOf(cwd: string, shas: readonly string[]): Promise<GithubCommit[]> {
  if (shas.length === 0) return [];
  const format = ['%H', '%T', '%an', '%ae', '%cn', '%ce', '%cI', '%B'].join('%x1f');
  const out = await git(cwd, 'log', '--no-walk=unsorted', '-z', `--format=${format}`, ...shas);
  return out
    .split('\0')
    .filter((r) => r !== '')
    .map((record) => {
      const [id = '', tree = '', an = '', ae = '', cn = '', ce = '', at = '', message = ''] =
        record.split('\x1f');
      return {
        id,
        tree_id: tree,
        distinct: true,
        message: message.trimEnd(),
        timestamp: at,
        author: { name: an, email: ae },
        committer: { name: cn, email: ce },
      };
    });
}

/** GitHub's push payload for one ref update (`before` → `after`). */
async function pushPayload(cwd: string, config: HookConfig, before: string, after: string, ref: string) {
  const created = isZeroCommit(before);
  const deleted = isZeroCommit(after);
  let shas: string[] = [];
  if (!deleted) {
    // New commits: those not reachable before the push (for a new branch: from any other ref).
    const others = (await git(cwd, 'for-each-ref', '--format=%(refname)'))
      .split('\n')
      .filter((r) => r !== '' && r !== ref);
    const range = created ? [after, '--not', ...others] : [`${before}..${after}`];
    shas = (await git(cwd, 'rev-list', '--reverse', ...range)).split('\n').filter((s) => s !== '');
  }
  const commits = await commitsOf(cwd, shas.slice(-MAX_COMMITS));
  const head = deleted ? null : (commits.find((c) => c.id === after) ?? (await commitsOf(cwd, [after]))[0]);
  const forced =
    !created &&
    !deleted &&
    (await git(cwd, 'merge-base', '--is-ancestor', before, after).then(
      () => false,
      () => true,
    ));
  const payload: GithubPushEventInput = {
    ref,
    before,
    after,
    created,
    deleted,
    forced,
    commits,
    head_commit: head ?? null,
    repository: { name: config.repository.full_name.split('/').pop(), ...config.repository },
    pusher: { name: await gitOr(cwd, 'conveyor', 'config', 'user.name') },
  };
  return payload;
}

/** Ref updates the hook saw: post-receive reads `<old> <new> <ref>` lines; post-commit is HEAD's. */
async function refUpdates(
  hook: string,
  cwd: string,
): Promise<{ before: string; after: string; ref: string }[]> {
  if (hook === 'post-receive') {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks)
      .toString('utf8')
      .split('\n')
      .map((line) => line.trim().split(/\s+/))
      .filter((parts): parts is [string, string, string] => parts.length === 3)
      .map(([before, after, ref]) => ({ before, after, ref }));
  }
  // A rebase commits many times on its way; only where it ends counts (the next commit, or a push).
  const rebasing = await Promise.all(
    ['rebase-merge', 'rebase-apply'].map(async (p) =>
      existsSync(resolve(cwd, await git(cwd, 'rev-parse', '--git-path', p))),
    ),
  );
  const ref = await gitOr(cwd, '', 'symbolic-ref', '-q', 'HEAD');
  if (ref === '' || rebasing.some(Boolean)) return [];
  const after = await git(cwd, 'rev-parse', 'HEAD');
  return [{ before: await gitOr(cwd, ZERO, 'rev-parse', '-q', '--verify', 'HEAD^'), after, ref }];
}

async function notify(flags: { config: string; hook: string }): Promise<void> {
  const config = HookConfigSchema.parse(JSON.parse(await readFile(flags.config, 'utf8')));
  const cwd = process.cwd();
  for (const update of await refUpdates(flags.hook, cwd)) {
    if (config.branch && update.ref !== `refs/heads/${config.branch}`) continue;
    const body = Buffer.from(
      JSON.stringify(await pushPayload(cwd, config, update.before, update.after, update.ref)),
    );
    const delivery = randomUUID();
    let status: number;
    let answer: Record<string, unknown>;
    try {
      const response = await fetch(config.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'conveyor-hook',
          [GithubHeaders.event]: 'push',
          [GithubHeaders.delivery]: delivery,
          [GithubHeaders.signature]: githubSignature(config.secret, body),
        },
        body,
        signal: AbortSignal.timeout(NOTIFY_TIMEOUT_MS),
      });
      status = response.status;
      answer = (await response.json().catch(() => ({}))) as Record<string, unknown>;
    } catch (e: unknown) {
      const why = e instanceof Error ? (e.cause instanceof Error ? e.cause.message : e.message) : String(e);
      console.error(
        `conveyor: warning: could not reach the bridge at ${config.url} (${why}); is it running?`,
      );
      continue;
    }
    const short = `${update.ref.replace(/^refs\/heads\//, '')}@${update.after.slice(0, 7)}`;
    if (status === 200) {
      const runs = (answer['runs'] as { workflowId: string }[] | undefined) ?? [];
      console.error(
        `conveyor: training ${short}: ${runs.map((r) => r.workflowId).join(', ')} (delivery ${delivery})`,
      );
    } else if (status === 202) {
      console.error(`conveyor: not training ${short}: ${String(answer['ignored'] ?? 'ignored')}`);
    } else {
      console.error(
        `conveyor: warning: the bridge answered ${status} for ${short}: ${String(answer['error'] ?? '')}`,
      );
    }
  }
}

/** `conveyor hook install [--repo DIR] [--url URL] [--branch B]`, and the hook's hidden `notify`. */
export function registerHook(program: Command): void {
  const hook = program.command('hook').description('git hooks that start training on push or commit');
  hook
    .command('install')
    .description(
      'write a post-receive (bare repository) or post-commit hook that calls the bridge’s GitHub webhook, signed',
    )
    .option('--repo <dir>', 'repository to install into (default: the current directory)')
    .option('--url <url>', 'webhook URL (default: the local stack’s bridge, /webhooks/github)')
    .option('--branch <branch>', 'notify only this branch (default: every branch; the bridge filters too)')
    .action((flags: InstallFlags) => install(flags));
  hook.addCommand(
    new Command('notify')
      .description('called by the hook: send the signed push event to the bridge')
      .requiredOption('--config <file>', 'the hook’s conveyor-hook.json')
      .requiredOption('--hook <name>', 'post-receive or post-commit')
      .action((flags: { config: string; hook: string }) => notify(flags)),
    { hidden: true },
  );
}
