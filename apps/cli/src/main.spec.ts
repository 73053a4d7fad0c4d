import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildProgram, groupsFor } from './main.ts';

const hidden = (c: Command) => (c as unknown as { _hidden?: boolean })._hidden === true;

/** Every leaf command people type, with its path (hidden ones, like the hook's `hook notify`, aside). */
function leaves(command: Command, path: string[] = []): [string, Command][] {
  if (command.commands.length === 0) return [[path.join(' '), command]];
  return command.commands.filter((c) => !hidden(c)).flatMap((c) => leaves(c, [...path, c.name()]));
}

const has = (command: Command, flag: string) => command.options.some((o) => o.long === flag);

/** Commands that only touch this machine: no target to choose. */
const OFFLINE = new Set(['stack up', 'stack status', 'stack down', 'compile', 'completion', 'demo']);
/** Commands that choose a target but open no connection: `--target` only. */
const TARGET_ONLY = new Set(['hook install']);

const program = await buildProgram();

describe('the command tree', () => {
  const all = leaves(program);

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
      if (TARGET_ONLY.has(path)) {
        expect({ path, target: has(command, '--target'), address: has(command, '--address') }).toEqual({
          path,
          target: true,
          address: false,
        });
        continue;
      }
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

describe('loading one group', () => {
  const argv = (...args: string[]) => ['node', 'conveyor', ...args];

  it('a group named first is loaded alone, --version loads none; help, typos and completion load all', () => {
    const all = program.commands.map((c) => c.name());
    expect(groupsFor(argv('schedule', 'list', '-o', 'json'))).toEqual(['schedule']);
    expect(groupsFor(argv('runs'))).toEqual(['runs']);
    expect(groupsFor(argv('--version'))).toEqual([]);
    expect(groupsFor(argv('-V'))).toEqual([]);
    for (const args of [[], ['--help'], ['help', 'run'], ['schedul'], ['completion', 'bash'], ['toString']])
      expect({ args, groups: groupsFor(argv(...args)) }).toEqual({ args, groups: all });
  });

  it('a group loaded alone has the same commands and options as in the whole tree', async () => {
    const shape = (c: Command): unknown => ({
      name: c.name(),
      options: c.options.map((o) => o.flags),
      commands: c.commands.map(shape),
    });
    for (const group of program.commands) {
      const name = group.name() as ReturnType<typeof groupsFor>[number];
      const alone = await buildProgram([name]);
      expect(alone.commands.map(shape)).toEqual([shape(group)]);
    }
  });
});
