/**
 * The one table of well-known container images the emulator runs without containers, shared by the
 * Cloud Build step planner and the Vertex task runner: each image reference maps onto a local
 * toolchain. Images in the local image store are looked up before this table by both callers.
 */

/** What a well-known image runs as here. */
export type Toolchain =
  /** Local `python3` inside a virtualenv cached per image reference (pip installs land there). */
  | { kind: 'python'; ref: string; version?: string }
  /** The Node running the emulator. */
  | { kind: 'node' }
  /** Local `bash` / `sh`. */
  | { kind: 'shell'; shell: 'bash' | 'sh' }
  /** `gsutil` / `gcloud` stand-ins (and the host shell around them). */
  | { kind: 'cloud-sdk' }
  /** `gcr.io/cloud-builders/<tool>`: the local `<tool>` (git, docker, npm, curl, …). */
  | { kind: 'cloud-builder'; tool: string };

/** How the table's kinds are spelled in messages (an unknown image names them). */
export const SUPPORTED_IMAGES =
  'python:* and other .../python images (local python3 in a cached virtualenv), node:* (local Node), ' +
  'bash, ubuntu, debian (local bash), alpine, busybox (local sh), google/cloud-sdk and ' +
  'gcr.io/google.com/cloudsdktool/* (gsutil/gcloud stand-ins), gcr.io/cloud-builders/<tool> (local <tool>), ' +
  'and images in the local image store (built by a Cloud Build docker step)';

const BASH_IMAGES = new Set(['bash', 'ubuntu', 'debian']);
const SH_IMAGES = new Set(['alpine', 'busybox']);

/** `docker.io/library/node:24-slim` → `node`; `gcr.io/cloud-builders/git:latest` → `gcr.io/cloud-builders/git`. */
export function imageRepository(name: string): string {
  const noDigest = name.split('@')[0] ?? name;
  const slash = noDigest.lastIndexOf('/');
  const colon = noDigest.lastIndexOf(':');
  const repo = colon > slash ? noDigest.slice(0, colon) : noDigest;
  return repo.replace(/^(docker\.io\/|index\.docker\.io\/|mirror\.gcr\.io\/)?(library\/)?/, '');
}

/** The tag of a reference (`python:3.11-slim` → `3.11-slim`), or undefined for none / a digest only. */
export function imageTag(name: string): string | undefined {
  const noDigest = name.split('@')[0] ?? name;
  const slash = noDigest.lastIndexOf('/');
  const colon = noDigest.lastIndexOf(':');
  return colon > slash ? noDigest.slice(colon + 1) : undefined;
}

/** The toolchain a well-known image maps onto, or undefined when the table has no entry for it. */
export function toolchainFor(image: string): Toolchain | undefined {
  const repo = imageRepository(image);
  if (repo === 'python' || repo.endsWith('/python')) {
    // `3.11`, `3.11-slim`, `3.11.7-bookworm` → 3.11; `3-alpine` → 3; `latest` or none → any python3.
    const version = /^(\d+(?:\.\d+)?)/.exec(imageTag(image) ?? '')?.[1];
    return { kind: 'python', ref: image, ...(version ? { version } : {}) };
  }
  if (repo === 'node') return { kind: 'node' };
  if (BASH_IMAGES.has(repo)) return { kind: 'shell', shell: 'bash' };
  if (SH_IMAGES.has(repo)) return { kind: 'shell', shell: 'sh' };
  if (/(^|\/)(cloudsdktool\/(cloud-sdk|google-cloud-cli)|google\/cloud-sdk)$/.test(repo)) {
    return { kind: 'cloud-sdk' };
  }
  if (repo.startsWith('gcr.io/google.com/cloudsdktool/')) return { kind: 'cloud-sdk' };
  if (repo.startsWith('gcr.io/cloud-builders/')) {
    return { kind: 'cloud-builder', tool: repo.slice('gcr.io/cloud-builders/'.length) };
  }
  return undefined;
}
