// `conveyor hook …` run as the command line it is (apps/cli), for the webhook tests.
import { runProgram, type Ran } from '@conveyor/testing';
import { repoPath } from '@conveyor/platform/repo-root';

const cliMain = repoPath('apps', 'cli', 'src', 'main.ts');

/** Runs `conveyor hook <args>` with `env` added to this process's environment. */
export function conveyorHook(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Ran> {
  return runProgram(process.execPath, [cliMain, 'hook', ...args], { env: { ...process.env, ...env } });
}
