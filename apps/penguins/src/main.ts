/**
 * The penguins training app: one command per pipeline component, run as
 * `node penguins.js <component> --flag value ...` (KFP v2 container protocol: the platform
 * resolves artifacts to local paths and passes parameters as values).
 * Exit status: 0 done, 1 failed, 2 usage error (unknown component or bad flags).
 */
import { UsageError } from './cli/flags.ts';
import { runEvaluator } from './components/evaluator.ts';
import { runExampleGen } from './components/example-gen.ts';
import { runPusher } from './components/pusher.ts';
import { runTrainer } from './components/trainer.ts';

type Component = (argv: readonly string[], env: NodeJS.ProcessEnv) => Promise<void>;

const COMPONENTS: Record<string, Component> = {
  'example-gen': runExampleGen,
  trainer: runTrainer,
  evaluator: runEvaluator,
  pusher: runPusher,
};

const USAGE = `usage: penguins <${Object.keys(COMPONENTS).join('|')}> --flag value ...  (see apps/penguins/README.md)`;

async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h') {
    console.log(USAGE);
    return name === undefined ? 2 : 0;
  }
  const component = COMPONENTS[name];
  if (component === undefined) {
    console.error(`penguins: unknown component '${name}'\n${USAGE}`);
    return 2;
  }
  try {
    await component(rest, process.env);
    return 0;
  } catch (e: unknown) {
    if (e instanceof UsageError) {
      console.error(`penguins ${name}: ${e.message}`);
      return 2;
    }
    console.error(`penguins ${name}: failed: ${e instanceof Error ? e.message : String(e)}`);
    if (e instanceof Error && e.stack !== undefined) console.error(e.stack);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
