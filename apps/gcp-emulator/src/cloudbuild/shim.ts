// Entry point of the `gsutil` / `gcloud` / `docker` commands the emulator puts first on a step's
// PATH, so that tools called from inside a bash step behave like the step-level builders (through
// the GCS emulator and the local image store). A tiny composition root: it reads its environment.
import { createGcsClient } from '../gcs/gcs-client.ts';
import { createLocalImageStore } from '../images/image-store.ts';
import { runInlineTool } from './inline-tools.ts';

const [tool, ...args] = process.argv.slice(2);
const gcsEndpoint = process.env.CONVEYOR_SHIM_GCS_ENDPOINT;
const imagesDir = process.env.CONVEYOR_SHIM_IMAGES_DIR;
if ((tool !== 'gsutil' && tool !== 'gcloud' && tool !== 'docker') || !gcsEndpoint || !imagesDir) {
  process.stderr.write('conveyor emulator shim: run only from inside an emulated build step\n');
  process.exit(2);
}
const code = await runInlineTool(tool, {
  args,
  cwd: process.cwd(),
  signal: new AbortController().signal,
  log: (line) => process.stdout.write(`${line}\n`),
  images: createLocalImageStore(imagesDir),
  gcs: createGcsClient(gcsEndpoint, process.env.PROJECT_ID ?? 'conveyor-local'),
});
process.exit(code);
