import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createStateStore } from './state-store.ts';

describe('state store', () => {
  const dirs: string[] = [];
  const tmp = (): string => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'state-store-'));
    dirs.push(dir);
    return dir;
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  const log = pino({ level: 'silent' });

  it('persists the latest value of each key across instances', async () => {
    const dataDir = tmp();
    const first = createStateStore({ dataDir, persist: true, log });
    const live = { builds: [{ id: 'a', status: 'WORKING' }] };
    first.save('cloudbuild', live);
    first.save('vertex', { jobs: [] });
    live.builds[0] = { id: 'a', status: 'SUCCESS' };
    await first.flush();
    const second = createStateStore({ dataDir, persist: true, log });
    expect(second.load('cloudbuild')).toEqual({ builds: [{ id: 'a', status: 'SUCCESS' }] });
    expect(second.load('vertex')).toEqual({ jobs: [] });
    expect(second.load('other')).toBeUndefined();
  });

  it('keeps nothing when persistence is off', async () => {
    const dataDir = tmp();
    const store = createStateStore({ dataDir, persist: false, log });
    store.save('k', { a: 1 });
    await store.flush();
    expect(createStateStore({ dataDir, persist: true, log }).load('k')).toBeUndefined();
  });
});
