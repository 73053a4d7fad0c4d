// Control flow in the DSL: what it writes beyond the kfp comparison (determinism, CEL details) and every
// misuse a user can hit, each failing with a message naming the group, task or parameter.
import { describe, expect, it } from 'vitest';
import { compilePipeline } from './compile.ts';
import { defineComponent } from './component.ts';
import { eq, gt, lt, ne } from './conditions.ts';
import { PipelineCompileError, PipelineDefinitionError } from './errors.ts';
import { definePipeline, type PipelineBuilder, type RuntimeParameterDecls } from './pipeline.ts';
import { collected, taskFinalStatus, type TaskOutputParamRef } from './refs.ts';
import { double, echo, echoInt, flip, loops, report, total } from './test-control-flow.ts';

const problemsOf = <P extends RuntimeParameterDecls>(
  parameters: P,
  build: (p: PipelineBuilder<P>) => void,
): readonly string[] => {
  try {
    compilePipeline(definePipeline({ name: 'bad', parameters }, build));
  } catch (e: unknown) {
    if (e instanceof PipelineCompileError) return e.problems;
    throw e;
  }
  throw new Error('compiled without problems');
};

describe('control flow output', () => {
  it('is deterministic: same pipeline, same bytes and sha256', () => {
    expect(compilePipeline(loops).json).toBe(compilePipeline(loops).json);
    expect(compilePipeline(loops).sha256).toBe(compilePipeline(loops).sha256);
  });

  it('writes string constants as CEL literals with quotes and backslashes escaped', () => {
    const spec = compilePipeline(
      definePipeline({ name: 'quote', parameters: { s: { type: 'STRING' } } }, (p) => {
        p.condition(eq(p.param('s'), "it's \\ fine"), (p) => {
          p.task('echo', echo, { msg: 'x' });
        });
      }),
    ).spec;
    expect(spec.root.dag.tasks['condition-1']).toMatchObject({
      triggerPolicy: { condition: "inputs.parameter_values['pipelinechannel--s'] == 'it\\'s \\\\ fine'" },
    });
  });

  it('compares two runtime values, and loops over a literal list of doubles when told to', () => {
    const spec = compilePipeline(
      definePipeline(
        { name: 'two', parameters: { a: { type: 'NUMBER_INTEGER' }, b: { type: 'NUMBER_DOUBLE' } } },
        (p) => {
          p.condition(lt(p.param('a'), p.param('b')), (p) => {
            p.parallelFor([0.5, 1], (x, p) => p.task('echo-float', echoFloatLike, { x }), {
              itemType: 'NUMBER_DOUBLE',
            });
          });
        },
      ),
    ).spec as unknown as {
      root: { dag: { tasks: Record<string, unknown> } };
      components: Record<string, unknown>;
    };
    expect(spec.root.dag.tasks['condition-1']).toMatchObject({
      triggerPolicy: {
        condition:
          "double(int(inputs.parameter_values['pipelinechannel--a'])) < inputs.parameter_values['pipelinechannel--b']",
      },
    });
    expect(spec.components['comp-for-loop-3']).toMatchObject({
      inputDefinitions: {
        parameters: { 'pipelinechannel--loop-item-param-2': { parameterType: 'NUMBER_DOUBLE' } },
      },
    });
  });
});

const echoFloatLike = defineComponent({
  name: 'echo-float',
  command: ['echo'],
  image: 'alpine:3.20',
  inputs: { parameters: { x: 'NUMBER_DOUBLE' } },
});

