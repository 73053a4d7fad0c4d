// Exit codes and the errors that carry them. One table for every command, the same in text and
// JSON output (apps/cli/README.md "Exit codes").
import { CommanderError } from 'commander';
import { ScheduleNotFoundError, WorkflowNotFoundError } from '@temporalio/client';
import { ZodError } from 'zod';
import { GcpError } from '@conveyor/gcp/errors';
import { numericCodeOf } from '@conveyor/contracts';
import { InvalidImageReferenceError } from '@conveyor/pipeline';
import { InvalidParametersError, InvalidPipelineSpecError } from '@conveyor/pipeline/spec';
import { UnknownPipelineError } from '@conveyor/pipelines';
import { ConfigError } from '@conveyor/platform';
import { StackConfigError, StackError } from '@conveyor/stack';

/** Exit codes of `conveyor`. */
export const ExitCodes = {
  ok: 0,
  /** A bad flag, argument or parameter; an unknown pipeline, run or schedule. */
  usage: 1,
  /** The run or sweep ended FAILED, TERMINATED or TIMED_OUT. */
  runFailed: 2,
  /** The target does not answer as it should: the stack is down, Temporal is unreachable, a doctor check failed. */
  unhealthy: 3,
  /** The run or sweep ended CANCELLED. */
  cancelled: 4,
  /** `conveyor demo` stopped by Ctrl-C (128 + SIGINT, the shell's convention). */
  interrupted: 130,
  /** Configuration is missing or wrong: a variable, a profile, credentials (sysexits' EX_CONFIG). */
  config: 78,
} as const;

/** An exit code of `conveyor`. */
export type ExitCode = (typeof ExitCodes)[keyof typeof ExitCodes];

/** A flag value the user must fix (exit 1); the message starts with the flag. */
export class FlagError extends Error {
  override readonly name = 'FlagError';
  /** The flag at fault, e.g. `--interval`. */
  readonly flag: string;
  constructor(flag: string, message: string) {
    super(`${flag}: ${message}`);
    this.flag = flag;
  }
}

/** A failure whose exit code the command decided (e.g. a doctor check, a missing report). */
export class ExitError extends Error {
  override readonly name = 'ExitError';
  readonly code: ExitCode;
  constructor(code: ExitCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** gRPC codes that mean the service did not answer (UNAVAILABLE, DEADLINE_EXCEEDED). */
const UNREACHABLE_CODES = new Set([14, 4]);
/** gRPC codes that mean the credentials are missing or lack a permission (UNAUTHENTICATED, PERMISSION_DENIED). */
const CREDENTIAL_CODES = new Set([16, 7]);
/** gRPC NOT_FOUND: a run, schedule or resource the user named does not exist. */
const NOT_FOUND = 5;

/** The innermost-first chain of causes of an error. */
function chain(e: unknown): unknown[] {
  const out: unknown[] = [];
  for (let c: unknown = e; c !== undefined && out.length < 8; c = (c as { cause?: unknown }).cause) {
    out.push(c);
    if (!(c instanceof Error)) break;
  }
  return out;
}

/** The exit code an error ends `conveyor` with. */
export function exitCodeOf(e: unknown): ExitCode {
  if (e instanceof ExitError) return e.code;
  if (e instanceof CommanderError) return e.exitCode === 0 ? ExitCodes.ok : ExitCodes.usage;
  if (e instanceof ConfigError || e instanceof StackConfigError) return ExitCodes.config;
  if (e instanceof StackError) return ExitCodes.unhealthy;
  for (const c of chain(e)) {
    if (
      c instanceof FlagError ||
      c instanceof InvalidParametersError ||
      c instanceof InvalidPipelineSpecError ||
      c instanceof InvalidImageReferenceError ||
      c instanceof UnknownPipelineError ||
      c instanceof ZodError ||
      c instanceof WorkflowNotFoundError ||
      c instanceof ScheduleNotFoundError
    )
      return ExitCodes.usage;
    if (c instanceof GcpError) {
      if (c.kind === 'permission-denied') return ExitCodes.config;
      if (c.kind === 'not-found' || c.kind === 'invalid-argument') return ExitCodes.usage;
      if (c.kind === 'transient') return ExitCodes.unhealthy;
    }
    const code = numericCodeOf(c);
    if (code !== undefined && UNREACHABLE_CODES.has(code)) return ExitCodes.unhealthy;
    if (code !== undefined && CREDENTIAL_CODES.has(code)) return ExitCodes.config;
    if (code === NOT_FOUND) return ExitCodes.usage;
    // The Temporal client's words when the server never answered.
    if (c instanceof Error && /Failed to connect before the deadline|ECONNREFUSED/.test(c.message))
      return ExitCodes.unhealthy;
  }
  return ExitCodes.usage;
}
