// What `conveyor hook install` writes beside a repository's git config and the hook reads back: the
// bridge's URL, the webhook secret, the branch filter and the repository's identity in the payload.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { z } from 'zod';

const run = promisify(execFile);

/** Marks hooks `conveyor hook install` wrote, so it replaces its own and never someone else's. */
export const HOOK_MARKER = '# conveyor-hook';
/** Beside the repository's config, mode 600: the URL, the secret, the branch filter, the identity. */
export const HOOK_CONFIG_FILE = 'conveyor-hook.json';

/** The hook's configuration file. */
export const HookConfigSchema = z.object({
  url: z.url(),
  secret: z.string().min(16),
  /** Notify only pushes to this branch; every branch when absent (the bridge filters too). */
  branch: z.string().min(1).optional(),
  repository: z.object({ clone_url: z.string().min(1), full_name: z.string().min(1) }),
});
/** The hook's configuration. */
export type HookConfig = z.infer<typeof HookConfigSchema>;

/** `git <args>` in `cwd`, its stdout trimmed (64 MiB: a push of thousands of commits logs a lot). */
export async function git(cwd: string, ...args: string[]): Promise<string> {
  return (await run('git', args, { cwd, maxBuffer: 64 * 1024 * 1024 })).stdout.trim();
}

/** Like {@link git}, or `fallback` when git fails (an unset config value, no parent commit). */
export async function gitOr(cwd: string, fallback: string, ...args: string[]): Promise<string> {
  return git(cwd, ...args).catch(() => fallback);
}
