import { randomBytes } from 'node:crypto';

/** A name unique to this test run: `<prefix>-<base36 time>-<random>`, lowercase, `[a-z0-9-]`. */
export function uniqueName(prefix: string): string {
  const clean = prefix.toLowerCase().replace(/[^a-z0-9-]+/g, '-');
  return `${clean}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
}
