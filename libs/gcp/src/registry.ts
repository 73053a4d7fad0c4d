import { GoogleAuth } from 'google-auth-library';
import { GcpError, translateHttpError } from './errors.ts';
import { messageOf } from '@conveyor/contracts';

/** Manifest media types a registry may hold for an image (OCI and Docker, single and multi-arch). */
const MANIFEST_TYPES = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

/** A HEAD of one manifest answers in well under a second; 10 s bounds a hung registry. */
const REQUEST_TIMEOUT_MS = 10_000;

/** `host/repository/path` of an image reference, without tag or digest. */
export function parseImageUri(uri: string): { host: string; repository: string } {
  const withoutDigest = uri.split('@')[0] ?? uri;
  const slash = withoutDigest.indexOf('/');
  if (slash <= 0) throw new Error(`image URI '${uri}' has no registry host`);
  const host = withoutDigest.slice(0, slash);
  let repository = withoutDigest.slice(slash + 1);
  const colon = repository.lastIndexOf(':');
  if (colon > repository.lastIndexOf('/')) repository = repository.slice(0, colon);
  return { host, repository };
}

/** Where images are looked up: the registry named in each image URI, or one local stand-in. */
export interface ImageRegistryOptions {
  /**
   * Base URL of a local registry that stands in for every registry (the emulator's admin endpoint);
   * its paths start with the image's registry host: `/v2/<host>/<repository>/manifests/<ref>`.
   * Unset: `https://<host>/v2/<repository>/manifests/<ref>` with a Google access token.
   */
  readonly endpoint?: string | undefined;
}

/**
 * Asks an image registry whether a manifest still exists, over the OCI Distribution API that
 * Artifact Registry serves (`HEAD /v2/<repository>/manifests/<digest>`). Images can be deleted by
 * cleanup policies after their build, so a build's record alone does not prove the image is there.
 */
export class ImageRegistry {
  readonly #endpoint: string | undefined;
  #auth: GoogleAuth | undefined;

  constructor(options: ImageRegistryOptions) {
    this.#endpoint = options.endpoint?.replace(/\/$/, '');
  }

  /**
   * Whether `imageUri`'s repository holds the manifest `digest`.
   * @throws GcpError: `permission-denied` on 401/403 (grant `roles/artifactregistry.reader`),
   * `transient` on 429/5xx and network errors.
   */
  async hasManifest(imageUri: string, digest: string): Promise<boolean> {
    const operation = 'ImageRegistry.hasManifest';
    const { host, repository } = parseImageUri(imageUri);
    const url = this.#endpoint
      ? `${this.#endpoint}/v2/${host}/${repository}/manifests/${digest}`
      : `https://${host}/v2/${repository}/manifests/${digest}`;
    const headers: Record<string, string> = { accept: MANIFEST_TYPES };
    let response: Response;
    try {
      if (!this.#endpoint) {
        this.#auth ??= new GoogleAuth({ scopes: ['https://www.googleapis.com/auth/cloud-platform'] });
        headers['authorization'] = `Bearer ${await this.#auth.getAccessToken()}`;
      }
      response = await fetch(url, {
        method: 'HEAD',
        headers,
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
    } catch (e: unknown) {
      throw new GcpError(operation, 'transient', 'NETWORK', messageOf(e), e);
    }
    if (response.status === 200) return true;
    if (response.status === 404) return false;
    throw translateHttpError(
      operation,
      Object.assign(new Error(`${url}: HTTP ${response.status}`), { code: response.status }),
    );
  }
}
