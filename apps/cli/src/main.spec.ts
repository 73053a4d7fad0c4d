import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildProgram } from './main.ts';

/** Every leaf command with its path. */
function leaves(command: Command, path: string[] = []): [string, Command][] {
  if (command.commands.length === 0) return [[path.join(' '), command]];
  return command.commands.flatMap((c) => leaves(c, [...path, c.name()]));
}

const has = (command: Command, flag: string) => command.options.some((o) => o.long === flag);

/** Commands that only touch this machine: no target to choose. */
const OFFLINE = new Set(['stack up', 'stack status', 'stack down', 'compile', 'completion', 'demo']);

describe('the command tree', () => {
  const all = leaves(buildProgram());

  it('every command takes -o text|json|jsonl (and the hidden --json)', () => {
    for (const [path, command] of all) {
      const output = command.options.find((o) => o.long === '--output');
      expect({ path, short: output?.short, choices: output?.argChoices }).toEqual({
        path,
        short: '-o',
        choices: ['text', 'json', 'jsonl'],
      });
      expect(command.options.find((o) => o.long === '--json')?.hidden, path).toBe(true);
    }
  });

  it('every command that talks to a target takes --target and the temporal CLI’s connection flags', () => {
    for (const [path, command] of all) {
      if (OFFLINE.has(path)) continue;
      for (const flag of [
        '--target',
        '--profile',
        '--address',
        '--namespace',
        '--api-key',
        '--tls-cert-path',
        '--tls-key-path',
      ])
        expect({ path, flag, present: has(command, flag) }).toEqual({ path, flag, present: true });
    }
  });
});
