import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buildTagFor,
  hashOf,
  imageTagsFor,
  imageWorkflowIdFor,
  ownerFromTags,
  ownerTagsFor,
  pipelineJobIdFor,
  sha256Hex,
  summarizeRun,
} from './ids.ts';
import { TrainingRunRequestSchema } from './request.ts';

const RUN_A = '0196a0b2-aaaa-7000-8000-000000000001';
const RUN_B = '0196a0b2-aaaa-7000-8000-000000000002';
const JOB_ID = /^[a-z][a-z0-9-]{0,127}$/;
const TAG = /^[\w][\w.-]{0,127}$/;

describe('sha256Hex', () => {
  it('is SHA-256 (FIPS 180-4 test vector "abc")', () => {
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
  it('separates parts so that moving a dash between them changes the hash', () => {
    expect(hashOf(['a-b', 'c'])).not.toBe(hashOf(['a', 'b-c']));
    expect(hashOf(['x'])).toHaveLength(16);
    expect(hashOf(['x'], 128)).toHaveLength(32);
  });
});

describe('pipelineJobIdFor', () => {
  it('is readable, valid for Vertex and carries 64 bits of SHA-256', () => {
    const id = pipelineJobIdFor('penguins-12345', RUN_A);
    expect(id).toMatch(/^penguins-12345-[0-9a-f]{16}$/);
    expect(id.endsWith(hashOf(['penguins-12345', RUN_A]))).toBe(true);
  });
  it('is the same within one execution and differs between executions of one workflow id', () => {
    expect(pipelineJobIdFor('penguins-x', RUN_A)).toBe(pipelineJobIdFor('penguins-x', RUN_A));
    expect(pipelineJobIdFor('penguins-x', RUN_A)).not.toBe(pipelineJobIdFor('penguins-x', RUN_B));
  });
  it('rewrites anything into [a-z0-9-], starting with a letter, at most 128 characters', () => {
    for (const id of ['Penguins_ABC', '9abc', '---', 'x'.repeat(300), 'ÄÖÜ/../%00']) {
      expect(pipelineJobIdFor(id, RUN_A)).toMatch(JOB_ID);
    }
  });
});

describe('buildTagFor', () => {
  it('makes a valid Cloud Build tag per execution', () => {
    expect(buildTagFor('penguins-1', RUN_A)).toMatch(/^conveyor-run-penguins-1-[0-9a-f]{16}$/);
    expect(buildTagFor('a b/c'.repeat(60), RUN_A)).toMatch(TAG);
    expect(buildTagFor('penguins-1', RUN_A)).not.toBe(buildTagFor('penguins-1', RUN_B));
  });
});

describe('owner tags', () => {
  it('names the imageBuild that started a build, and reads it back', () => {
    const owner = imageWorkflowIdFor({
      pipeline: 'penguins',
      commit: 'a'.repeat(40),
      configSha256: 'b'.repeat(64),
      repository: 'us-central1-docker.pkg.dev/project/conveyor',
    });
    const tags = ownerTagsFor(owner);
    expect(tags).toEqual([`owner-${owner}`]);
    expect(tags[0]).toMatch(TAG);
    expect(ownerFromTags(['conveyor', ...tags, 'commit-x'])).toBe(owner);
    expect(ownerFromTags(['conveyor', 'owner-'])).toBeUndefined();
  });
  it('gives no tag for an id that is not tag-safe or too long, rather than a wrong one', () => {
    expect(ownerTagsFor('a b')).toEqual([]);
    expect(ownerTagsFor('x'.repeat(200))).toEqual([]);
  });
});

describe('image ids', () => {
  const key = {
    pipeline: 'penguins',
    commit: 'a'.repeat(40),
    configSha256: 'b'.repeat(64),
    repository: 'reg/conveyor',
  };
  it('names the image workflow by pipeline, commit, and 64 bits of the config hash and repository', () => {
    expect(imageWorkflowIdFor(key)).toBe(
      `image-penguins-${'a'.repeat(40)}-${hashOf(['b'.repeat(64), 'reg/conveyor'])}`,
    );
    expect(imageWorkflowIdFor({ ...key, repository: 'other/conveyor' })).not.toBe(imageWorkflowIdFor(key));
  });
  it('tags every image build with valid tags naming each part of the key', () => {
    const tags = imageTagsFor(key);
    for (const tag of Object.values(tags)) expect(tag).toMatch(TAG);
    expect(tags.commit).toBe(`commit-${'a'.repeat(40)}`);
    expect(tags.config).toBe(`config-${'b'.repeat(64)}`);
    expect(tags.key).toMatch(/^conveyor-image-[0-9a-f]{32}$/);
  });
});

describe('ids never collide', () => {
  it('keeps apart two long ids whose 32-bit FNV-1a hashes collide (the earlier scheme merged them)', () => {
    // Same 140-character prefix, cut away by the 128-character limit; FNV-1a 32 of both is 0xda6a0ac8.
    const prefix = `penguins-${'x'.repeat(130)}-`;
    const [a, b] = [`${prefix}76599`, `${prefix}202204`];
    expect(pipelineJobIdFor(a, RUN_A)).not.toBe(pipelineJobIdFor(b, RUN_A));
    expect(buildTagFor(a, RUN_A)).not.toBe(buildTagFor(b, RUN_A));
  });

  // Any two different inputs: unicode, case variants, separators, very long ids.
  const idText = fc.oneof(
    fc.string({ minLength: 1, maxLength: 40 }),
    fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 }),
    fc.constantFrom('Penguins_ABC', 'penguins_abc', 'penguins-abc', 'PENGUINS-ABC', 'a'.repeat(200)),
  );
  const pair = fc
    .tuple(idText, fc.uuid())
    .chain((a) => fc.tuple(fc.constant(a), fc.tuple(idText, fc.oneof(fc.constant(a[1]), fc.uuid()))));
  it('two different (workflow id, run id) pairs never share a job id or a build tag', () => {
    fc.assert(
      fc.property(pair, ([[wa, ra], [wb, rb]]) => {
        fc.pre(wa !== wb || ra !== rb);
        expect(pipelineJobIdFor(wa, ra)).not.toBe(pipelineJobIdFor(wb, rb));
        expect(buildTagFor(wa, ra)).not.toBe(buildTagFor(wb, rb));
      }),
      { numRuns: 5000 },
    );
  });
  it('two different image keys never share a workflow id or a key tag', () => {
    const hex = (n: number) =>
      fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: n, maxLength: n });
    const key = fc.record({
      pipeline: fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/),
      commit: hex(40),
      configSha256: hex(64),
      repository: fc.constantFrom('reg/a', 'reg/b'),
    });
    fc.assert(
      fc.property(key, key, (a, b) => {
        fc.pre(
          a.pipeline !== b.pipeline ||
            a.commit !== b.commit ||
            a.configSha256 !== b.configSha256 ||
            a.repository !== b.repository,
        );
        expect(imageTagsFor(a).key).not.toBe(imageTagsFor(b).key);
        expect(imageWorkflowIdFor(a)).not.toBe(imageWorkflowIdFor(b));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('summarizeRun', () => {
  it('reads like the Web UI summary, parameters sorted by name whatever the order given', () => {
    const summary = summarizeRun({
      pipeline: 'penguins',
      parameters: { num_epochs: 3, learning_rate: 0.01 },
      trigger: { kind: 'pubsub' },
    });
    expect(summary).toBe('penguins · learning_rate=0.01 num_epochs=3 · pubsub');
    expect(
      summarizeRun({
        pipeline: 'penguins',
        parameters: { learning_rate: 0.01, num_epochs: 3 },
        trigger: { kind: 'pubsub' },
      }),
    ).toBe(summary);
  });
});

describe('TrainingRunRequestSchema', () => {
  it('applies defaults and names bad fields', () => {
    const ok = TrainingRunRequestSchema.parse({
      pipeline: 'penguins',
      source: { repoUrl: '/tmp/repo', branch: 'main' },
      trigger: { kind: 'manual', id: 'me', at: '2026-01-01T00:00:00Z' },
    });
    expect(ok.parameters).toEqual({});
    expect(ok.rebuild).toBe(false);
    expect(ok.promote).toBe(true);
    const bad = TrainingRunRequestSchema.safeParse({
      pipeline: 'penguins',
      source: {},
      trigger: { kind: 'email' },
      image: { uri: 'x', digest: 'md5:1', buildId: 'b' },
    });
    expect(bad.success).toBe(false);
    const paths = bad.error?.issues.map((i) => i.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['source.repoUrl', 'trigger.kind', 'image.digest']));
  });
});
