import type { GcsClient } from '../context.ts';
import { messageOf } from '../rpc-error.ts';

/** An HTTP failure talking to the GCS JSON API. */
export class GcsError extends Error {
  /** HTTP status (404 = no such object or bucket). */
  readonly status: number;
  readonly url: string;

  constructor(message: string, status: number, url: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'GcsError';
    this.status = status;
    this.url = url;
  }
}

/**
 * GCS JSON API client over `fetch`, for fake-gcs-server (`-scheme http`). No auth: a real endpoint
 * would need a bearer token, which the emulator deliberately never looks for.
 * @param endpoint e.g. `http://127.0.0.1:4443` (no trailing `/storage/v1`).
 */
export function createGcsClient(endpoint: string, projectId: string): GcsClient {
  const base = endpoint.replace(/\/+$/, '');
  const call = async (url: string, init?: RequestInit): Promise<Response> => {
    let res: Response;
    try {
      res = await fetch(url, init);
    } catch (e: unknown) {
      throw new GcsError(`GCS endpoint ${base} unreachable: ${messageOf(e)}`, 0, url, { cause: e });
    }
    if (!res.ok) {
      const body = await res.text().catch(() => '');
      throw new GcsError(
        `GCS ${init?.method ?? 'GET'} ${url} → ${res.status} ${body.slice(0, 200)}`,
        res.status,
        url,
      );
    }
    return res;
  };
  const objectUrl = (bucket: string, name: string): string =>
    `${base}/storage/v1/b/${encodeURIComponent(bucket)}/o/${encodeURIComponent(name)}`;

  return {
    endpoint: base,
    async readObject(bucket, name) {
      const res = await call(`${objectUrl(bucket, name)}?alt=media`);
      return Buffer.from(await res.arrayBuffer());
    },
    async writeObject(bucket, name, data, contentType = 'application/octet-stream') {
      const url = `${base}/upload/storage/v1/b/${encodeURIComponent(bucket)}/o?uploadType=media&name=${encodeURIComponent(name)}`;
      const body = typeof data === 'string' ? Buffer.from(data) : data;
      await call(url, {
        method: 'POST',
        headers: { 'content-type': contentType },
        body: new Uint8Array(body),
      });
    },
    async listObjects(bucket, prefix) {
      const names: string[] = [];
      let pageToken = '';
      do {
        const params = new URLSearchParams({ prefix });
        if (pageToken) params.set('pageToken', pageToken);
        const res = await call(`${base}/storage/v1/b/${encodeURIComponent(bucket)}/o?${params}`);
        const page = (await res.json()) as { items?: { name: string }[]; nextPageToken?: string };
        names.push(...(page.items ?? []).map((item) => item.name));
        pageToken = page.nextPageToken ?? '';
      } while (pageToken);
      return names;
    },
    async ensureBucket(bucket) {
      try {
        await call(`${base}/storage/v1/b/${encodeURIComponent(bucket)}`);
        return;
      } catch (e: unknown) {
        if (!(e instanceof GcsError) || e.status !== 404) throw e;
      }
      try {
        await call(`${base}/storage/v1/b?project=${encodeURIComponent(projectId)}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ name: bucket }),
        });
      } catch (e: unknown) {
        // Another build created it between our GET and POST.
        if (!(e instanceof GcsError) || e.status !== 409) throw e;
      }
    },
  };
}

/** Splits `gs://bucket/path/to/obj` into bucket and object name. @throws Error when not a gs:// URI. */
export function parseGsUri(uri: string): { bucket: string; name: string } {
  const match = /^gs:\/\/([^/]+)\/?(.*)$/.exec(uri);
  if (!match?.[1]) throw new Error(`not a gs:// URI: ${uri}`);
  return { bucket: match[1], name: match[2] ?? '' };
}
