/**
 * In a container, nothing above an image's files changes what they do. Here they sit on the host,
 * often inside this repository (`.data/`), and Node looks for the nearest package.json upwards from a
 * script to decide whether `.js` is CommonJS or an ES module: without a stop, an image's CommonJS
 * `task.js` would be read as ESM because of the repository's `"type": "module"`. An empty
 * package.json is that stop (no "type": Node's defaults apply, as in a container).
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const BOUNDARY = `${JSON.stringify(
  {
    description:
      'Written by the Conveyor emulator: stops Node from applying a package.json above this directory to the code below it.',
  },
  null,
  2,
)}\n`;

/** Writes `<dir>/package.json` unless one is there (an existing package keeps its own). */
export function writePackageBoundary(dir: string): void {
  const file = join(dir, 'package.json');
  if (existsSync(file)) return;
  mkdirSync(dir, { recursive: true });
  writeFileSync(file, BOUNDARY);
}
