/**
 * The penguins training app: one command per pipeline component, run as
 * `node penguins.js <component> --flag value ...` (KFP v2 container protocol: the platform
 * resolves artifacts to local paths and passes parameters as values), or with
 * `--executor_input <json>` standing for those flags (see cli/executor-input.ts).
 * Exit status: 0 done, 1 failed, 2 usage error (unknown component or bad flags).
 */
import { expandExecutorInput } from './cli/executor-input.ts';
import { UsageError } from './cli/flags.ts';
import { gcsMount } from './io/gcs-path.ts';

type Component = (argv: readonly string[], env: NodeJS.ProcessEnv) => Promise<void>;

// Loaded on demand: only the trainer and evaluator need tfjs, whose import takes most of a second.
const COMPONENTS: Record<string, () => Promise<Component>> = {
  'example-gen': async () => (await import('./components/example-gen.ts')).runExampleGen,
  trainer: async () => (await import('./components/trainer.ts')).runTrainer,
  evaluator: async () => (await import('./components/evaluator.ts')).runEvaluator,
  pusher: async () => (await import('./components/pusher.ts')).runPusher,
};

const USAGE = `usage: penguins <${Object.keys(COMPONENTS).join('|')}> --flag value ...  (see apps/penguins/README.md)`;

async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h') {
    console.log(USAGE);
    return name === undefined ? 2 : 0;
  }
  const load = COMPONENTS[name];
  if (load === undefined) {
    console.error(`penguins: unknown component '${name}'\n${USAGE}`);
    return 2;
  }
  try {
    const args = expandExecutorInput(rest, gcsMount(process.env));
    const component = await load();
    await component(args, process.env);
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
