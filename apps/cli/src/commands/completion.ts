// `conveyor completion bash|zsh`: a completion script generated from the command tree.
import { Argument, type Command } from 'commander';
import { bashCompletion, zshCompletion } from '../common/completion.ts';
import { addOutputOption, formatOf, Printer, type OutputFlags } from '../common/output.ts';

/** `conveyor completion bash|zsh`. */
export function registerCompletion(program: Command): void {
  const command = program
    .command('completion')
    .description('print a shell completion script: source <(npx conveyor completion bash)')
    .addArgument(new Argument('<shell>', 'bash or zsh').choices(['bash', 'zsh']))
    .action((shell: 'bash' | 'zsh', flags: OutputFlags) => {
      const script = shell === 'bash' ? bashCompletion(program) : zshCompletion(program);
      new Printer(formatOf(flags)).result({ shell, script }, () => script.replace(/\n$/, ''));
    });
  addOutputOption(command);
}
