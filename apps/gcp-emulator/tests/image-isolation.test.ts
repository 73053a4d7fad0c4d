// An image behaves as in a container: nothing of the host's filesystem above it changes what it does.
// The emulator's data dir sits inside a package whose package.json says "type": "module" (as the
// repository's .data/ does); a CommonJS image must still run, as a Vertex task and as a build step.
import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueName } from '@conveyor/testing';
import { createLocalImageStore } from '../src/images/image-store.ts';
import { cloudBuildClient, runBuild } from './harness.ts';
import { startVertex, submit, task, waitFor, type VertexHarness } from './vertex/harness.ts';

const IMAGE = 'local/cjs-task:test';
const fixture = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'cjs-image');

describe('images are isolated from the host filesystem above them', () => {
  let root: string;
  let h: VertexHarness;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'esm-package-'));
    await writeFile(join(root, 'package.json'), JSON.stringify({ name: 'esm-host', type: 'module' }));
    const dataDir = join(root, '.data', 'emulator');
    await createLocalImageStore(join(dataDir, 'images')).build(fixture, [IMAGE]);
    h = await startVertex(dataDir);
  });
  afterAll(async () => {
    await h?.close();
    await rm(root, { recursive: true, force: true });
  });

  it('the trap is armed: the same file run directly inside that package fails', async () => {
    await mkdir(join(root, 'direct'));
    await copyFile(join(fixture, 'task.js'), join(root, 'direct', 'task.js'));
    const stderr = await new Promise<string>((resolve) => {
      execFile(process.execPath, [join(root, 'direct', 'task.js')], (_err, _out, err) =>
        resolve(String(err)),
      );
    });
    expect(stderr).toContain('require is not defined in ES module scope');
  });

  it('runs a CommonJS image as a Vertex task (its ENTRYPOINT names /app/task.js)', async () => {
    const spec = {
      schemaVersion: '2.1.0',
      pipelineInfo: { name: 'cjs' },
      root: { dag: { tasks: { run: { taskInfo: { name: 'run' }, componentRef: { name: 'comp-run' } } } } },
      components: {
        'comp-run': {
          executorLabel: 'exec-run',
          outputDefinitions: { parameters: { text: { parameterType: 'STRING' } } },
        },
      },
      deploymentSpec: {
        executors: {
          'exec-run': {
            container: { image: IMAGE, args: ["{{$.outputs.parameters['text'].output_file}}"] },
          },
        },
      },
    };
    const job = await waitFor(h, (await submit(h, uniqueName('cjs'), spec)).name!);
    expect(job.state, job.error?.message ?? '').toBe('PIPELINE_STATE_SUCCEEDED');
    expect(task(job, 'run').execution?.metadata?.fields?.['output:text']?.stringValue).toBe('commonjs ok');
  });

  it('runs a CommonJS image as a Cloud Build step', async () => {
    const client = cloudBuildClient(h.emulator.port);
    try {
      const { build } = await runBuild(client, { steps: [{ name: IMAGE, args: ['/workspace/out.txt'] }] });
      expect(build.status, build.statusDetail ?? '').toBe('SUCCESS');
      const log = await readFile(join(h.dataDir, 'builds', build.id!, 'log.txt'), 'utf8');
      expect(log).toContain('commonjs ok');
    } finally {
      await client.close();
    }
  });
});
