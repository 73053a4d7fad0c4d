import type { ImageStore } from './context.ts';

/** A registry answer: status, headers, and a JSON body for GET. */
export interface RegistryAnswer {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body?: unknown;
}

/** OCI Distribution error body. */
function error(status: number, code: string, message: string): RegistryAnswer {
  return { status, headers: {}, body: { errors: [{ code, message }] } };
}

/**
 * The read side of the OCI Distribution API over the local image store, standing in for every
 * registry at once: paths carry the image's registry host first,
 * `/v2/<host>/<repository>/manifests/<tag or digest>` (a pull-through mirror's layout). Answers
 * `GET /v2/` (API check) and `HEAD`/`GET` of a manifest with its `Docker-Content-Digest`; only images
 * built locally exist. Returns undefined for paths that are not registry paths.
 */
export async function answerRegistry(
  method: string,
  pathname: string,
  images: ImageStore,
): Promise<RegistryAnswer | undefined> {
  if (pathname === '/v2/' || pathname === '/v2') return { status: 200, headers: {}, body: {} };
  const match = /^\/v2\/(.+)\/manifests\/([^/]+)$/.exec(pathname);
  if (!match) return undefined;
  if (method !== 'GET' && method !== 'HEAD') return error(405, 'UNSUPPORTED', 'read-only registry');
  const [, name, reference] = match as unknown as [string, string, string];
  const ref = reference.startsWith('sha256:') ? `${name}@${reference}` : `${name}:${reference}`;
  const image = await images.resolve(ref);
  if (!image) return error(404, 'MANIFEST_UNKNOWN', `manifest unknown: ${ref}`);
  return {
    status: 200,
    headers: {
      'docker-content-digest': image.digest,
      'content-type': 'application/vnd.oci.image.manifest.v1+json',
    },
    body: { schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: image.digest },
  };
}
