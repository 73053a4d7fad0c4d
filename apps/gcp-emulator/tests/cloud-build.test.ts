import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBuild, startTestEmulator, type TestEmulator } from './harness.ts';

describe('Cloud Build emulator: builds through the official client', () => {
  let t: TestEmulator;
  beforeAll(async () => {
    t = await startTestEmulator();
  });
  afterAll(async () => {
    await t.stop();
  });

  it('runs a build to SUCCESS via LRO polling, with substitutions, timings and a readable log', async () => {
    const { build, opError } = await runBuild(t.client, {
      substitutions: { _GREETING: 'hello', COMMIT_SHA: '0123456789abcdef' },
      steps: [
        {
          name: 'bash',
          id: 'greet',
          args: [
            '-c',
            'echo "$0 from $1 at $2 $3"',
            '${_GREETING}',
            '$PROJECT_ID',
            '$SHORT_SHA',
            '$$ESCAPED',
          ],
        },
        { name: 'node:24', args: ['-e', 'console.log("node", process.versions.node, process.env.BUILD_ID)'] },
        { name: 'python:3.12', args: ['-c', 'print("py", 6*7)'] },
      ],
    });
    expect(opError).toBeUndefined();
    expect(build.status).toBe('SUCCESS');
    expect(build.steps?.map((s) => s.status)).toEqual(['SUCCESS', 'SUCCESS', 'SUCCESS']);
    expect(Number(build.finishTime?.seconds)).toBeGreaterThanOrEqual(Number(build.startTime?.seconds));
    expect(build.steps?.every((s) => s.timing?.startTime && s.timing.endTime)).toBe(true);
    expect(build.logUrl).toMatch(/^file:\/\//);
    const log = readFileSync(new URL(build.logUrl ?? ''), 'utf8');
    expect(log).toContain('Step #0 - "greet": hello from test-project at 0123456 $ESCAPED');
    expect(log).toContain(`Step #1: node 24.`);
    expect(log).toContain(build.id);
    expect(log).toContain('Step #2: py 42');
  });

  it('answers CreateBuild with a QUEUED build carrying id, name and logUrl; Get by location name works', async () => {
    const parent = 'projects/test-project/locations/europe-west1';
    const [operation] = await t.client.createBuild({
      parent,
      projectId: 'test-project',
      build: { steps: [{ name: 'bash', args: ['-c', 'echo $LOCATION'] }] },
    });
    const meta = (
      operation.metadata as {
        build?: { id?: string; name?: string; status?: unknown; logUrl?: string };
      } | null
    )?.build;
    // The client decodes enums inside Operation metadata as numbers (QUEUED = 1).
    expect([1, 'QUEUED']).toContain(meta?.status);
    expect(meta?.name).toBe(`${parent}/builds/${meta?.id}`);
    expect(meta?.logUrl).toMatch(/^file:\/\//);
    expect(operation.name).toMatch(/^projects\/test-project\/locations\/europe-west1\/operations\//);
    await operation.promise();
    const [build] = await t.client.getBuild({ name: meta?.name ?? '' });
    expect(build.status).toBe('SUCCESS');
    // Regional builds live under their region only, as in Cloud Build.
    await expect(t.client.getBuild({ projectId: 'test-project', id: meta?.id ?? '' })).rejects.toMatchObject({
      code: 5,
    });
    await expect(
      t.client.getBuild({ name: `projects/other-project/locations/europe-west1/builds/${meta?.id}` }),
    ).rejects.toMatchObject({ code: 5 });
    const [regional] = await t.client.listBuilds(
      { parent, projectId: 'test-project' },
      { autoPaginate: false },
    );
    expect(regional.map((b) => b.id)).toEqual([meta?.id]);
    expect(readFileSync(new URL(build.logUrl ?? ''), 'utf8')).toContain('Step #0: europe-west1');
  });

  it('ends FAILURE naming the failing step, and does not run the steps after it', async () => {
    const { build, opError } = await runBuild(t.client, {
      steps: [
        { name: 'bash', args: ['-c', 'true'] },
        { name: 'ubuntu', id: 'train-model', args: ['bash', '-c', 'echo boom >&2; exit 3'] },
        { name: 'bash', args: ['-c', 'echo never'] },
      ],
    });
    expect(build.status).toBe('FAILURE');
    expect(build.statusDetail).toContain('build step 1');
    expect(build.statusDetail).toContain('"train-model"');
    expect(build.statusDetail).toContain('non-zero status: 3');
    expect(build.steps?.map((s) => s.status)).toEqual(['SUCCESS', 'FAILURE', 'QUEUED']);
    expect(build.steps?.[1]?.exitCode).toBe(3);
    expect(opError?.message).toContain('train-model');
    expect(readFileSync(new URL(build.logUrl ?? ''), 'utf8')).toContain('Step #1 - "train-model": boom');
  });

  it('fails a step whose builder image is unknown, naming the image and how to make it available', async () => {
    const { build } = await runBuild(t.client, {
      steps: [{ name: 'gcr.io/acme/secret-builder:1.2', args: ['x'] }],
    });
    expect(build.status).toBe('FAILURE');
    expect(build.statusDetail).toContain('gcr.io/acme/secret-builder:1.2');
    expect(build.statusDetail).toMatch(/Docker engine/);
    expect(build.statusDetail).toMatch(/Supported:/);

    // A cloud-builders image whose tool is not installed here says which command is missing.
    const missing = await runBuild(t.client, {
      steps: [{ name: 'gcr.io/cloud-builders/no-such-tool-xyz', args: ['version'] }],
    });
    expect(missing.build.status).toBe('FAILURE');
    expect(missing.build.statusDetail).toContain('"no-such-tool-xyz"');
    expect(missing.build.statusDetail).toContain('install it');
  });

  it('rejects invalid substitutions with INVALID_ARGUMENT naming the key', async () => {
    const create = (build: Parameters<typeof runBuild>[1]) =>
      t.client.createBuild({ projectId: 'test-project', build });
    await expect(
      create({ substitutions: { _lower_case: 'x' }, steps: [{ name: 'bash', args: ['$_lower_case'] }] }),
    ).rejects.toMatchObject({
      code: 3,
      message: expect.stringContaining('"_lower_case"'),
    });
    await expect(create({ steps: [{ name: 'bash', args: ['-c', 'echo $_NOT_SET'] }] })).rejects.toMatchObject(
      {
        code: 3,
        message: expect.stringContaining('"_NOT_SET"'),
      },
    );
    await expect(
      create({ substitutions: { _UNUSED: 'x' }, steps: [{ name: 'bash', args: ['-c', 'true'] }] }),
    ).rejects.toMatchObject({
      code: 3,
      message: expect.stringContaining('"_UNUSED"'),
    });
    // ALLOW_LOOSE accepts both: unknown references expand to ''.
    const { build } = await runBuild(t.client, {
      substitutions: { _UNUSED: 'x' },
      options: { substitutionOption: 'ALLOW_LOOSE' },
      steps: [{ name: 'bash', args: ['-c', 'test -z "$0"', '$_NOT_SET'] }],
    });
    expect(build.status).toBe('SUCCESS');
  });

  it('lists builds filtered by tags and status (AND), newest first', async () => {
    const tag = `t-${Date.now().toString(36)}`;
    const ok = await runBuild(t.client, {
      tags: [tag, 'ok'],
      steps: [{ name: 'bash', args: ['-c', 'true'] }],
    });
    const bad = await runBuild(t.client, { tags: [tag], steps: [{ name: 'bash', args: ['-c', 'false'] }] });
    const list = async (filter: string) =>
      (await t.client.listBuilds({ projectId: 'test-project', filter }, { autoPaginate: false }))[0].map(
        (b) => b.id,
      );
    expect(await list(`tags="${tag}"`)).toEqual([bad.build.id, ok.build.id]);
    expect(await list(`tags="${tag}" AND status="SUCCESS"`)).toEqual([ok.build.id]);
    expect(await list(`tags="${tag}" AND status="FAILURE"`)).toEqual([bad.build.id]);
    await expect(list('colour="red"')).rejects.toMatchObject({ code: 3 });
  });

  it('answers GetBuild for an unknown id with NOT_FOUND and unimplemented methods with UNIMPLEMENTED', async () => {
    await expect(t.client.getBuild({ projectId: 'test-project', id: 'nope' })).rejects.toMatchObject({
      code: 5,
    });
    await expect(
      t.client.getBuildTrigger({ projectId: 'test-project', triggerId: 'x' }, { maxRetries: 0 }),
    ).rejects.toMatchObject({ code: 12 });
  });
});
