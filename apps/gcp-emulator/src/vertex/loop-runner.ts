/**
 * dsl.ParallelFor: a task with a `parameterIterator` (a raw JSON list or a list input parameter) or
 * an `artifactIterator` (a list input artifact) runs its DAG once per item, at most
 * `iteratorPolicy.parallelismLimit` at a time. Each iteration is a DAG record
 * `<loop>-iteration-<i>` under the loop's record; the loop's outputs are its iterations' outputs,
 * gathered into lists (what dsl.Collected consumes).
 */
import { gatherIterations } from './dag-outputs.ts';
import type { ArtifactRecord, TaskRecord } from './job-model.ts';
import {
  newTaskRecord,
  setTaskState,
  Slots,
  CODE_CANCELLED,
  CODE_FAILED_PRECONDITION,
  type RunContext,
} from './run-context.ts';
import type { ComponentDef, IteratorDef } from './spec-types.ts';
import type { Json } from './struct.ts';
import { convert, TaskError, type TaskInputs } from './task-inputs.ts';
import { messageOf } from '../rpc-error.ts';

/** Runs one iteration's DAG and returns its outputs. @throws TaskError when it did not succeed */
export type IterationBody = (iteration: TaskRecord, inputs: TaskInputs) => Promise<TaskInputs>;

/** Runs every iteration; fills the loop record's outputs. @throws TaskError naming failed iterations */
export async function runLoop(
  run: RunContext,
  record: TaskRecord,
  iterator: IteratorDef,
  parallelism: number,
  component: ComponentDef,
  inputs: TaskInputs,
  body: IterationBody,
): Promise<void> {
  const items = loopItems(iterator, inputs);
  record.executionMetadata = { iteration_count: items.length };
  const iterations = items.map((_, i) =>
    newTaskRecord(run, {
      taskName: `${record.taskName}-iteration-${i}`,
      parentTaskId: record.taskId,
      uniqueName: `${record.taskUniqueName ?? record.taskName}.iteration-${i}`,
      kind: 'dag',
    }),
  );
  const limit = new Slots(parallelism > 0 ? parallelism : Math.max(items.length, 1));
  const outputs: TaskInputs[] = [];
  await Promise.all(
    items.map(async (item, i) => {
      const iteration = iterations[i];
      if (!iteration) return;
      iteration.executionMetadata = { iteration_index: i };
      const release = await limit.take();
      try {
        if (run.signal.aborted) {
          setTaskState(run, iteration, 'CANCELLED', {
            code: CODE_CANCELLED,
            message: 'Not run: the pipeline job was cancelled.',
          });
          return;
        }
        const own = iterationInputs(iterator, component, inputs, item);
        iteration.inputParameters = own.parameters;
        iteration.inputs = own.artifacts;
        setTaskState(run, iteration, 'RUNNING');
        const result = await body(iteration, own);
        iteration.outputParameters = result.parameters;
        iteration.outputs = result.artifacts;
        outputs[i] = result;
        setTaskState(run, iteration, 'SUCCEEDED');
      } catch (e: unknown) {
        const message = messageOf(e);
        if (run.signal.aborted) setTaskState(run, iteration, 'CANCELLED', { code: CODE_CANCELLED, message });
        else setTaskState(run, iteration, 'FAILED', { code: CODE_FAILED_PRECONDITION, message });
      } finally {
        release();
      }
    }),
  );
  const failed = iterations.filter((it) => it.state !== 'SUCCEEDED');
  if (failed.length > 0) {
    throw new TaskError(
      `The DAG failed because some tasks failed. The failed tasks are: [${failed.map((f) => f.taskName).join(', ')}].`,
    );
  }
  const gathered = gatherIterations(
    component.dag ?? { tasks: [], outputParameters: {}, outputArtifacts: {} },
    outputs,
  );
  record.outputParameters = gathered.parameters;
  record.outputs = gathered.artifacts;
}

function loopItems(iterator: IteratorDef, inputs: TaskInputs): (Json | ArtifactRecord)[] {
  if (iterator.kind === 'artifact') {
    const list = inputs.artifacts[iterator.inputArtifact];
    if (!list)
      throw new TaskError(`ParallelFor: no input artifact "${iterator.inputArtifact}" to iterate over`);
    return list;
  }
  let items: Json | undefined;
  if ('raw' in iterator.items) {
    try {
      items = JSON.parse(iterator.items.raw) as Json;
    } catch (e: unknown) {
      throw new TaskError(`ParallelFor: items.raw is not JSON: ${iterator.items.raw}`, { cause: e });
    }
  } else {
    items = inputs.parameters[iterator.items.inputParameter];
    if (items === undefined)
      throw new TaskError(
        `ParallelFor: no input parameter "${iterator.items.inputParameter}" to iterate over`,
      );
  }
  if (!Array.isArray(items)) {
    throw new TaskError(
      `ParallelFor: the items to iterate over are not a list: ${JSON.stringify(items).slice(0, 80)}`,
    );
  }
  return items;
}

function iterationInputs(
  iterator: IteratorDef,
  component: ComponentDef,
  inputs: TaskInputs,
  item: Json | ArtifactRecord,
): TaskInputs {
  if (iterator.kind === 'artifact') {
    return {
      parameters: inputs.parameters,
      artifacts: { ...inputs.artifacts, [iterator.itemInput]: [item as ArtifactRecord] },
    };
  }
  const def = component.inputParameters[iterator.itemInput];
  const value = item as Json;
  return {
    parameters: { ...inputs.parameters, [iterator.itemInput]: def ? convert(def.type, value) : value },
    artifacts: inputs.artifacts,
  };
}
