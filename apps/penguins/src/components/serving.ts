import { readJsonIfExists, replaceText } from '../io/files.ts';
import { joinUri, toLocalPath } from '../io/gcs-path.ts';

/** Folder under the serving root that holds this app's model versions and its LATEST pointer. */
export const MODEL_NAME = 'penguins';
/** The pointer file naming the currently served version. */
export const LATEST_FILE = 'LATEST';

/** Contents of `<serving root>/penguins/LATEST`. */
export interface LatestPointer {
  /** The served version (a folder name under `<serving root>/penguins/`). */
  readonly version: string;
  /** Where that version lives (gs:// form when the serving root is in Cloud Storage). */
  readonly uri: string;
  /** Its eval accuracy when pushed, when the pusher was told it. */
  readonly accuracy?: number;
  /** ISO time of the push. */
  readonly pushedAt: string;
}

/** URI of the model folder `<serving root>/penguins`. */
export function modelRootUri(servingRoot: string): string {
  return joinUri(servingRoot, MODEL_NAME);
}

/**
 * Reads the LATEST pointer of a serving root, or undefined when nothing was pushed yet.
 * @throws Error when the pointer exists but is malformed.
 */
export async function readLatest(servingRoot: string, mount: string): Promise<LatestPointer | undefined> {
  const file = toLocalPath(joinUri(modelRootUri(servingRoot), LATEST_FILE), mount);
  const data = (await readJsonIfExists(file)) as Partial<LatestPointer> | undefined;
  if (data === undefined) return undefined;
  if (typeof data.version !== 'string' || typeof data.uri !== 'string') {
    throw new Error(`${file}: expected {"version": string, "uri": string, ...}`);
  }
  return data as LatestPointer;
}

/** Points LATEST at a newly pushed version (replaced in one step). */
export async function writeLatest(servingRoot: string, mount: string, pointer: LatestPointer): Promise<void> {
  const file = toLocalPath(joinUri(modelRootUri(servingRoot), LATEST_FILE), mount);
  await replaceText(file, `${JSON.stringify(pointer, null, 2)}\n`);
}
