import { CommanderError } from 'commander';
import { WorkflowNotFoundError } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { GcpError } from '@conveyor/gcp/errors';
import { InvalidParametersError } from '@conveyor/pipeline/spec';
import { UnknownPipelineError } from '@conveyor/pipelines';
import { ConfigError } from '@conveyor/platform';
import { StackError } from '@conveyor/stack';
import { ExitCodes, ExitError, exitCodeOf, FlagError } from './errors.ts';

const grpc = (code: number) => Object.assign(new Error(`grpc ${code}`), { code });

describe('exitCodeOf', () => {
  it.each([
    ['a bad flag', new FlagError('--x', 'bad'), ExitCodes.usage],
    ['commander usage', new CommanderError(1, 'commander.unknownOption', 'x'), ExitCodes.usage],
    ['--help', new CommanderError(0, 'commander.helpDisplayed', ''), ExitCodes.ok],
    ['bad parameters', new InvalidParametersError([{ parameter: 'p', message: 'm' }]), ExitCodes.usage],
    ['an unknown pipeline', new UnknownPipelineError('x', ['penguins']), ExitCodes.usage],
    ['an unknown run', new WorkflowNotFoundError('gone', 'w', undefined), ExitCodes.usage],
    ['configuration', new ConfigError([{ variable: 'V', message: 'm' }]), ExitCodes.config],
    ['a stack that failed to start', new StackError('temporal', 'down'), ExitCodes.unhealthy],
    ['Temporal never answered', new Error('Failed to connect before the deadline'), ExitCodes.unhealthy],
    ['UNAVAILABLE, wrapped', new Error('x', { cause: grpc(14) }), ExitCodes.unhealthy],
    ['PERMISSION_DENIED', grpc(7), ExitCodes.config],
    ['NOT_FOUND', grpc(5), ExitCodes.usage],
    [
      'Google permission denied',
      new GcpError('Storage.read', 'permission-denied', '403', 'no', undefined),
      ExitCodes.config,
    ],
    [
      'Google unavailable',
      new GcpError('Storage.read', 'transient', '503', 'busy', undefined),
      ExitCodes.unhealthy,
    ],
    ['a decided code', new ExitError(ExitCodes.cancelled, 'cancelled'), ExitCodes.cancelled],
    ['anything else', new Error('boom'), ExitCodes.usage],
  ])('%s → its code', (_what, error, code) => {
    expect(exitCodeOf(error)).toBe(code);
  });
});
