import { writeText } from './files.ts';

/** What a component reports to the KFP launcher besides its files. */
export interface ExecutorOutputContent {
  /** Metadata per output artifact name (e.g. row counts, metrics). */
  readonly artifacts?: Readonly<Record<string, Record<string, unknown>>>;
  /** Output parameter values (also written to their own output files). */
  readonly parameterValues?: Readonly<Record<string, string | number | boolean>>;
}

/**
 * The KFP v2 ExecutorOutput JSON: `{"artifacts": {name: {"artifacts": [{"metadata": …}]}},
 * "parameterValues": {…}}`, which the launcher merges into the task's outputs.
 */
export function executorOutputJson(content: ExecutorOutputContent): string {
  const artifacts: Record<string, { artifacts: { metadata: Record<string, unknown> }[] }> = {};
  for (const [name, metadata] of Object.entries(content.artifacts ?? {})) {
    artifacts[name] = { artifacts: [{ metadata }] };
  }
  return `${JSON.stringify({ artifacts, parameterValues: content.parameterValues ?? {} }, null, 2)}\n`;
}

/** Writes the executor output to `file` when the platform gave one (`{{$.outputs.output_file}}`). */
export async function writeExecutorOutput(
  file: string | undefined,
  content: ExecutorOutputContent,
): Promise<void> {
  if (file === undefined) return;
  await writeText(file, executorOutputJson(content));
}
