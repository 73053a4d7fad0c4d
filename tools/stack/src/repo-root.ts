// Where this checkout is, worked out once: tools, tests and benchmarks that need a path inside the
// repository (its apps, fixtures, .data) start from here instead of counting `..` from their own file.
import { resolve } from 'node:path';

/** Absolute path of the repository root (this file is `tools/stack/src/repo-root.ts`). */
export const repoRoot: string = resolve(import.meta.dirname, '..', '..', '..');

/** An absolute path inside the repository, from its root-relative segments. */
export function repoPath(...segments: string[]): string {
  return resolve(repoRoot, ...segments);
}
