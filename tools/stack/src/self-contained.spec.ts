// The repository stands alone: no tracked file may send its reader to a file outside it (a design
// note or style guide kept next to the checkout, a reference folder). What a reader needs belongs in
// ARCHITECTURE.md, docs/ or the comment itself.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '@conveyor/platform/repo-root';

// Built from parts so this file does not match itself. The design note is also cited by section
// alone (the name, then a section sign), and any relative path climbing into a sibling `shared` folder is outside.
const outsideCitations: readonly RegExp[] = [
  new RegExp(['DESIGN', 'md'].join('\\.')),
  new RegExp(['\\bDESIGN', '§'].join('\\s*')),
  new RegExp(['\\.\\.', 'shared'].join('\\/')),
  new RegExp(['STYLE', 'md'].join('\\.')),
  new RegExp(['\\/work', 'shared'].join('\\/')),
  new RegExp(['shared', 'reference', ''].join('\\/')),
  new RegExp(['original-system', 'blog'].join('-')),
];

/** Tracked files (the working tree's copies), relative to the repository root. */
function trackedFiles(): string[] {
  const out = execFileSync('git', ['ls-files', '-z'], { cwd: repoRoot, encoding: 'utf8' });
  return out.split('\0').filter((f) => f !== '');
}

/** `file:line: text` for every line citing something outside the repository. */
function citationsOutside(files: readonly string[], read: (file: string) => string): string[] {
  const found: string[] = [];
  for (const file of files) {
    const text = read(file);
    if (text.includes('\0')) continue; // binary
    text.split('\n').forEach((line, i) => {
      if (outsideCitations.some((re) => re.test(line))) found.push(`${file}:${i + 1}: ${line.trim()}`);
    });
  }
  return found;
}

describe('the repository is self-contained', () => {
  it('finds a citation of an outside file (the check can fail)', () => {
    const cited = `see ${['DESIGN', 'md'].join('.')} §6`;
    expect(citationsOutside(['a.ts', 'b.ts'], (f) => (f === 'a.ts' ? `ok\n// ${cited}` : 'ok'))).toEqual([
      `a.ts:2: // ${cited}`,
    ]);
    const bySection = `// as ${['DESIGN', '§12'].join(' ')} requires`;
    expect(citationsOutside(['c.ts'], () => bySection)).toEqual([`c.ts:1: ${bySection}`]);
    const sibling = `see ${['..', 'shared', 'notes.md'].join('/')}`;
    expect(citationsOutside(['d.md'], () => sibling)).toEqual([`d.md:1: ${sibling}`]);
    expect(citationsOutside(['e.ts'], () => 'const DESIGNER = 1; // designs')).toEqual([]);
  });

  it('no tracked file cites a file outside the repository', () => {
    const files = trackedFiles();
    expect(files.length).toBeGreaterThan(100);
    const read = (file: string): string => {
      try {
        return readFileSync(join(repoRoot, file), 'utf8');
      } catch {
        return ''; // deleted in the working tree but still in the index
      }
    };
    expect(citationsOutside(files, read)).toEqual([]);
  });
});
