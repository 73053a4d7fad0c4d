import { createWriteStream, type WriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { Logger } from 'pino';
import type { GcsClient } from '../context.ts';

/**
 * A build's log: lines go to a local file as they come; when the build has a logs bucket, the file
 * is copied to `gs://<bucket>/[<prefix>/]log-<id>.txt` after every step and at the end (Cloud Build
 * streams; this is the closest cheap thing). `url` is known from the start, like Cloud Build's logUrl.
 */
export class BuildLog {
  /** HTTP download URL of the GCS object, or `file://` of the local file when there is no bucket. */
  readonly url: string;
  readonly #file: string;
  readonly #stream: WriteStream;
  readonly #target: { bucket: string; object: string } | undefined;
  readonly #gcs: GcsClient;
  readonly #log: Logger;
  #uploading: Promise<void> = Promise.resolve();
  #bucketReady = false;

  constructor(options: { file: string; buildId: string; logsBucket: string; gcs: GcsClient; log: Logger }) {
    this.#file = options.file;
    this.#stream = createWriteStream(options.file);
    this.#gcs = options.gcs;
    this.#log = options.log.child({ buildId: options.buildId });
    const match = /^(?:gs:\/\/)?([^/]+)\/?(.*)$/.exec(options.logsBucket);
    if (options.logsBucket && match?.[1]) {
      const prefix = (match[2] ?? '').replace(/\/+$/, '');
      const object = `${prefix ? `${prefix}/` : ''}log-${options.buildId}.txt`;
      this.#target = { bucket: match[1], object };
      this.url = `${options.gcs.endpoint}/storage/v1/b/${match[1]}/o/${encodeURIComponent(object)}?alt=media`;
    } else {
      this.url = `file://${options.file}`;
    }
  }

  /** Appends one line. */
  line(text: string): void {
    this.#stream.write(`${text}\n`);
  }

  /** Copies what has been written so far to GCS (queued behind earlier copies; failures only warn). */
  sync(): Promise<void> {
    const target = this.#target;
    if (!target) return Promise.resolve();
    this.#uploading = this.#uploading.then(async () => {
      try {
        await new Promise<void>((resolve) => this.#stream.write('', () => resolve()));
        if (!this.#bucketReady) await this.#gcs.ensureBucket(target.bucket);
        this.#bucketReady = true;
        await this.#gcs.writeObject(target.bucket, target.object, await readFile(this.#file), 'text/plain');
      } catch (e: unknown) {
        this.#log.warn({ err: e, bucket: target.bucket }, 'could not copy the build log to GCS');
      }
    });
    return this.#uploading;
  }

  /** Flushes the file and makes the final copy. */
  async close(): Promise<void> {
    await this.sync();
    await new Promise<void>((resolve) => this.#stream.end(resolve));
    await this.sync();
  }
}
