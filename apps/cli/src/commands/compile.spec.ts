import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadPipelineSpecRoot, strictCheck } from '@conveyor/pipeline/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
const bin = join(repoRoot, 'node_modules', '.bin', 'conveyor');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the installed `conveyor` bin as a user would, on this test's Node (24) via PATH. */
function conveyor(...args: string[]): Promise<Run> {
  const env = {
    ...process.env,
    PATH: `${dirname(process.execPath)}${delimiter}${process.env['PATH'] ?? ''}`,
  };
  return new Promise((done) => {
    // 20 s: a cold Node start with type stripping takes ~1 s here; the bound only stops a hung process.
    execFile(bin, args, { env, cwd: repoRoot, timeout: 20_000 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
      done({ code, stdout, stderr });
    });
  });
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('conveyor compile', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'conveyor-compile-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes a spec that parses as ml_pipelines.PipelineSpec and prints its sha256', async () => {
    const out = join(dir, 'nested', 'p.json');
    const run = await conveyor('compile', 'penguins', '--image', 'local/penguins:dev', '--out', out);
    expect(run.code).toBe(0);
    const json = await readFile(out, 'utf8');
    expect(run.stdout).toBe(`wrote ${out} (${Buffer.byteLength(json)} bytes)\nsha256 ${sha256(json)}\n`);
    const PipelineSpec = loadPipelineSpecRoot().lookupType('ml_pipelines.PipelineSpec');
    expect(strictCheck(PipelineSpec, JSON.parse(json))).toEqual([]);
    expect(json).toContain('"image": "local/penguins:dev"');
  });

  it('prints the exact spec bytes to stdout and the sha256 to stderr; same input, same bytes', async () => {
    const image = `us-docker.pkg.dev/p/r/penguins@sha256:${'f0'.repeat(32)}`;
    const [a, b] = await Promise.all([
      conveyor('compile', 'penguins', '--image', image),
      conveyor('compile', 'penguins', '--image', image),
    ]);
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    expect(a.stderr).toBe(`sha256 ${sha256(a.stdout)}\n`);
    expect((JSON.parse(a.stdout) as { pipelineInfo: { name: string } }).pipelineInfo.name).toBe('penguins');
  });

  it('--json prints pipeline, image, sha256, bytes and the spec', async () => {
    const run = await conveyor('compile', 'penguins', '--image', 'local/penguins:dev', '--json');
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as {
      pipeline: string;
      image: string;
      sha256: string;
      bytes: number;
      spec: unknown;
    };
    expect(result).toMatchObject({ pipeline: 'penguins', image: 'local/penguins:dev' });
    expect(result.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(result.bytes).toBeGreaterThan(1000);
    expect(result.spec).toMatchObject({ schemaVersion: '2.1.0', pipelineInfo: { name: 'penguins' } });
  });

  it('names an unknown pipeline and the registered ones, exit 1', async () => {
    const run = await conveyor('compile', 'pengiuns', '--image', 'local/penguins:dev');
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe("conveyor: unknown pipeline 'pengiuns'; registered pipelines: penguins\n");
  });

  it.each([
    ['Local/Penguins:dev', "repository name component 'Local' must be lowercase"],
    ['local/penguins@sha256:123', "digest 'sha256:123' must be sha256: followed by 64 lowercase hex digits"],
    ['local/penguins:', "tag '' must match [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}"],
  ])('rejects the image %s naming it, exit 1', async (image, reason) => {
    const out = join(dir, 'never.json');
    const run = await conveyor('compile', 'penguins', '--image', image, '--out', out);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(`conveyor: invalid image reference '${image}': ${reason}\n`);
    await expect(readFile(out)).rejects.toThrow(/ENOENT/);
  });
});
