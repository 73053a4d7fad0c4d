/**
 * gs:// URIs as local paths through a FUSE-style mount: `gs://b/o` ↔ `<mount>/b/o`.
 * Vertex mounts Cloud Storage at /gcs; the local emulator points CONVEYOR_GCS_MOUNT at its own root.
 */

const GS = 'gs://';

/** The mount root: CONVEYOR_GCS_MOUNT when set, else Vertex's `/gcs`. */
export function gcsMount(env: NodeJS.ProcessEnv = process.env): string {
  const mount = env['CONVEYOR_GCS_MOUNT'];
  return mount === undefined || mount === '' ? '/gcs' : mount.replace(/\/+$/, '');
}

/** Maps a gs:// URI to its path under `mount`; anything else is taken as a local path already. */
export function toLocalPath(uriOrPath: string, mount: string): string {
  if (!uriOrPath.startsWith(GS)) return uriOrPath;
  const rest = uriOrPath.slice(GS.length);
  if (rest === '' || rest.startsWith('/')) throw new Error(`not a gs:// URI with a bucket: '${uriOrPath}'`);
  return `${mount}/${rest}`;
}

/** Maps a path under `mount` back to its gs:// URI; other paths are returned unchanged. */
export function toGcsUri(path: string, mount: string): string {
  const prefix = `${mount}/`;
  return path.startsWith(prefix) ? `${GS}${path.slice(prefix.length)}` : path;
}

/** Joins URI or path segments with single slashes. */
export function joinUri(base: string, ...parts: string[]): string {
  return [base.replace(/\/+$/, ''), ...parts.map((p) => p.replace(/^\/+|\/+$/g, ''))].join('/');
}
