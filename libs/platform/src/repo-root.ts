// Where this checkout is, worked out once: apps, tools, tests and benchmarks that need a path inside
// the repository (its apps, fixtures, .data, the checkout itself as the local repository) start from
// here instead of counting `..` from their own file. In libs/platform so every app may use it.
import { resolve } from 'node:path';

/** Absolute path of the repository root (this file is `libs/platform/src/repo-root.ts`). */
export const repoRoot: string = resolve(import.meta.dirname, '..', '..', '..');

/** An absolute path inside the repository, from its root-relative segments. */
export function repoPath(...segments: string[]): string {
  return resolve(repoRoot, ...segments);
}
