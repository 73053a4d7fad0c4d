// `conveyor hook install`: a git hook that tells the bridge about every push (bare repositories:
// post-receive) or commit (work trees: post-commit) in GitHub's webhook format, signed with the
// webhook secret, so "commit → image → model" works offline. The hook calls the hidden
// `conveyor hook notify`, which builds and signs the payload; the secret stays in a file only the
// owner can read, never in the hook script.
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '@conveyor/platform';
import { LOCAL_WEBHOOK_SECRET } from '@conveyor/stack';
import { localStackConfig } from '../common/checkout.ts';
import { ExitCodes, ExitError, FlagError } from '../common/errors.ts';
import type { TargetName } from '../common/target.ts';
import { git, HOOK_CONFIG_FILE, HOOK_MARKER, HookConfigSchema } from './config.ts';

const mainTs = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'main.ts');

/** What `hook install` needs besides the repository. */
export interface InstallOptions {
  readonly repo?: string | undefined;
  readonly url?: string | undefined;
  readonly branch?: string | undefined;
  /** Which target, asked only when the URL or the secret has to come from the local stack. */
  readonly target: () => Promise<TargetName>;
  readonly env: Record<string, string | undefined>;
}

/** The result of `conveyor hook install` (`-o json` prints it as is). */
export interface InstalledHook {
  /** `post-receive` (bare repository) or `post-commit` (work tree). */
  readonly hook: 'post-receive' | 'post-commit';
  readonly hookPath: string;
  /** The hook's configuration file (mode 600, holds the secret). */
  readonly configPath: string;
  /** The webhook URL the hook posts to. */
  readonly url: string;
  /** The only branch it notifies, or null for every branch. */
  readonly branch: string | null;
  /** Where the secret came from: a variable, or the local stack's default. */
  readonly secretSource: string;
}

/** The webhook secret: the environment's, or (local target only) the local stack's default. */
async function secretOf(options: InstallOptions): Promise<{ secret: string; source: string }> {
  const env = options.env;
  if (env['CONVEYOR_GITHUB_WEBHOOK_SECRET']) {
    return { secret: env['CONVEYOR_GITHUB_WEBHOOK_SECRET'], source: 'CONVEYOR_GITHUB_WEBHOOK_SECRET' };
  }
  const file = env['CONVEYOR_GITHUB_WEBHOOK_SECRET_FILE'];
  if (file) {
    const secret = (await readFile(file, 'utf8')).replace(/\r?\n$/, '');
    return { secret, source: `CONVEYOR_GITHUB_WEBHOOK_SECRET_FILE (${file})` };
  }
  if ((await options.target()) === 'local') {
    return { secret: LOCAL_WEBHOOK_SECRET, source: "the local stack's default" };
  }
  throw new ConfigError([
    {
      variable: 'CONVEYOR_GITHUB_WEBHOOK_SECRET',
      message:
        "the cloud target needs the bridge's webhook secret: set it (or CONVEYOR_GITHUB_WEBHOOK_SECRET_FILE)",
    },
  ]);
}

/** The webhook URL: `--url`, or (local target only) the local stack's bridge. */
async function urlOf(options: InstallOptions): Promise<string> {
  if (options.url) return options.url;
  if ((await options.target()) === 'cloud') {
    throw new FlagError(
      '--url',
      'the cloud target has no default: give the bridge’s https://…/webhooks/github',
    );
  }
  const stack = localStackConfig(options.env);
  return `http://${stack.host}:${stack.ports.bridge}/webhooks/github`;
}

/**
 * Writes the hook and its configuration into the repository.
 * @throws FlagError when `--repo` is not a git repository; ExitError (usage) when a hook of someone
 *   else's is in the way.
 */
export async function installHook(options: InstallOptions): Promise<InstalledHook> {
  const repo = resolve(options.repo ?? '.');
  const bare = await git(repo, 'rev-parse', '--is-bare-repository').catch(() => {
    throw new FlagError('--repo', `${repo} is not a git repository`);
  });
  const hook = bare === 'true' ? 'post-receive' : 'post-commit';
  const hooksDir = resolve(repo, await git(repo, 'rev-parse', '--git-path', 'hooks'));
  const commonDir = resolve(repo, await git(repo, 'rev-parse', '--git-common-dir'));
  const location = bare === 'true' ? commonDir : await git(repo, 'rev-parse', '--show-toplevel');
  const url = await urlOf(options);
  const { secret, source } = await secretOf(options);
  const config = HookConfigSchema.parse({
    url,
    secret,
    ...(options.branch ? { branch: options.branch } : {}),
    repository: { clone_url: location, full_name: `local/${basename(location).replace(/\.git$/, '')}` },
  });
  const hookPath = join(hooksDir, hook);
  if (existsSync(hookPath) && !(await readFile(hookPath, 'utf8')).includes(HOOK_MARKER)) {
    throw new ExitError(
      ExitCodes.usage,
      `${hookPath} exists and was not written by conveyor: move it away first`,
    );
  }
  const configPath = join(commonDir, HOOK_CONFIG_FILE);
  await writeFile(configPath, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  await chmod(configPath, 0o600);
  const command = [process.execPath, mainTs, 'hook', 'notify', '--config', configPath, '--hook', hook];
  const script = [
    '#!/bin/sh',
    `${HOOK_MARKER}: written by \`conveyor hook install\`; tells the Conveyor bridge about ${hook === 'post-receive' ? 'pushes' : 'commits'}.`,
    `# The webhook secret is in ${configPath} (mode 600), not here. Never fails the git operation.`,
    `${command.map(shellQuote).join(' ')} || echo "conveyor: warning: the bridge was not notified" >&2`,
    'exit 0',
    '',
  ].join('\n');
  await mkdir(hooksDir, { recursive: true });
  await writeFile(hookPath, script, { mode: 0o755 });
  await chmod(hookPath, 0o755);
  return { hook, hookPath, configPath, url, branch: config.branch ?? null, secretSource: source };
}

/** `'…'` for sh, whatever the path holds. */
const shellQuote = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;

/** The text `hook install` prints. */
export function formatInstalled(h: InstalledHook): string {
  return [
    `installed ${h.hook} hook: ${h.hookPath}`,
    `notifies ${h.url} for ${h.branch ? `branch ${h.branch}` : 'every branch'}`,
    `secret from ${h.secretSource}, kept in ${h.configPath} (mode 600)`,
  ].join('\n');
}
