import { run } from './exec.ts';
import { STACK_SEARCH_ATTRIBUTES } from './services.ts';

/**
 * Registers the Conveyor search attributes the dev server lacks. `--search-attribute` at start
 * registers them only when the server creates its database: a `.data/` from an older version keeps
 * its old set, and a new attribute (e.g. ConveyorSweep) would make every start that sets it fail.
 * @returns the attributes it created
 */
export async function ensureSearchAttributes(
  temporal: string,
  address: string,
  namespace: string,
  log?: (line: string) => void,
): Promise<string[]> {
  const target = ['--address', address, '--namespace', namespace];
  const listed = JSON.parse(
    await run(temporal, ['operator', 'search-attribute', 'list', ...target, '-o', 'json'], {
      timeoutMs: 30_000,
    }),
  ) as { customAttributes?: Record<string, string> };
  const missing = Object.entries(STACK_SEARCH_ATTRIBUTES).filter(
    ([name]) => !(name in (listed.customAttributes ?? {})),
  );
  for (const [name, type] of missing) {
    await run(
      temporal,
      ['operator', 'search-attribute', 'create', '--name', name, '--type', type, ...target],
      {
        timeoutMs: 30_000,
      },
    );
    log?.(`registered search attribute ${name} (${type})`);
  }
  return missing.map(([name]) => name);
}
