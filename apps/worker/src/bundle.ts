// Writes the prebuilt workflow bundle for production (`CONVEYOR_WORKFLOW_BUNDLE=<path>`).
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { bundleWorkflows } from './worker.ts';

const out = resolve(process.argv[2] ?? 'apps/worker/dist/workflow-bundle.js');
const code = await bundleWorkflows();
await mkdir(dirname(out), { recursive: true });
await writeFile(out, code);
process.stdout.write(`${JSON.stringify({ bundle: out, bytes: Buffer.byteLength(code) })}\n`);