describe('control flow mistakes fail to compile, naming what is wrong', () => {
  it('conditions over missing values, mismatched types, lists and artifacts', () => {
    expect(
      problemsOf({ mode: { type: 'STRING' }, n: { type: 'NUMBER_INTEGER' }, l: { type: 'LIST' } }, (p) => {
        const f = p.task('flip', flip, { seed: 1 });
        const body = (p: PipelineBuilder<RuntimeParameterDecls>) =>
          void p.task(`e${++count}`, echo, { msg: 'x' });
        let count = 0;
        // Deliberately wrong, as JavaScript callers (or casts) could write them.
        p.condition(eq({ ref: 'pipelineParam', name: 'nope', type: 'STRING' }, 'a'), body);
        p.condition(eq(f.outputParam('nope' as never) as TaskOutputParamRef<'STRING'>, 'a'), body);
        p.condition(eq(p.param('mode'), 3 as never), body);
        p.condition(eq(p.param('n') as never, 'three'), body);
        p.condition(gt(p.param('mode') as never, 'z' as never), body);
        p.condition(eq(p.param('l') as never, 'x'), body);
        p.condition(eq(f.outputArtifact('x' as never) as never, 'x'), body);
        p.condition(eq('a' as never, 'a'), body);
      }),
    ).toEqual([
      "condition-1: compares unknown runtime parameter 'nope'",
      "condition-2: compares output parameter 'nope' that task 'flip' does not have",
      "condition-3: compares runtime parameter 'mode' (STRING) with 3 (NUMBER_INTEGER)",
      'condition-4: compares runtime parameter \'n\' (NUMBER_INTEGER) with "three" (STRING)',
      "condition-5: '>' compares numbers, but runtime parameter 'mode' is STRING",
      "condition-6: compares runtime parameter 'l', a LIST: conditions compare strings, numbers and booleans",
      'condition-7: compares an artifact: conditions compare parameters',
      'condition-8: compares two constants ("a" == "a")',
    ]);
  });

  it('loops over non-lists, empty or mixed lists, fractions typed as integers, bad parallelism', () => {
    expect(
      problemsOf({ mode: { type: 'STRING' } }, (p) => {
        const f = p.task('flip', flip, { seed: 1 });
        const body = () => void p.task(`e${++count}`, echo, { msg: 'x' });
        let count = 0;
        p.parallelFor(p.param('mode') as never, body);
        p.parallelFor(f.outputParam('result') as never, body);
        p.parallelFor([], body);
        p.parallelFor([1, 'a'] as never, body);
        p.parallelFor([0.5, 1.5], body);
        p.parallelFor([{ a: 1 }] as never, body);
        p.parallelFor(['a'], body, { parallelism: 0 });
        p.parallelFor(['a'], body, { itemType: 'NUMBER_INTEGER' as never });
      }),
    ).toEqual([
      "for-loop-1: loops over runtime parameter 'mode', which is STRING, not LIST",
      "for-loop-2: loops over output 'flip.result', which is STRING, not LIST",
      'for-loop-4: loops over an empty list',
      'for-loop-6: loops over [1,"a"], which mixes number and string',
      "for-loop-8: loops over [0.5,1.5], which are not all integers: pass { itemType: 'NUMBER_DOUBLE' }",
      'for-loop-10: loops over [{"a":1}]; literal items must be strings, numbers or booleans',
      'for-loop-12: parallelism must be a positive integer, got 0',
      'for-loop-14: itemType NUMBER_INTEGER does not fit the items ["a"]',
    ]);
  });

  it('outputs used outside the condition or loop that makes them, loop items outside their loop', () => {
    expect(
      problemsOf({ nums: { type: 'LIST' } }, (p) => {
        let inside: TaskOutputParamRef<'STRING'> | undefined;
        p.condition(eq(p.param('nums') as never, 'x'), (p) => {
          inside = p.task('flip', flip, { seed: 1 }).outputParam('result');
        });
        p.task('echo', echo, { msg: inside as TaskOutputParamRef<'STRING'> });
        const [item, d] = p.parallelFor(p.param('nums'), (n, p) => [n, p.task('double', double, { n })], {
          itemType: 'NUMBER_INTEGER',
        });
        p.task('echo-int', echoInt, { n: item });
        p.task('echo-int-2', echoInt, { n: d.outputParam('out') });
      }),
    ).toEqual([
      "condition-1: compares runtime parameter 'nums', a LIST: conditions compare strings, numbers and booleans",
      "task 'echo': input 'msg' uses flip.result, made inside condition-1, which only tasks inside it can use",
      "task 'echo-int': input 'n' uses the item of for-loop-2 outside that loop",
      "task 'echo-int-2': input 'n' uses double.out, made inside for-loop-2, which only tasks inside it can use; gather it into a list with collected(double.outputParam('out'))",
    ]);
  });

  it('collected outside a loop or inside its own loop; after a task inside a condition', () => {
    expect(
      problemsOf({ b: { type: 'BOOLEAN' } }, (p) => {
        const d = p.task('double', double, { n: 1 });
        p.task('total', total, { ns: collected(d.outputParam('out')) });
        p.parallelFor([1, 2], (n, p) => {
          const inner = p.task('double-2', double, { n });
          p.task('total-2', total, { ns: collected(inner.outputParam('out')) });
        });
        const f = p.condition(eq(p.param('b'), true), (p) => p.task('flip', flip, { seed: 1 }));
        void f;
        const hidden = p.condition(eq(p.param('b'), false), (p) => void p.task('flip-2', flip, { seed: 2 }));
        void hidden;
        p.task('echo', echo, { msg: 'after' }, { after: [{ name: 'flip-2' } as never] });
      }),
    ).toEqual([
      "task 'total': input 'ns' collects double.out, but task 'double' is not directly inside a loop",
      "task 'total-2': input 'ns' collects double-2.out inside for-loop-2 itself",
      "task 'echo': runs after 'flip-2', made inside condition-4, which only tasks inside it can follow",
    ]);
  });

  it('exit tasks that depend on other tasks, final status outside exit tasks, empty groups, name clashes', () => {
    expect(
      problemsOf({ b: { type: 'BOOLEAN' } }, (p) => {
        const f = p.task('flip', flip, { seed: 1 });
        const r = p.task('report', report, { msg: f.outputParam('result'), status: taskFinalStatus() });
        p.exitHandler(r, (p) => void p.task('echo', echo, { msg: 'x' }));
        p.task('report-2', report, { msg: 'x', status: taskFinalStatus() });
        p.task('echo-2', echo, { msg: taskFinalStatus() as never });
        p.condition(eq(p.param('b'), true), () => undefined, { name: 'flip' });
        p.task('condition-2', echo, { msg: 'x' });
      }),
    ).toEqual([
      "task 'condition-2' has the name of a control-flow group: rename the task",
      "condition-2 ('flip'): the name 'flip' is already taken by a task or group",
      "exit task 'report' of exit-handler-1: input 'msg' uses task 'flip'; an exit task depends on no other task",
      "condition-2 ('flip') has no tasks",
      "task 'report-2': input 'status' takes taskFinalStatus(), which only an exit task gets: pass 'report-2' to exitHandler",
      "task 'echo-2': input 'msg' is STRING; only a TASK_FINAL_STATUS input takes taskFinalStatus()",
    ]);
  });
});

