// A GitHub `push` delivery → the training runs it starts, or why it starts none. Pure: no I/O.
import { matchesGlob, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  GithubPushEventSchema,
  isZeroCommit,
  TrainingRunRequestSchema,
  TriggerKeyNamespaces,
  triggerWorkflowId,
  type GithubRepository,
  type TrainingRunRequest,
} from '@conveyor/contracts';
import { schemaProblems } from './decode-common.ts';

/** What {@link decidePush} needs besides the payload. */
export interface PushRules {
  /** The repository this bridge builds (CONVEYOR_REPO_URL): pushes elsewhere are ignored. */
  readonly repoUrl: string;
  /** Branch names or globs whose pushes train. */
  readonly branches: readonly string[];
  /** Pipelines each push trains. */
  readonly pipelines: readonly string[];
}

/** One run a push starts. */
export interface PushRun {
  readonly kind: 'run';
  readonly request: TrainingRunRequest;
  readonly workflowId: string;
}

/** What to do with a push delivery. */
export type PushDecision =
  | { readonly kind: 'start'; readonly branch: string; readonly commit: string; readonly runs: PushRun[] }
  /** A push this bridge does not train (a tag, a deleted branch, another branch or repository). */
  | { readonly kind: 'ignored'; readonly reason: string }
  /** Not a push payload; says which fields are wrong. */
  | { readonly kind: 'invalid'; readonly detail: string };

const BRANCH_REF = 'refs/heads/';

/**
 * A repository location reduced to what identifies it: `host/owner/name` for a remote URL (any of
 * https, ssh, scp-like `git@host:owner/name`, git://; lowercase, without user, port, `.git` or a
 * trailing slash), `local:<absolute path>` for a path or `file://` URL (without `.git`, so a work
 * tree and its `.git` directory are one repository).
 */
export function repositoryIdentity(location: string): string {
  const url = /^[a-z][a-z0-9+.-]*:\/\//i.test(location) ? safeUrl(location) : undefined;
  if (url && url.protocol !== 'file:') {
    return `${url.hostname}${url.pathname}`
      .toLowerCase()
      .replace(/\/+$/, '')
      .replace(/\.git$/, '');
  }
  const scp = /^(?:[^@/]+@)?([^:/]+):(?!\/)(.+)$/.exec(location);
  if (!url && scp?.[1] !== undefined && scp[2] !== undefined) {
    return `${scp[1]}/${scp[2]}`
      .toLowerCase()
      .replace(/\/+$/, '')
      .replace(/\.git$/, '');
  }
  const path = url ? filePath(url) : location;
  return `local:${resolve(path)
    .replace(/\/\.git$/, '')
    .replace(/\.git$/, '')}`;
}

function filePath(url: URL): string {
  try {
    return fileURLToPath(url);
  } catch {
    return url.pathname;
  }
}

function safeUrl(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}

/** Whether the payload's repository is `repoUrl`, by any of the URLs GitHub sends or its full name. */
export function isSameRepository(repoUrl: string, repository: GithubRepository): boolean {
  const want = repositoryIdentity(repoUrl);
  const urls = [
    repository.clone_url,
    repository.ssh_url,
    repository.git_url,
    repository.html_url,
    repository.url,
  ];
  const given = [
    ...urls.filter((u): u is string => u !== undefined && u !== ''),
    // The full name is `owner/name` on github.com; GitHub Enterprise deliveries carry their host's URLs.
    `https://github.com/${repository.full_name}`,
  ];
  return given.some((u) => repositoryIdentity(u) === want);
}

/** Whether `branch` is one of `patterns` (names, or globs where `*` stays within a `/` segment). */
export function branchMatches(branch: string, patterns: readonly string[]): boolean {
  return patterns.some((p) => p === branch || matchesGlob(branch, p));
}

/** The head commit's time as ISO 8601 when the payload gives one for `after`; else now. */
function headTime(
  event: { after: string; head_commit?: { id: string; timestamp: string } | null | undefined },
  now: number,
): string {
  const head = event.head_commit;
  const at = head && head.id === event.after ? Date.parse(head.timestamp) : Number.NaN;
  return new Date(Number.isNaN(at) ? now : at).toISOString();
}

/**
 * Decides what a push delivery starts: one `trainingRun` per configured pipeline on the pushed head
 * commit (`after`), however many commits the push carried, keyed by the delivery id (a redelivery
 * maps to the same workflow ids). The run's parameters are left empty: the workflow reads the
 * pipeline's parameters file at that commit. Ignored: another repository, tags, deleted branches,
 * branches outside the filter.
 */
export function decidePush(
  payload: unknown,
  delivery: string,
  rules: PushRules,
  now = Date.now(),
): PushDecision {
  const parsed = GithubPushEventSchema.safeParse(payload);
  if (!parsed.success) return { kind: 'invalid', detail: schemaProblems(parsed.error.issues) };
  const event = parsed.data;
  if (!isSameRepository(rules.repoUrl, event.repository)) {
    return {
      kind: 'ignored',
      reason: `push to ${event.repository.full_name}, not to the repository this bridge builds (CONVEYOR_REPO_URL)`,
    };
  }
  if (!event.ref.startsWith(BRANCH_REF)) return { kind: 'ignored', reason: `${event.ref} is not a branch` };
  const branch = event.ref.slice(BRANCH_REF.length);
  if (event.deleted === true || isZeroCommit(event.after)) {
    return { kind: 'ignored', reason: `branch ${branch} was deleted` };
  }
  if (!branchMatches(branch, rules.branches)) {
    return {
      kind: 'ignored',
      reason: `branch ${branch} is not one this bridge trains (${rules.branches.join(', ')})`,
    };
  }
  const runs: PushRun[] = [];
  for (const pipeline of rules.pipelines) {
    const request = TrainingRunRequestSchema.safeParse({
      pipeline,
      parameters: {},
      source: { repoUrl: rules.repoUrl, branch, commit: event.after },
      trigger: { kind: 'git', id: delivery, at: headTime(event, now) },
      labels: {},
    });
    if (!request.success) return { kind: 'invalid', detail: schemaProblems(request.error.issues) };
    runs.push({
      kind: 'run',
      request: request.data,
      workflowId: triggerWorkflowId(pipeline, TriggerKeyNamespaces.delivery, delivery),
    });
  }
  return { kind: 'start', branch, commit: event.after, runs };
}
