/**
 * A finished DAG's outputs, taken from its tasks (`valueFromParameter`, `valueFromOneof` for
 * dsl.OneOf, `artifactSelectors`), and a loop's outputs, gathered from its iterations into lists
 * (what dsl.Collected consumes).
 */
import type { ArtifactRecord, TaskRecord } from './job-model.ts';
import type { DagDef } from './spec-types.ts';
import { TaskError, type TaskInputs } from './task-inputs.ts';
import type { Json } from './struct.ts';

/** @throws TaskError when a dsl.OneOf output has no branch that produced it, or a task that ran lacks an output */
export function collectDagOutputs(dag: DagDef, children: Map<string, TaskRecord>): TaskInputs {
  const parameters: Record<string, Json> = {};
  for (const [name, out] of Object.entries(dag.outputParameters)) {
    const from = out.selectors.find(
      (s) => s.key in (children.get(s.producerSubtask)?.outputParameters ?? {}),
    );
    if (from) {
      parameters[name] = children.get(from.producerSubtask)?.outputParameters[from.key] ?? null;
      continue;
    }
    const tasks = out.selectors.map((s) => s.producerSubtask);
    if (out.oneOf) {
      throw new TaskError(`output "${name}" (dsl.OneOf): none of the tasks ${tasks.join(', ')} produced it`);
    }
    const producer = children.get(tasks[0] ?? '');
    // A task whose condition was false produces nothing; whoever consumes the output then fails naming it.
    if (producer?.state === 'SUCCEEDED') {
      throw new TaskError(
        `output "${name}": task "${producer.taskName}" produced no "${out.selectors[0]?.key}"`,
      );
    }
  }
  const artifacts: Record<string, ArtifactRecord[]> = {};
  for (const [name, selectors] of Object.entries(dag.outputArtifacts)) {
    for (const s of selectors) {
      const list = children.get(s.producerSubtask)?.outputs[s.key];
      if (list && list.length > 0) {
        artifacts[name] = list;
        break;
      }
    }
  }
  return { parameters, artifacts };
}

/** A loop's outputs: each DAG output as the list of its iterations' values, in iteration order. */
export function gatherIterations(dag: DagDef, iterations: TaskInputs[]): TaskInputs {
  const parameters: Record<string, Json> = {};
  for (const name of Object.keys(dag.outputParameters)) {
    parameters[name] = iterations
      .filter((it) => name in it.parameters)
      .map((it) => it.parameters[name] ?? null);
  }
  const artifacts: Record<string, ArtifactRecord[]> = {};
  for (const name of Object.keys(dag.outputArtifacts)) {
    artifacts[name] = iterations.flatMap((it) => it.artifacts[name] ?? []);
  }
  return { parameters, artifacts };
}
