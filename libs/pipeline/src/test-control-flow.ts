// The TypeScript twins of tests/fixtures/control_flow_kfp.py: the same components (names, inputs,
// outputs, commands) and pipelines of the same shapes, for comparing our spec with kfp's (not exported
// from index.ts; the integration tests run them on the Vertex emulator too).
import { defineComponent } from './component.ts';
import { eq, ge, gt, lt, ne } from './conditions.ts';
import { definePipeline } from './pipeline.ts';
import { inputArtifactPath, inputParam, outputArtifactPath, outputParamFile } from './placeholders.ts';
import { collected, taskFinalStatus } from './refs.ts';

/** The image of every fixture component (a shell image: the Vertex emulator runs it with the local sh). */
export const SHELL_IMAGE = 'alpine:3.20';

const sh = (script: string) => ['sh', '-c', script];

export const echo = defineComponent({
  name: 'echo',
  image: SHELL_IMAGE,
  command: ['echo'],
  args: [inputParam('msg')],
  inputs: { parameters: { msg: 'STRING' } },
});

export const echoInt = defineComponent({
  name: 'echo-int',
  image: SHELL_IMAGE,
  command: ['echo'],
  args: [inputParam('n')],
  inputs: { parameters: { n: 'NUMBER_INTEGER' } },
});

export const echoFloat = defineComponent({
  name: 'echo-float',
  image: SHELL_IMAGE,
  command: ['echo'],
  args: [inputParam('x')],
  inputs: { parameters: { x: 'NUMBER_DOUBLE' } },
});

export const flip = defineComponent({
  name: 'flip',
  image: SHELL_IMAGE,
  command: sh('printf heads > "$0"'),
  args: [outputParamFile('result')],
  inputs: { parameters: { seed: 'NUMBER_INTEGER' } },
  outputs: { parameters: { result: 'STRING' } },
});

export const double = defineComponent({
  name: 'double',
  image: SHELL_IMAGE,
  command: sh('printf %s $(($0 * 2)) > "$1"'),
  args: [inputParam('n'), outputParamFile('out')],
  inputs: { parameters: { n: 'NUMBER_INTEGER' } },
  outputs: { parameters: { out: 'NUMBER_INTEGER' } },
});

/** The sum of a JSON list of integers: "[2, 4]" → 2+4 → 6. */
export const total = defineComponent({
  name: 'total',
  image: SHELL_IMAGE,
  command: sh('s=$(printf %s "$0" | tr -d "[] " | tr , +); printf %s $(($s)) > "$1"'),
  args: [inputParam('ns'), outputParamFile('out')],
  inputs: { parameters: { ns: 'LIST' } },
  outputs: { parameters: { out: 'NUMBER_INTEGER' } },
});

export const makeList = defineComponent({
  name: 'make-list',
  image: SHELL_IMAGE,
  command: sh('printf \'["a", "b"]\' > "$0"'),
  args: [outputParamFile('items')],
  outputs: { parameters: { items: 'LIST' } },
});

export const report = defineComponent({
  name: 'report',
  image: SHELL_IMAGE,
  command: sh('printf "%s %s" "$0" "$1" > "$2"'),
  args: [inputParam('msg'), inputParam('status'), outputParamFile('seen')],
  inputs: { parameters: { msg: 'STRING', status: 'TASK_FINAL_STATUS' } },
  outputs: { parameters: { seen: 'STRING' } },
});

export const train = defineComponent({
  name: 'train',
  image: SHELL_IMAGE,
  command: sh('printf m > "$0"'),
  args: [outputArtifactPath('model')],
  outputs: { artifacts: { model: 'system.Model' } },
});

export const evaluate = defineComponent({
  name: 'evaluate',
  image: SHELL_IMAGE,
  command: sh('cat "$0" > "$1" && printf true > "$2"'),
  args: [inputArtifactPath('model'), outputArtifactPath('metrics'), outputParamFile('blessed')],
  inputs: { artifacts: { model: 'system.Model' } },
  outputs: { parameters: { blessed: 'STRING' }, artifacts: { metrics: 'system.Metrics' } },
});

export const push = defineComponent({
  name: 'push',
  image: SHELL_IMAGE,
  command: sh('printf %s "$2" > "$3"'),
  args: [
    inputArtifactPath('model'),
    inputArtifactPath('metrics'),
    inputParam('root'),
    outputParamFile('pushed'),
  ],
  inputs: { parameters: { root: 'STRING' }, artifacts: { model: 'system.Model', metrics: 'system.Metrics' } },
  outputs: { parameters: { pushed: 'STRING' } },
});

