/**
 * Deterministic external ids derived from the workflow id: retries and crashes find the same build
 * and pipeline job instead of creating new ones (DESIGN.md §6, Idempotency).
 */

/** FNV-1a 32-bit, hex: a short stable suffix when an id had to be shortened or rewritten. */
function shortHash(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}

/**
 * Vertex `pipelineJobId` for a workflow id: `[a-z0-9-]`, starts with a letter, at most 128 chars.
 * A hash suffix keeps ids distinct when rewriting was lossy (case folding, invalid characters, length).
 */
export function pipelineJobIdFor(workflowId: string): string {
  let id = workflowId.toLowerCase().replace(/[^a-z0-9-]+/g, '-');
  if (!/^[a-z]/.test(id)) id = `run-${id}`;
  id = id.replace(/-+$/, '');
  if (id === workflowId && id.length <= 128) return id;
  return `${id.slice(0, 128 - 9).replace(/-+$/, '')}-${shortHash(workflowId)}`;
}

/**
 * Cloud Build tag carrying the run id (tags match `^[\w][\w.-]{0,127}$`). The build activity lists
 * builds by this tag before creating one.
 */
export function buildTagFor(workflowId: string): string {
  const prefix = 'conveyor-run-';
  const clean = workflowId.replace(/[^\w.-]+/g, '-');
  if (clean === workflowId && prefix.length + clean.length <= 128) return `${prefix}${clean}`;
  return `${prefix}${clean.slice(0, 128 - prefix.length - 9)}-${shortHash(workflowId)}`;
}

/**
 * One-line summary shown in the Web UI, e.g. `penguins · num_epochs=3 learning_rate=0.01 · pubsub`.
 */
export function summarizeRun(request: {
  pipeline: string;
  parameters: Record<string, unknown>;
  trigger: { kind: string };
}): string {
  const params = Object.entries(request.parameters)
    .map(([name, value]) => `${name}=${String(value)}`)
    .join(' ');
  return [request.pipeline, params || 'defaults', request.trigger.kind].join(' · ');
}
