import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCsv } from './csv.ts';
import type { Penguin } from './penguin.ts';

/** File name of the bundled Palmer Penguins data (from the vega-datasets package). */
export const DATASET_FILE = 'penguins.json';
/** File inside a Dataset artifact directory that holds its examples. */
export const EXAMPLES_FILE = 'data.json';

/**
 * Where the built-in dataset is: beside the bundle (the image copies it there), else inside the
 * installed vega-datasets package (running from source).
 * @throws Error when neither exists.
 */
export function defaultDatasetPath(): string {
  const besideBundle = fileURLToPath(new URL(`./${DATASET_FILE}`, import.meta.url));
  if (existsSync(besideBundle)) return besideBundle;
  try {
    // The package exports only its JS entry, so locate the data folder relative to it.
    const entry = fileURLToPath(import.meta.resolve('vega-datasets'));
    const inPackage = join(dirname(entry), '..', 'data', DATASET_FILE);
    if (existsSync(inPackage)) return inPackage;
  } catch {
    // Not installed (e.g. inside the image without the data file): reported below.
  }
  throw new Error(`built-in dataset ${DATASET_FILE} not found beside ${besideBundle} nor in vega-datasets`);
}

/** Reads source records from a JSON array file or a CSV file (by extension: .json is JSON). */
export async function readRecords(path: string): Promise<Record<string, unknown>[]> {
  const text = await readFile(path, 'utf8');
  if (path.toLowerCase().endsWith('.json')) {
    const data: unknown = JSON.parse(text);
    if (!Array.isArray(data)) throw new Error(`${path}: expected a JSON array of records`);
    return data as Record<string, unknown>[];
  }
  return parseCsv(text);
}

/** Writes examples into a Dataset artifact directory (created if needed) as `data.json`. */
export async function writeExamples(dir: string, rows: readonly Penguin[]): Promise<string> {
  await mkdir(dir, { recursive: true });
  const file = join(dir, EXAMPLES_FILE);
  await writeFile(file, `${JSON.stringify(rows)}\n`);
  return file;
}

/**
 * Reads the examples of a Dataset artifact directory written by {@link writeExamples}.
 * @throws Error when the file is missing, not an array, or empty.
 */
export async function readExamples(dir: string): Promise<Penguin[]> {
  const file = join(dir, EXAMPLES_FILE);
  let data: unknown;
  try {
    data = JSON.parse(await readFile(file, 'utf8'));
  } catch (e: unknown) {
    throw new Error(`cannot read examples ${file}: ${e instanceof Error ? e.message : String(e)}`, {
      cause: e,
    });
  }
  if (!Array.isArray(data) || data.length === 0)
    throw new Error(`${file}: expected a non-empty array of examples`);
  return data as Penguin[];
}