/** If/Elif/Else on a STRING parameter; single conditions on int, bool and double parameters. */
export const condParam = definePipeline(
  {
    name: 'cond-param',
    parameters: {
      mode: { type: 'STRING', default: 'a' },
      n: { type: 'NUMBER_INTEGER', default: 3 },
      flag: { type: 'BOOLEAN', default: true },
      rate: { type: 'NUMBER_DOUBLE', default: 0.5 },
    },
  },
  (p) => {
    p.condition(eq(p.param('mode'), 'a'), (p) => {
      p.task('echo', echo, { msg: 'A' });
    })
      .elif(eq(p.param('mode'), 'b'), (p) => {
        p.task('echo-2', echo, { msg: 'B' });
      })
      .else((p) => {
        p.task('echo-3', echo, { msg: 'other' });
      });
    p.condition(gt(p.param('n'), 2), (p) => {
      p.task('echo-int', echoInt, { n: p.param('n') });
    });
    p.condition(eq(p.param('flag'), true), (p) => {
      p.task('echo-4', echo, { msg: p.param('mode') });
    });
    p.condition(ge(p.param('rate'), 0.25), (p) => {
      p.task('echo-float', echoFloat, { x: p.param('rate') });
    });
    p.condition(lt(p.param('rate'), 1), (p) => {
      p.task('echo-float-2', echoFloat, { x: p.param('rate') });
    });
    p.condition(ne(p.param('n'), 2.5), (p) => {
      p.task('echo-int-2', echoInt, { n: p.param('n') });
    });
  },
);

/** A named condition / else on an upstream output, with a nested condition on a BOOLEAN parameter. */
export const condOutput = definePipeline(
  {
    name: 'cond-output',
    parameters: { seed: { type: 'NUMBER_INTEGER', default: 1 }, push: { type: 'BOOLEAN', default: true } },
  },
  (p) => {
    const f = p.task('flip', flip, { seed: p.param('seed') });
    p.condition(
      eq(f.outputParam('result'), 'heads'),
      (p) => {
        p.condition(eq(p.param('push'), true), (p) => {
          p.task('echo', echo, { msg: f.outputParam('result') });
        });
      },
      { name: 'is-heads' },
    ).else((p) => {
      p.task('echo-2', echo, { msg: 'tails' });
    });
  },
);

/** The penguins shape: artifacts and a parameter flow into two nested conditions. */
export const pushIfBlessed = definePipeline(
  {
    name: 'push-if-blessed',
    parameters: {
      root: { type: 'STRING', default: 'gs://bucket/serving' },
      push_enabled: { type: 'BOOLEAN', default: true },
    },
  },
  (p) => {
    const t = p.task('train', train, {});
    const e = p.task('evaluate', evaluate, { model: t.outputArtifact('model') });
    p.condition(
      eq(e.outputParam('blessed'), 'true'),
      (p) => {
        p.condition(
          eq(p.param('push_enabled'), true),
          (p) => {
            p.task('push', push, {
              model: t.outputArtifact('model'),
              metrics: e.outputArtifact('metrics'),
              root: p.param('root'),
            });
          },
          { name: 'push-enabled' },
        );
      },
      { name: 'blessed' },
    );
  },
);

/** Loops over a literal list, a LIST parameter and an upstream output; collected; nesting both ways. */
export const loops = definePipeline(
  {
    name: 'loops',
    parameters: { nums: { type: 'LIST', default: [1, 2, 3] }, mode: { type: 'STRING', default: 'a' } },
  },
  (p) => {
    p.parallelFor(
      [1, 2],
      (_i, p) => {
        p.task('echo', echo, { msg: 'literal' });
      },
      { parallelism: 1 },
    );
    const d = p.parallelFor(
      p.param('nums'),
      (n, p) => {
        p.condition(gt(n, 1), (p) => {
          p.task('echo-int', echoInt, { n });
        });
        return p.task('double', double, { n });
      },
      { itemType: 'NUMBER_INTEGER' },
    );
    p.task('total', total, { ns: collected(d.outputParam('out')) });
    const m = p.task('make-list', makeList, {});
    p.parallelFor(
      m.outputParam('items'),
      (s, p) => {
        p.task('echo-2', echo, { msg: s });
      },
      { parallelism: 2 },
    );
    p.condition(ne(p.param('mode'), 'b'), (p) => {
      p.parallelFor(['x', 'y'], (s2, p) => {
        p.task('echo-3', echo, { msg: s2 });
      });
    });
  },
);

/** An exit handler (named) whose exit task takes the final status; a condition inside its body. */
export const exitHandler = definePipeline(
  { name: 'exit-handler', parameters: { msg: { type: 'STRING', default: 'hi' } } },
  (p) => {
    const r = p.task('report', report, { msg: p.param('msg'), status: taskFinalStatus() });
    p.exitHandler(
      r,
      (p) => {
        p.task('echo', echo, { msg: p.param('msg') });
        const f = p.task('flip', flip, { seed: 1 });
        p.condition(eq(f.outputParam('result'), 'heads'), (p) => {
          p.task('echo-2', echo, { msg: 'heads' });
        });
      },
      { name: 'cleanup' },
    );
  },
);
