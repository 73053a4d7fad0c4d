import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/** Writes `content` to `file`, creating its parent directories (KFP output paths may not exist yet). */
export async function writeText(file: string, content: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, content);
}

/**
 * Replaces `file` in one step (write a sibling, then rename) so a reader never sees half a file.
 * Used for the serving root's LATEST pointer.
 */
export async function replaceText(file: string, content: string): Promise<void> {
  const tmp = `${file}.tmp-${process.pid}`;
  await writeText(tmp, content);
  await rename(tmp, file);
}

/** Reads and parses a JSON file, or returns undefined when it does not exist. */
export async function readJsonIfExists(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e: unknown) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (e: unknown) {
    throw new Error(`${file} is not valid JSON: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
}
