// The `--node-flags` option of the benches that start a worker process: the worker's own V8 flags
// (workerNodeFlags) unless the option replaces them, `--node-flags=` for none.
import { workerNodeFlags } from '@conveyor/platform/node-flags';

/** The Node flags a bench starts its worker processes with, from the `--node-flags` option's value. */
export function workerFlagsOption(value: string | undefined): readonly string[] {
  return value === undefined ? workerNodeFlags : value.split(/\s+/).filter(Boolean);
}
