/**
 * Deterministic external ids. Every id that had to be rewritten or shortened carries at least 64 bits
 * of SHA-256 of what it identifies, so two different inputs never share an id (a 32-bit hash collides
 * after ~77,000 ids; 64 bits after ~5 billion). Pure code: the workflow bundle imports it.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';

/** Hex SHA-256 of a UTF-8 string. */
export function sha256Hex(text: string): string {
  return bytesToHex(sha256(utf8ToBytes(text)));
}

/**
 * `bits` of SHA-256 over the parts, as hex. Parts are joined with NUL, which no id, commit or tag
 * contains, so ('a-b', 'c') and ('a', 'b-c') hash differently.
 */
export function hashOf(parts: readonly string[], bits: 64 | 128 = 64): string {
  return sha256Hex(parts.join('\u0000')).slice(0, bits / 4);
}

/** Longest Vertex `pipelineJobId`. */
const JOB_ID_MAX = 128;
/** Longest Cloud Build tag. */
const TAG_MAX = 128;

/** `[a-z0-9-]` form of an id, for a readable prefix (the hash suffix carries the identity). */
function lowerDashed(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-{2,}/g, '-');
}

/** `prefix` cut so that `prefix-<hash>` fits in `max` characters, without a trailing dash. */
function withHash(prefix: string, hash: string, max: number): string {
  return `${prefix.slice(0, max - hash.length - 1).replace(/-+$/, '')}-${hash}`;
}

/**
 * Vertex `pipelineJobId` of one workflow execution (`[a-z][a-z0-9-]*`, ≤ 128 chars): a readable form
 * of the workflow id plus 64 bits of SHA-256 of the workflow id and run id. A retried activity or a
 * restarted worker inside one execution finds the same job; a new execution of the same workflow id
 * (`conveyor run --id X` again, a reset) submits its own.
 */
export function pipelineJobIdFor(workflowId: string, runId: string): string {
  let readable = lowerDashed(workflowId).replace(/^[^a-z]+/, '');
  if (readable === '') readable = 'run';
  return withHash(readable, hashOf([workflowId, runId]), JOB_ID_MAX);
}

/**
 * Cloud Build tag of one workflow execution's build (`^[\w][\w.-]{0,127}$`): the build activity lists
 * builds by this tag before creating one, so a retry adopts its own build and never another
 * execution's.
 */
export function buildTagFor(workflowId: string, runId: string): string {
  const readable = `conveyor-run-${workflowId.replace(/[^\w.-]+/g, '-')}`;
  return withHash(readable, hashOf([workflowId, runId]), TAG_MAX);
}

/** Prefix of the tag naming the workflow that started a build. */
const OWNER_TAG_PREFIX = 'owner-';

/**
 * The tag naming the workflow that started a build (`owner-<workflow id>`), so `conveyor runs
 * cleanup` can tell a build whose owner is gone from one still needed. Empty when the id is not
 * tag-safe or too long (cleanup then leaves such a build alone): `imageBuild` ids always fit.
 */
export function ownerTagsFor(workflowId: string): string[] {
  const tag = `${OWNER_TAG_PREFIX}${workflowId}`;
  return /^[\w][\w.-]*$/.test(tag) && tag.length <= TAG_MAX ? [tag] : [];
}

/** The owner's workflow id named by a build's tags (see {@link ownerTagsFor}), if any. */
export function ownerFromTags(tags: readonly string[]): string | undefined {
  const tag = tags.find((t) => t.startsWith(OWNER_TAG_PREFIX) && t.length > OWNER_TAG_PREFIX.length);
  return tag?.slice(OWNER_TAG_PREFIX.length);
}

/**
 * What identifies a training image: the pipeline, the commit and the exact build config text, pushed
 * to one image repository. One image is built per key and every run that needs it adopts it.
 */
export interface ImageKey {
  readonly pipeline: string;
  /** Full commit SHA. */
  readonly commit: string;
  /** Hex SHA-256 of the build config file's bytes at that commit. */
  readonly configSha256: string;
  /**
   * Where the image is pushed (`CONVEYOR_IMAGE_REPOSITORY`): two deployments sharing a Temporal
   * namespace but pushing to different registries must not adopt each other's builds.
   */
  readonly repository: string;
}

/** Cloud Build tags every image build carries; adoption checks all of them. */
export interface ImageTags {
  /** 128 bits of SHA-256 of the whole key: the lookup tag. */
  readonly key: string;
  readonly pipeline: string;
  readonly commit: string;
  readonly config: string;
}

/** The tags of an image build (each ≤ 128 chars of `[\w.-]`). */
export function imageTagsFor(key: ImageKey): ImageTags {
  return {
    key: `conveyor-image-${hashOf([key.pipeline, key.commit, key.configSha256, key.repository], 128)}`,
    pipeline: `pipeline-${key.pipeline}`,
    commit: `commit-${key.commit}`,
    config: `config-${key.configSha256}`,
  };
}

/**
 * Workflow id of the one `imageBuild` that owns a key: `image-<pipeline>-<commit>-<64 bits of SHA-256
 * of the config hash and the repository>`. Runs attach to it (signal-with-start), so concurrent runs
 * share one build.
 */
export function imageWorkflowIdFor(key: ImageKey): string {
  return `image-${key.pipeline}-${key.commit}-${hashOf([key.configSha256, key.repository])}`;
}

/**
 * One-line summary shown in the Web UI, e.g. `penguins · learning_rate=0.01 num_epochs=3 · pubsub`.
 * Parameters are sorted by name, so every trigger summarises the same run the same way.
 */
export function summarizeRun(request: {
  pipeline: string;
  parameters: Record<string, unknown>;
  trigger: { kind: string };
}): string {
  const params = Object.keys(request.parameters)
    .sort()
    .map((name) => `${name}=${String(request.parameters[name])}`)
    .join(' ');
  return [request.pipeline, params || 'defaults', request.trigger.kind].join(' · ');
}
