import { describe, expect, it } from 'vitest';
import { DEFAULT_SERVING_ROOT } from '@conveyor/pipelines';
import { servingPlace } from './serving.ts';

describe('servingPlace', () => {
  it('--serving-root, else the operator setting, else the declared default', () => {
    const settings = { penguins: { serving_root: 'gs://ops-bucket/models' } };
    expect(servingPlace('penguins', settings, 'gs://flag/root/')).toEqual({
      pipeline: 'penguins',
      root: 'gs://flag/root/penguins',
    });
    expect(servingPlace('penguins', settings, undefined).root).toBe('gs://ops-bucket/models/penguins');
    expect(servingPlace('penguins', {}, undefined).root).toBe(`${DEFAULT_SERVING_ROOT}/penguins`);
  });

  it('names what is wrong', () => {
    expect(() => servingPlace('nope', {}, undefined)).toThrow(/unknown pipeline 'nope'/);
    expect(() => servingPlace('penguins', {}, '/local/dir')).toThrow(/--serving-root/);
  });
});
