// `conveyor hook install|notify`: the git hook that sends pushes and commits to the bridge's GitHub
// webhook (apps/cli/src/hook/). `install` follows every command's conventions: `-o`, `--target`
// (the local stack's bridge and secret only on the local target) and the exit code table.
import { Command } from 'commander';
import { formatInstalled, installHook } from '../hook/install.ts';
import { notify } from '../hook/notify.ts';
import { addOutputOption, formatOf, Printer, type OutputFlags } from '../common/output.ts';
import { addTargetNameOption, chooseTargetName, type TargetName } from '../common/target.ts';

interface InstallFlags extends OutputFlags {
  readonly repo?: string;
  readonly url?: string;
  readonly branch?: string;
  readonly target?: string;
}

async function install(flags: InstallFlags): Promise<void> {
  const printer = new Printer(formatOf(flags));
  let target: TargetName | undefined;
  const installed = await installHook({
    repo: flags.repo,
    url: flags.url,
    branch: flags.branch,
    env: process.env,
    // Asked only when the URL or the secret would come from the local stack.
    target: async () => {
      if (target === undefined) {
        const chosen = await chooseTargetName(flags);
        printer.note(`conveyor → ${chosen.name} (${chosen.chosenBy})`);
        target = chosen.name;
      }
      return target;
    },
  });
  printer.result(installed, () => formatInstalled(installed));
}

/** `conveyor hook install [--repo DIR] [--url URL] [--branch B]`, and the hook's hidden `notify`. */
export function registerHook(program: Command): void {
  const hook = program.command('hook').description('git hooks that start training on push or commit');
  const installCommand = hook
    .command('install')
    .description(
      'write a post-receive (bare repository) or post-commit hook that calls the bridge’s GitHub webhook, signed',
    )
    .option('--repo <dir>', 'repository to install into (default: the current directory)')
    .option('--url <url>', 'webhook URL (default on the local target: the stack’s bridge, /webhooks/github)')
    .option('--branch <branch>', 'notify only this branch (default: every branch; the bridge filters too)')
    .action((flags: InstallFlags) => install(flags));
  addTargetNameOption(addOutputOption(installCommand));
  hook.addCommand(
    new Command('notify')
      .description('called by the hook: send the signed push event to the bridge')
      .requiredOption('--config <file>', 'the hook’s conveyor-hook.json')
      .requiredOption('--hook <name>', 'post-receive or post-commit')
      .action((flags: { config: string; hook: string }) => notify(flags)),
    { hidden: true },
  );
}