describe('control flow misplaced in the definition throws at once', () => {
  const define = (build: (p: PipelineBuilder<{ b: { type: 'BOOLEAN' } }>) => void) =>
    definePipeline({ name: 'misplaced', parameters: { b: { type: 'BOOLEAN' } } }, build);
  const one = (p: PipelineBuilder<RuntimeParameterDecls>) => void p.task('echo', echo, { msg: 'x' });

  it('an elif or else not right after its condition, or after the else', () => {
    expect(() =>
      define((p) => {
        const c = p.condition(eq(p.param('b'), true), one);
        p.task('echo-2', echo, { msg: 'y' });
        c.else((p) => void p.task('echo-3', echo, { msg: 'z' }));
      }),
    ).toThrow('else must directly follow its condition in the same scope (nothing added in between)');
    expect(() =>
      define((p) => {
        const c = p.condition(eq(p.param('b'), true), one);
        c.else((p) => void p.task('echo-2', echo, { msg: 'y' }));
        c.elif(ne(p.param('b'), true), (p) => void p.task('echo-3', echo, { msg: 'z' }));
      }),
    ).toThrow('elif after else: a condition chain ends with its else');
  });

  it('an exit handler inside a group, or over a task that is not a top-level task of the pipeline', () => {
    expect(() =>
      define((p) => {
        const r = p.task('report', report, { msg: 'x', status: taskFinalStatus() });
        p.condition(eq(p.param('b'), true), (p) => p.exitHandler(r, one));
      }),
    ).toThrow("exit handler of task 'report' must be at the pipeline's top level, not inside a group");
    expect(() => define((p) => p.exitHandler({ name: 'ghost' } as never, one))).toThrow(
      "exit handler of task 'ghost': the exit task must be a top-level task of this pipeline",
    );
    expect(() =>
      define((p) => {
        const r = p.task('report', report, { msg: 'x', status: taskFinalStatus() });
        p.exitHandler(r, one);
        p.exitHandler(r, (p) => void p.task('echo-2', echo, { msg: 'y' }));
      }),
    ).toThrow("exit handler of task 'report': task 'report' is already an exit task");
  });

  it('async bodies, bad group names and a builder used after the definition', () => {
    expect(() =>
      define((p) => {
        p.condition(eq(p.param('b'), true), (async () => undefined) as never);
      }),
    ).toThrow("pipeline 'misplaced': a pipeline or group body must be synchronous (it returned a promise)");
    expect(() => define((p) => void p.condition(eq(p.param('b'), true), one, { name: 'Not Kebab' }))).toThrow(
      "condition name 'Not Kebab' must be kebab-case ([a-z0-9-])",
    );
    let saved: PipelineBuilder<{ b: { type: 'BOOLEAN' } }> | undefined;
    define((p) => {
      saved = p;
      one(p);
    });
    expect(() => saved?.task('late', echo, { msg: 'x' })).toThrow(PipelineDefinitionError);
    expect(() => saved?.task('late', echo, { msg: 'x' })).toThrow(
      "pipeline 'misplaced' is already defined: use its builder only inside definePipeline",
    );
  });

  it('a body task after its exit task is a cycle', () => {
    const pipeline = define((p) => {
      const r = p.task('report', report, { msg: 'x', status: taskFinalStatus() });
      p.exitHandler(r, (p) => void p.task('echo', echo, { msg: 'x' }, { after: [r] }));
    });
    expect(() => compilePipeline(pipeline)).toThrow(
      'the pipeline: tasks depend on each other in a cycle: exit-handler-1 → report → exit-handler-1',
    );
  });
});
