// TypeScript rejects misuse of the control-flow API before anything runs: each `@ts-expect-error` below
// fails `npm run typecheck` if the line ever type-checks. At run time the compiler rejects the same
// lines, so JavaScript callers get the same protection.
import { describe, expect, it } from 'vitest';
import { compilePipeline } from './compile.ts';
import { eq, gt } from './conditions.ts';
import { definePipeline } from './pipeline.ts';
import { echo, echoInt, flip } from './test-control-flow.ts';

const parameters = {
  mode: { type: 'STRING' },
  n: { type: 'NUMBER_INTEGER' },
  nums: { type: 'LIST', default: [1, 2] },
} as const;

const compile = (build: Parameters<typeof definePipeline<typeof parameters>>[1]) => () =>
  compilePipeline(definePipeline({ name: 'typed', parameters }, build));

describe('the control-flow API is type-safe', () => {
  it('rejects comparing a STRING with a number, and ordering strings', () => {
    expect(
      compile((p) => {
        // @ts-expect-error a STRING parameter compared with a number
        p.condition(eq(p.param('mode'), 3), (p) => void p.task('echo', echo, { msg: 'x' }));
      }),
    ).toThrow("compares runtime parameter 'mode' (STRING) with 3 (NUMBER_INTEGER)");
    expect(
      compile((p) => {
        // @ts-expect-error ordering needs numbers
        p.condition(gt(p.param('mode'), 'a'), (p) => void p.task('echo', echo, { msg: 'x' }));
      }),
    ).toThrow("'>' compares numbers, but runtime parameter 'mode' is STRING");
  });

  it('rejects a condition over an output the task does not have, and a parameter the pipeline lacks', () => {
    expect(
      compile((p) => {
        const f = p.task('flip', flip, { seed: 1 });
        // @ts-expect-error flip has no output 'heads'
        p.condition(eq(f.outputParam('heads'), 'x'), (p) => void p.task('echo', echo, { msg: 'x' }));
      }),
    ).toThrow("compares output parameter 'heads' that task 'flip' does not have");
    expect(
      compile((p) => {
        // @ts-expect-error the pipeline declares no parameter 'nope'
        p.condition(eq(p.param('nope'), 'x'), (p) => void p.task('echo', echo, { msg: 'x' }));
      }),
    ).toThrow("pipeline 'typed' has no runtime parameter 'nope'");
  });

  it('rejects a loop over a non-list, and a loop item of the wrong type', () => {
    expect(
      compile((p) => {
        // @ts-expect-error a STRING parameter is not a list
        p.parallelFor(p.param('mode'), (item, p) => void p.task('echo', echo, { msg: item }));
      }),
    ).toThrow("loops over runtime parameter 'mode', which is STRING, not LIST");
    expect(
      compile((p) => {
        // @ts-expect-error the items of a LIST are STRING unless itemType says otherwise
        p.parallelFor(p.param('nums'), (item, p) => void p.task('echo-int', echoInt, { n: item }));
      }),
    ).toThrow("input 'n' is NUMBER_INTEGER but the item of for-loop-1 is STRING");
  });
});
