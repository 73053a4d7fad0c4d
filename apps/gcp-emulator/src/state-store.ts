import { mkdirSync, readFileSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';
import type { StateStore } from './context.ts';

/** Writes are coalesced for this long: a build changes state many times a second while steps run. */
const DEBOUNCE_MS = 200;

/**
 * JSON snapshot persistence under `<dataDir>/state/<key>.json`. With `persist: false` it keeps
 * nothing (load → undefined, save → no-op), so services can call it unconditionally.
 */
export function createStateStore(options: { dataDir: string; persist: boolean; log: Logger }): StateStore {
  const dir = path.join(options.dataDir, 'state');
  const pending = new Map<string, unknown>();
  let timer: NodeJS.Timeout | undefined;
  let writing: Promise<void> = Promise.resolve();
  if (options.persist) mkdirSync(dir, { recursive: true });

  const writeAll = async (): Promise<void> => {
    const batch = [...pending.entries()];
    pending.clear();
    for (const [key, value] of batch) {
      const file = path.join(dir, `${key}.json`);
      const tmp = `${file}.${process.pid}.tmp`;
      try {
        await mkdir(dir, { recursive: true });
        await writeFile(tmp, JSON.stringify(value));
        await rename(tmp, file);
      } catch (e: unknown) {
        options.log.warn({ err: e, key }, 'could not persist emulator state');
      }
    }
  };
  const schedule = (): void => {
    timer ??= setTimeout(() => {
      timer = undefined;
      writing = writing.then(writeAll);
    }, DEBOUNCE_MS);
  };

  return {
    load<T>(key: string): T | undefined {
      if (!options.persist) return undefined;
      try {
        return JSON.parse(readFileSync(path.join(dir, `${key}.json`), 'utf8')) as T;
      } catch (e: unknown) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT')
          options.log.warn({ err: e, key }, 'ignoring unreadable state');
        return undefined;
      }
    },
    save(key: string, value: unknown): void {
      if (!options.persist) return;
      // Kept by reference and serialised (synchronously, so never torn) when the debounced write
      // runs: a busy build calls save many times a second and only the last state matters.
      pending.set(key, value);
      schedule();
    },
    async flush(): Promise<void> {
      if (timer) {
        clearTimeout(timer);
        timer = undefined;
      }
      writing = writing.then(writeAll);
      await writing;
    },
  };
}
