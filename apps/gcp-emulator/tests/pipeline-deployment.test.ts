import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { uniqueName } from '@conveyor/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { runBuild, startTestEmulator, type BuildInput, type TestEmulator } from './harness.ts';

/** A local git repository shaped like a training app: Dockerfile, bundle, pipeline config. */
function makeRepo(root: string): { url: string; commit: string } {
  const repo = path.join(root, 'trainer');
  mkdirSync(path.join(repo, 'config'), { recursive: true });
  mkdirSync(path.join(repo, 'node_modules', 'big'), { recursive: true });
  writeFileSync(
    path.join(repo, 'Dockerfile'),
    'FROM node:24-slim\nWORKDIR /app\nCOPY . .\nENV MODE=train\nENTRYPOINT ["node", "train.js"]\n',
  );
  writeFileSync(path.join(repo, '.dockerignore'), 'node_modules\n*.log\n');
  writeFileSync(path.join(repo, 'train.js'), 'console.log("training", process.env.MODE);\n');
  writeFileSync(path.join(repo, 'debug.log'), 'ignored\n');
  writeFileSync(path.join(repo, 'node_modules', 'big', 'index.js'), 'ignored\n');
  writeFileSync(path.join(repo, 'config', 'pipeline.json'), JSON.stringify({ pipeline: 'penguins' }));
  // node_modules and *.log are committed on purpose: the .dockerignore, not git, must keep them out.
  const git = (...args: string[]): string =>
    execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', ...args], {
      cwd: repo,
      encoding: 'utf8',
    }).trim();
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('commit', '-q', '-m', 'trainer');
  return { url: `file://${repo}`, commit: git('rev-parse', 'HEAD') };
}

/** A build written like the original system's pipeline-deployment.yaml. */
function deploymentBuild(repoUrl: string, commit: string, bucket: string, imageUri: string): BuildInput {
  return {
    substitutions: {
      _REPO_URL: repoUrl,
      _BUCKET: bucket,
      _IMAGE_URI: imageUri,
      COMMIT_SHA: commit,
      BRANCH_NAME: 'main',
    },
    logsBucket: `gs://${bucket}/logs`,
    steps: [
      {
        id: 'Clone Repository',
        name: 'gcr.io/cloud-builders/git',
        args: ['clone', '--branch', '$BRANCH_NAME', '$_REPO_URL', 'repo'],
      },
      {
        id: 'Checkout Commit',
        name: 'gcr.io/cloud-builders/git',
        dir: 'repo',
        args: ['checkout', '-q', '$COMMIT_SHA'],
      },
      {
        id: 'Build Image',
        name: 'gcr.io/cloud-builders/docker',
        dir: 'repo',
        args: ['build', '-t', '$_IMAGE_URI', '.'],
      },
      { id: 'Push Image', name: 'gcr.io/cloud-builders/docker', args: ['push', '$_IMAGE_URI'] },
      {
        id: 'Upload Pipeline Config',
        name: 'gcr.io/cloud-builders/gsutil',
        waitFor: ['Checkout Commit'],
        args: ['cp', 'repo/config/pipeline.json', 'gs://$_BUCKET/pipelines/$SHORT_SHA/pipeline.json'],
      },
      {
        id: 'Read Back',
        name: 'gcr.io/google.com/cloudsdktool/cloud-sdk',
        entrypoint: 'gcloud',
        waitFor: ['Upload Pipeline Config'],
        args: [
          'storage',
          'cp',
          'gs://$_BUCKET/pipelines/$SHORT_SHA/pipeline.json',
          '/workspace/read-back.json',
        ],
      },
      {
        id: 'Check',
        name: 'gcr.io/cloud-builders/gsutil',
        entrypoint: 'bash',
        args: [
          '-c',
          'grep -q penguins read-back.json && gsutil cp read-back.json gs://$_BUCKET/checked/ && docker push $_IMAGE_URI >/dev/null && echo verified',
        ],
      },
    ],
    images: ['$_IMAGE_URI'],
    tags: ['deployment'],
  };
}

