// End to end: `conveyor demo --once --json` as a user runs it, on a stack of its own (fresh data
// directory, its own ports), from the Pub/Sub message to a pushed model and a report.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { TrainingRunResult } from '@conveyor/contracts';
import { freePorts } from '@conveyor/stack';

const mainTs = join(dirname(fileURLToPath(import.meta.url)), '..', 'src', 'main.ts');
const dataDir = mkdtempSync(join(tmpdir(), 'conveyor-demo-'));

interface DemoJson {
  runId: string;
  messageId: string;
  runKey: string;
  status: string;
  result?: TrainingRunResult;
  error?: string;
  report?: { html: string; markdown: string; gcsUri?: string; epochs: number };
  webUi: string;
  schedule: { scheduleId: string; created: boolean; paused: boolean; enable: string[] };
  timings: { stackUpMs: number; publishToStartMs: number; runMs: number; totalMs: number };
  stack: { dataDir: string; started: string[] };
}

/** Runs the demo to its end; resolves with its exit code and output. */
function runDemo(
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [mainTs, 'demo', '--once', '-o', 'json'], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    // SIGINT, not SIGKILL: the demo then stops the stack it started instead of leaking it.
    const timer = setTimeout(() => child.kill('SIGINT'), timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('conveyor demo --once -o json', () => {
  // Budget: stack start ~15 s, worker bundling ~15 s, the penguins build (npm ci of one workspace,
  // bundle, image snapshot) under a minute with a warm npm cache, the pipeline ~10 s; a cold cache
  // or a busy 2-core machine multiplies that.
  it(
    'runs the original message to a pushed model and a report, then stops what it started',
    { timeout: 900_000 },
    async () => {
      const [temporal, ui, pubsub, gcs, emulator, admin, bridge] = await freePorts(7);
      const ports = {
        CONVEYOR_TEMPORAL_PORT: temporal,
        CONVEYOR_TEMPORAL_UI_PORT: ui,
        CONVEYOR_PUBSUB_PORT: pubsub,
        CONVEYOR_GCS_PORT: gcs,
        CONVEYOR_EMULATOR_PORT: emulator,
        CONVEYOR_EMULATOR_ADMIN_PORT: admin,
        CONVEYOR_BRIDGE_PORT: bridge,
      };
      const env: NodeJS.ProcessEnv = {
        PATH: process.env['PATH'],
        HOME: process.env['HOME'],
        METADATA_SERVER_DETECTION: 'none',
        CONVEYOR_DATA_DIR: dataDir,
      };
      // What a user's shell has besides: caches, and how this machine reaches the registries (its
      // CA bundle and proxy). Without them the build's `npm ci` fails (SELF_SIGNED_CERT_IN_CHAIN
      // behind a TLS proxy) as soon as npm revalidates its cached package metadata, which it does
      // after a few minutes: the test passed or failed by what had run before it.
      // Not every npm_config_*: `npm test` exports its own (local_prefix, …), which would steer the
      // build's npm into this checkout.
      const machine =
        /^(npm_config_(cache|cafile|registry|proxy|https_proxy|noproxy|strict_ssl)|(https?|no)_proxy|NODE_EXTRA_CA_CERTS|SSL_CERT_(FILE|DIR)|GIT_SSL_CAINFO|XDG_CACHE_HOME|CONVEYOR_CACHE_DIR|GOPATH|GOCACHE|GOMODCACHE)$/i;
      for (const key of Object.keys(process.env)) if (machine.test(key)) env[key] = process.env[key];
      for (const [k, v] of Object.entries(ports)) env[k] = String(v);

      const { code, stdout, stderr } = await runDemo(env, 840_000);
      expect({ code, stderr: code === 0 ? '' : stderr.slice(-4000) }).toEqual({ code: 0, stderr: '' });
      const demo = JSON.parse(stdout) as DemoJson;
      const result = demo.result;
      if (!result) throw new Error(`no result: ${demo.error}`);

      // The report's fields: the run the bridge started for this message, with its whole lineage.
      expect(demo.status).toBe('COMPLETED');
      expect(demo.runId).toBe(`penguins-key-${demo.runKey}`);
      expect(result.trigger).toMatchObject({ kind: 'pubsub', id: demo.messageId });
      expect(result.parameters).toMatchObject({ num_epochs: 3, learning_rate: 0.01 });
      expect(result.commit).toMatch(/^[0-9a-f]{40}$/);
      expect(result.build?.id).toBeTruthy();
      expect(result.image?.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
      expect(result.spec.uri).toMatch(/^gs:\/\//);
      expect(result.spec.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(result.pipelineJob).toMatch(/\/pipelineJobs\/[a-z0-9-]+$/);
      expect(result.state).toBe('PIPELINE_STATE_SUCCEEDED');
      expect(result.metrics['accuracy']).toBeGreaterThanOrEqual(0.9);
      expect(result.estimatedCost.usd).toBeGreaterThanOrEqual(0.03);
      expect(Object.keys(result.timings)).toEqual(expect.arrayContaining(['building', 'running']));
      expect(demo.webUi).toBe(
        `http://127.0.0.1:${ports.CONVEYOR_TEMPORAL_UI_PORT}/namespaces/default/workflows/${demo.runId}`,
      );
      expect(demo.schedule).toMatchObject({ scheduleId: 'penguins-every-3-min', paused: true });
      expect(demo.schedule.enable.join('\n')).toContain('--unpause');

      // The report: a plot with one point per epoch, and the lineage.
      expect(demo.report?.epochs).toBe(3);
      const html = readFileSync(demo.report?.html ?? '', 'utf8');
      expect(html).toMatch(/<polyline[^>]*data-series="loss"/);
      expect(html).toContain(result.image?.digest ?? '-');
      expect(readFileSync(demo.report?.markdown ?? '', 'utf8')).toContain(result.modelUri ?? '-');

      // The pushed model is really there (the fake GCS keeps its files under the data directory).
      expect(result.modelUri).toMatch(/^gs:\/\/.+\/penguins\/.+/);
      // The GCS server is stopped by now; its filesystem backend keeps objects at <root>/<bucket>/<name>.
      const gcsRoot = join(dataDir, 'gcs');
      const { bucket, object } =
        /^gs:\/\/(?<bucket>[^/]+)\/(?<object>.+)$/.exec(result.modelUri ?? '')?.groups ?? {};
      const modelJson = JSON.parse(
        readFileSync(join(gcsRoot, bucket ?? '', `${object}/model.json`), 'utf8'),
      ) as { modelTopology?: unknown };
      expect(modelJson.modelTopology).toBeDefined();

      // --once stopped everything it started: the demo's own stack is gone.
      expect(demo.stack.started).toEqual(expect.arrayContaining(['temporal', 'pubsub', 'gcs', 'emulator']));
    },
  );
});
