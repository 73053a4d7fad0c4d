/**
 * The part of GitHub's webhook contract Conveyor reads: the headers of a delivery and the fields of
 * a `push` event. The bridge parses deliveries with it and `conveyor hook notify` writes its local
 * pushes in the same shape, so both sides agree by construction. Fields GitHub sends beyond these
 * are allowed and ignored (GitHub adds fields over time).
 */
import { z } from 'zod';

/** Request headers of a webhook delivery (lowercase, as Node's HTTP server gives them). */
export const GithubHeaders = {
  /** `push`, `ping`, … */
  event: 'x-github-event',
  /** A GUID per event; a redelivery carries the same one. */
  delivery: 'x-github-delivery',
  /** `sha256=` + hex HMAC-SHA256 of the raw body with the webhook's secret. */
  signature: 'x-hub-signature-256',
} as const;

/** GitHub's "no commit" object name: `before` of a new branch, `after` of a deleted one. */
export function isZeroCommit(sha: string): boolean {
  return /^0+$/.test(sha);
}

const GitActorSchema = z.object({
  name: z.string(),
  email: z.string().nullable().optional(),
});

/** One commit of a push. */
export const GithubCommitSchema = z.object({
  id: z.string().min(1),
  tree_id: z.string().optional(),
  distinct: z.boolean().optional(),
  message: z.string(),
  /** ISO 8601 with the committer's offset, e.g. `2026-01-02T03:04:05+01:00`. */
  timestamp: z.string(),
  url: z.string().optional(),
  author: GitActorSchema,
  committer: GitActorSchema,
});
/** One commit of a push. */
export type GithubCommit = z.infer<typeof GithubCommitSchema>;

/** The repository a push went to; GitHub sends every URL form of it. */
export const GithubRepositorySchema = z.object({
  name: z.string().optional(),
  /** `owner/name`. */
  full_name: z.string().min(1),
  clone_url: z.string().optional(),
  ssh_url: z.string().optional(),
  git_url: z.string().optional(),
  html_url: z.string().optional(),
  url: z.string().optional(),
});
/** The repository a push went to. */
export type GithubRepository = z.infer<typeof GithubRepositorySchema>;

/** A `push` event's payload (the fields Conveyor reads or writes). */
export const GithubPushEventSchema = z.object({
  /** `refs/heads/<branch>` or `refs/tags/<tag>`. */
  ref: z.string().min(1),
  /** Commit the ref pointed at before the push (zeros for a new ref). */
  before: z.string().min(1),
  /** Commit the ref points at after the push (zeros for a deleted ref). */
  after: z.string().min(1),
  created: z.boolean().optional(),
  deleted: z.boolean().optional(),
  forced: z.boolean().optional(),
  /** The pushed commits, oldest first (GitHub lists at most 2,048). */
  commits: z.array(GithubCommitSchema).default([]),
  /** The commit `after` names; null when the ref was deleted. */
  head_commit: GithubCommitSchema.nullable().optional(),
  repository: GithubRepositorySchema,
  pusher: GitActorSchema.optional(),
});
/** A `push` event's payload. */
export type GithubPushEvent = z.infer<typeof GithubPushEventSchema>;
/** What a sender may write (defaults not applied). */
export type GithubPushEventInput = z.input<typeof GithubPushEventSchema>;
