import { spawn } from 'node:child_process';

/** A child process that exited non-zero; carries its output for the message. */
export class CommandError extends Error {
  override readonly name = 'CommandError';
  readonly command: string;
  readonly exitCode: number | null;
  readonly output: string;
  constructor(command: string, exitCode: number | null, output: string) {
    super(
      `'${command}' failed (exit ${exitCode ?? 'signal'}):\n${output.trim().split('\n').slice(-20).join('\n')}`,
    );
    this.command = command;
    this.exitCode = exitCode;
    this.output = output;
  }
}

/** Options of {@link run}. */
export interface RunOptions {
  readonly cwd?: string;
  readonly env?: Record<string, string | undefined>;
  /** Kill the command after this many milliseconds. @default 15 minutes (a cold Go build on 2 cores) */
  readonly timeoutMs?: number;
}

/**
 * Runs a command to completion and returns its combined output.
 * @throws CommandError when it exits non-zero, times out, or cannot start
 */
export function run(file: string, args: readonly string[], options: RunOptions = {}): Promise<string> {
  const shown = [file, ...args].join(' ');
  return new Promise((resolvePromise, reject) => {
    const child = spawn(file, args, {
      cwd: options.cwd,
      env: options.env as NodeJS.ProcessEnv | undefined,
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: options.timeoutMs ?? 15 * 60_000,
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', (error) => reject(new CommandError(shown, null, error.message)));
    child.on('close', (code) =>
      code === 0 ? resolvePromise(output) : reject(new CommandError(shown, code, output)),
    );
  });
}

/** Whether an executable can be started (`<file> <versionArg>` exits 0). */
export async function hasTool(
  file: string,
  versionArg = '--version',
  env?: Record<string, string | undefined>,
): Promise<boolean> {
  try {
    await run(file, [versionArg], { timeoutMs: 30_000, env });
    return true;
  } catch {
    return false;
  }
}
