// `conveyor hook notify`: what the installed hook runs. Builds GitHub's push payload from git for
// each ref update, signs it with the webhook secret and posts it to the bridge.
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import {
  GithubHeaders,
  isZeroCommit,
  type GithubCommit,
  type GithubPushEventInput,
} from '@conveyor/contracts';
import { githubSignature } from '@conveyor/platform';
import { git, gitOr, HookConfigSchema, type HookConfig } from './config.ts';

/** GitHub lists at most 2,048 commits in a push event. */
const MAX_COMMITS = 2048;
/** A hook must not hold up git for long: GitHub itself gives a delivery 10 s. */
const NOTIFY_TIMEOUT_MS = 10_000;
const ZERO = '0'.repeat(40);

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

/**
 * `conveyor hook notify`, run by the hook: sends each ref update (filtered by branch) to the bridge as a
 * signed push event and says on stderr what the bridge did. Never throws for the bridge's answer: a
 * hook must not fail the git operation.
 */
export async function notify(flags: { config: string; hook: string }): Promise<void> {
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
