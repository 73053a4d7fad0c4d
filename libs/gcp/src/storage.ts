import { Storage } from '@google-cloud/storage';
import { GcpError, translateHttpError } from './errors.ts';
import { inClientSpan } from './tracing.ts';
import { parseGsUri } from './uris.ts';

/** Where GCS lives: Google (default) or a fake such as fake-gcs-server (`http://127.0.0.1:4443`). */
export interface ObjectStoreOptions {
  readonly projectId: string;
  /** apiEndpoint for fake GCS; `STORAGE_EMULATOR_HOST` alone drops the `/storage/v1` prefix fake-gcs-server routes on. */
  readonly endpoint?: string | undefined;
}

/** The GCS calls Conveyor makes, with errors translated to {@link GcpError}. */
export class ObjectStore {
  readonly #storage: Storage;

  constructor(options: ObjectStoreOptions) {
    this.#storage = options.endpoint
      ? new Storage({
          apiEndpoint: options.endpoint,
          projectId: options.projectId,
          useAuthWithCustomEndpoint: false,
        })
      : new Storage({ projectId: options.projectId });
  }

  /**
   * Writes an object only if it does not exist (`ifGenerationMatch: 0`). Returns false when it
   * was already there (412): for content-addressed names that means the same bytes.
   */
  async writeIfAbsent(uri: string, contents: string | Buffer, contentType: string): Promise<boolean> {
    const { bucket, object } = parseGsUri(uri);
    return inClientSpan('Storage.save', gcsAttributes(bucket, object), async () => {
      try {
        await this.#storage
          .bucket(bucket)
          .file(object)
          .save(contents, { contentType, resumable: false, preconditionOpts: { ifGenerationMatch: 0 } });
        return true;
      } catch (e: unknown) {
        const error = translateHttpError('Storage.save', e);
        if (error.code === '412') return false;
        throw error;
      }
    });
  }

  async read(uri: string): Promise<Buffer> {
    const { bucket, object } = parseGsUri(uri);
    return inClientSpan('Storage.download', gcsAttributes(bucket, object), async () => {
      try {
        const [contents] = await this.#storage.bucket(bucket).file(object).download();
        return contents;
      } catch (e: unknown) {
        throw translateHttpError('Storage.download', e);
      }
    });
  }

  /** Writes (or replaces) an object. */
  async write(uri: string, contents: string | Buffer, contentType: string): Promise<void> {
    const { bucket, object } = parseGsUri(uri);
    try {
      await this.#storage.bucket(bucket).file(object).save(contents, { contentType, resumable: false });
    } catch (e: unknown) {
      throw translateHttpError('Storage.save', e);
    }
  }

  /** URIs of every object under a `gs://bucket/prefix` (the prefix ends at a `/`). */
  async list(prefixUri: string): Promise<string[]> {
    const { bucket, object } = parseGsUri(prefixUri);
    const prefix = object === '' || object.endsWith('/') ? object : `${object}/`;
    try {
      const [files] = await this.#storage.bucket(bucket).getFiles({ prefix });
      return files.map((f) => `gs://${bucket}/${f.name}`);
    } catch (e: unknown) {
      throw translateHttpError('Storage.getFiles', e);
    }
  }

  /** Copies one object inside Cloud Storage (no bytes pass through the caller). */
  async copy(fromUri: string, toUri: string): Promise<void> {
    const from = parseGsUri(fromUri);
    const to = parseGsUri(toUri);
    try {
      await this.#storage
        .bucket(from.bucket)
        .file(from.object)
        .copy(this.#storage.bucket(to.bucket).file(to.object));
    } catch (e: unknown) {
      throw translateHttpError('Storage.copy', e);
    }
  }

  /** Whether a bucket exists (needs `storage.buckets.get`). */
  async bucketExists(bucket: string): Promise<boolean> {
    try {
      const [exists] = await this.#storage.bucket(bucket).exists();
      return exists;
    } catch (e: unknown) {
      throw translateHttpError('Storage.getBucket', e);
    }
  }

  /** Creates the bucket when missing (local mode only; real buckets are provisioned). */
  async ensureBucket(bucket: string): Promise<void> {
    return inClientSpan('Storage.createBucket', gcsAttributes(bucket), async () => {
      try {
        const [exists] = await this.#storage.bucket(bucket).exists();
        if (!exists) await this.#storage.createBucket(bucket);
      } catch (e: unknown) {
        const error = translateHttpError('Storage.createBucket', e);
        if (error.kind !== 'already-exists') throw error;
      }
    });
  }
}

/** Span attributes of a Cloud Storage call (JSON API over HTTP). */
function gcsAttributes(bucket: string, object?: string): Record<string, string> {
  return { 'rpc.system': 'http', 'gcp.gcs.bucket': bucket, ...(object ? { 'gcp.gcs.object': object } : {}) };
}

export { GcpError };
