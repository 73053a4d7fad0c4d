// Reading what kfp 2.17.3 compiles (the committed fixtures) into the executor's shapes.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readPipelineSpec } from './spec.ts';
import type { JsonObject } from './struct.ts';

function fixture(name: string): JsonObject {
  return JSON.parse(
    readFileSync(new URL(`../../tests/fixtures/kfp/${name}.json`, import.meta.url), 'utf8'),
  ) as JsonObject;
}

type Dag = { tasks: Record<string, JsonObject>; outputs: { parameters: Record<string, JsonObject> } };

function dagOf(spec: JsonObject, component: string): Dag {
  return (spec['components'] as unknown as Record<string, { dag: Dag }>)[component]!.dag;
}

describe('reading kfp-compiled control flow', () => {
  it('loops: iterators (items from an input, raw, artifacts), parallelism, field selectors, collected outputs', () => {
    const spec = readPipelineSpec(fixture('loops'));
    const squares = spec.root.dag.tasks.find((t) => t.name === 'squares');
    expect(squares?.iterator).toEqual({
      kind: 'parameter',
      itemInput: 'pipelinechannel--numbers-Output-loop-item',
      items: { inputParameter: 'pipelinechannel--numbers-Output' },
    });
    expect(squares?.parallelism).toBe(2);
    const shards = spec.root.dag.tasks.find((t) => t.name === 'each-shard');
    expect(shards?.iterator).toMatchObject({
      kind: 'artifact',
      inputArtifact: 'pipelinechannel--make-shards-Output',
    });
    const body = spec.components[spec.root.dag.tasks.find((t) => t.name === 'configs')!.componentRef]!;
    const describe = body.dag!.tasks.find((t) => t.name === 'describe');
    expect(describe?.parameters['size']).toEqual({
      kind: 'componentInput',
      name: 'pipelinechannel--configs-loop-item',
      selector: 'parseJson(string_value)["size"]',
    });
    expect(body.dag!.tasks.find((t) => t.name === 'inner')?.iterator).toMatchObject({
      items: { raw: '[1, 2]' },
    });
    expect(spec.components['comp-count-all']?.inputArtifacts['parts']?.isList).toBe(true);
  });

  it('conditions, dsl.OneOf, exit handlers and importers', () => {
    const conditions = readPipelineSpec(fixture('conditions'));
    const branches =
      conditions.components[
        conditions.root.dag.tasks.find((t) => t.key === 'condition-branches-1')!.componentRef
      ]!;
    expect(branches.dag?.tasks.find((t) => t.name === 'is-big')?.condition).toBe(
      "!(inputs.parameter_values['pipelinechannel--flip-Output'] == 'heads') && int(inputs.parameter_values['pipelinechannel--threshold']) > 10",
    );
    expect(Object.values(branches.dag!.outputParameters)[0]).toMatchObject({ oneOf: true });
    expect(Object.values(branches.dag!.outputParameters)[0]?.selectors).toHaveLength(3);

    const failing = readPipelineSpec(fixture('failing'));
    const verdict = failing.root.dag.tasks.find((t) => t.name === 'verdict');
    expect(verdict?.runAfterUpstreamCompleted).toBe(true);
    expect(verdict?.parameters['status']).toEqual({
      kind: 'taskFinalStatus',
      producerTask: 'exit-handler-1',
    });
    expect(verdict?.dependsOn).toEqual(['exit-handler-1']);
    expect(failing.components['comp-check-status']?.inputParameters['status']?.type).toBe(
      'TASK_FINAL_STATUS',
    );

    const importer = readPipelineSpec(fixture('importer-cache'));
    expect(importer.executors['exec-importer']).toMatchObject({
      kind: 'importer',
      artifactUri: { runtimeParameter: 'uri' },
      schemaTitle: 'system.Dataset',
      metadata: { source: 'fixture' },
    });
    expect(importer.root.dag.tasks.find((t) => t.name === 'stamp')?.cache).toEqual({ enabled: true });
    expect(importer.root.dag.tasks.find((t) => t.name === 'stamp-uncached')?.cache).toEqual({
      enabled: false,
    });
    expect(importer.root.inputArtifacts['given']).toMatchObject({
      schemaTitle: 'system.Dataset',
      isOptional: false,
    });
  });

  it('refuses a sub-DAG task depending on a task outside its DAG, and a DAG output from an unknown task', () => {
    const broken = fixture('nested');
    dagOf(broken, 'comp-inner').tasks['square']!['dependentTasks'] = ['count-rows'];
    expect(() => readPipelineSpec(broken)).toThrow(/depends on unknown task "count-rows" \(in comp-inner\)/);
    const badOutput = fixture('nested');
    dagOf(badOutput, 'comp-inner').outputs.parameters['squared'] = {
      valueFromParameter: { producerSubtask: 'ghost', outputParameterKey: 'Output' },
    };
    expect(() => readPipelineSpec(badOutput)).toThrow(/comes from unknown task "ghost"/);
  });
});
