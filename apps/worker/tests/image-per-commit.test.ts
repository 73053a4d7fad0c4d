// One image per commit on the real stack: Temporal dev server, the Cloud Build + Vertex emulator
// (really building the tiny image), fake GCS, a real worker. Builds are counted through the official
// Cloud Build client by the commit tag every image build carries.
import { WorkflowFailedError } from '@temporalio/client';
import type { ApplicationFailure } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorTypes, imageTagsFor, type TrainingRunResult } from '@conveyor/contracts';
import { uniqueName } from '@conveyor/testing';
import { startHarness, type Harness } from './harness.ts';

describe('one image per commit', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
    await h.startWorker();
  }, 300_000);
  afterAll(async () => {
    await h?.close();
  });

  it(
    '5 runs started at once on one commit cause exactly one build; a later run causes none',
    { timeout: 180_000 },
    async () => {
      const { branch, commit } = h.freshBranch('slow-8');
      const source = { repoUrl: h.repo.dir, branch };
      const handles = await Promise.all(Array.from({ length: 5 }, () => h.start({ source })));
      const results: TrainingRunResult[] = await Promise.all(handles.map((x) => x.result()));
      const builds = await h.buildsOf(commit);
      expect(builds).toHaveLength(1);
      expect(builds[0]?.status).toBe('SUCCESS');
      expect(new Set(results.map((r) => r.build?.id))).toEqual(new Set([builds[0]?.id]));
      expect(new Set(results.map((r) => r.image?.digest)).size).toBe(1);
      expect(results.every((r) => r.build?.reused === false)).toBe(true);

      const later = await (await h.start({ source })).result();
      expect(await h.buildsOf(commit)).toHaveLength(1);
      expect(later.build).toMatchObject({ id: builds[0]?.id, reused: true });
      expect(later.image).toEqual(results[0]?.image);
      // The build really carries the key, so a lookup by tag finds it.
      const config = builds[0]?.tags.find((t) => t.startsWith('config-'))?.slice('config-'.length) ?? '';
      expect(builds[0]?.tags).toEqual(
        expect.arrayContaining(
          Object.values(
            imageTagsFor({
              pipeline: 'tiny',
              commit,
              configSha256: config,
              repository: h.deps.settings.imageRepository,
            }),
          ),
        ),
      );
    },
  );

  it('--rebuild builds again on the same commit', { timeout: 120_000 }, async () => {
    const { branch, commit } = h.freshBranch('main');
    await (await h.start({ source: { repoUrl: h.repo.dir, branch } })).result();
    const rebuilt = await (
      await h.start({ source: { repoUrl: h.repo.dir, branch }, rebuild: true })
    ).result();
    const builds = await h.buildsOf(commit);
    expect(builds.map((b) => b.status)).toEqual(['SUCCESS', 'SUCCESS']);
    expect(rebuilt.build?.reused).toBe(false);
    expect(rebuilt.build?.id).toBe(builds[0]?.id);
  });

  it('a failed build is never adopted: the rerun builds again', { timeout: 120_000 }, async () => {
    const { branch, commit } = h.freshBranch('broken');
    for (let i = 0; i < 2; i++) {
      const error = await (
        await h.start({ source: { repoUrl: h.repo.dir, branch } })
      )
        .result()
        .catch((e: unknown) => e);
      expect(((error as WorkflowFailedError).cause as ApplicationFailure).type).toBe(ErrorTypes.BuildFailed);
      expect((await h.buildsOf(commit)).map((b) => b.status)).toEqual(Array(i + 1).fill('FAILURE'));
    }
  });

  it(
    'the same workflow id run twice submits two jobs, and reuses the image',
    { timeout: 120_000 },
    async () => {
      const id = uniqueName('same-id');
      const first = await (await h.start({}, id)).result();
      const second = await (await h.start({}, id)).result();
      expect(second.pipelineJob).not.toBe(first.pipelineJob);
      const jobs = (await h.vertex.listPipelineJobs()).filter(
        (j) => j.name === first.pipelineJob || j.name === second.pipelineJob,
      );
      expect(jobs.map((j) => j.state)).toEqual(['PIPELINE_STATE_SUCCEEDED', 'PIPELINE_STATE_SUCCEEDED']);
      expect(second.build?.reused).toBe(true);
    },
  );
});