describe('Cloud Build emulator: a pipeline-deployment build against fake GCS', () => {
  let t: TestEmulator;
  let tmp: string;
  let gcsEndpoint: string;
  beforeAll(async () => {
    gcsEndpoint = inject('stack').gcs.endpoint;
    tmp = mkdtempSync(path.join(os.tmpdir(), 'gcp-emulator-deploy-'));
    t = await startTestEmulator({ gcsEndpoint });
  });
  afterAll(async () => {
    await t?.stop();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('clones a repo, builds and pushes an image, copies files through GCS, and reports the digest', async () => {
    const { url, commit } = makeRepo(tmp);
    const bucket = uniqueName('emu-deploy');
    await t.emulator.context.gcs.ensureBucket(bucket);
    const imageUri = `us-docker.pkg.dev/test-project/conveyor/trainer:${commit.slice(0, 7)}`;

    const { build, opError } = await runBuild(t.client, deploymentBuild(url, commit, bucket, imageUri));
    expect(opError).toBeUndefined();
    expect(build.statusDetail).toBe('');
    expect(build.status).toBe('SUCCESS');
    const digest = build.results?.images?.[0]?.digest ?? '';
    expect(build.results?.images?.[0]?.name).toBe(imageUri);
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(Object.keys(build.timing ?? {}).sort()).toEqual(['BUILD', 'PUSH']);

    // The file went to fake GCS under the substituted path.
    const object = await fetch(
      `${gcsEndpoint}/storage/v1/b/${bucket}/o/${encodeURIComponent(`pipelines/${commit.slice(0, 7)}/pipeline.json`)}?alt=media`,
    );
    expect(await object.json()).toEqual({ pipeline: 'penguins' });

    // gsutil and docker called from inside a bash step went through the same stand-ins.
    const checked = await fetch(
      `${gcsEndpoint}/storage/v1/b/${bucket}/o/${encodeURIComponent('checked/read-back.json')}?alt=media`,
    );
    expect(checked.status).toBe(200);

    // The log is in the logs bucket and logUrl serves it.
    const log = await (await fetch(build.logUrl ?? '')).text();
    expect(build.logUrl).toContain(`/b/${bucket}/o/`);
    expect(log).toContain('Step #6 - "Check": verified');
    expect(log).toContain(`digest: ${digest}`);

    // The image store resolves tag and digest to the snapshot, minus .dockerignore'd paths.
    const image = await t.emulator.context.images.resolve(imageUri);
    expect(image?.digest).toBe(digest);
    expect(image?.entrypoint).toEqual(['node', 'train.js']);
    expect(image?.env).toEqual({ MODE: 'train' });
    expect(existsSync(path.join(image?.rootDir ?? '', 'train.js'))).toBe(true);
    expect(existsSync(path.join(image?.rootDir ?? '', 'node_modules'))).toBe(false);
    expect(existsSync(path.join(image?.rootDir ?? '', 'debug.log'))).toBe(false);
    expect(
      (await t.emulator.context.images.resolve(`us-docker.pkg.dev/test-project/conveyor/trainer@${digest}`))
        ?.rootDir,
    ).toBe(image?.rootDir);

    // Same commit, same content: the same digest (content-addressed), under another tag.
    const again = await runBuild(t.client, deploymentBuild(url, commit, bucket, `${imageUri}-again`));
    expect(again.build.status).toBe('SUCCESS');
    expect(again.build.results?.images?.[0]?.digest).toBe(digest);
  });

  it('fetches source.storageSource from GCS into the workspace', async () => {
    const bucket = uniqueName('emu-source');
    const gcs = t.emulator.context.gcs;
    await gcs.ensureBucket(bucket);
    const src = path.join(tmp, 'source');
    mkdirSync(path.join(src, 'app'), { recursive: true });
    writeFileSync(path.join(src, 'app', 'hello.txt'), 'from the tarball');
    const tarball = execFileSync('tar', ['-czf', '-', '-C', src, '.']);
    await gcs.writeObject(bucket, 'source/app.tgz', tarball);
    const { build } = await runBuild(t.client, {
      source: { storageSource: { bucket, object: 'source/app.tgz' } },
      steps: [{ name: 'bash', args: ['-c', 'test "$(cat app/hello.txt)" = "from the tarball"'] }],
    });
    expect(build.statusDetail).toBe('');
    expect(build.status).toBe('SUCCESS');
  });

  it('fails when an image listed in images: was never built', async () => {
    const { build } = await runBuild(t.client, {
      steps: [{ name: 'bash', args: ['-c', 'true'] }],
      images: ['us-docker.pkg.dev/test-project/conveyor/never-built:1'],
    });
    expect(build.status).toBe('FAILURE');
    expect(build.statusDetail).toContain('never-built');
  });
});
