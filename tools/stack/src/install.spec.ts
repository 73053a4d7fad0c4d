import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensureBinaries, InstallError } from './install.ts';
import { repoRoot } from '@conveyor/platform/repo-root';

describe('ensureBinaries', () => {
  it('names the binary and the missing toolchain when neither Go nor Python is on PATH', async () => {
    const cacheDir = await mkdtemp(join(tmpdir(), 'conveyor-cache-'));
    try {
      const error = await ensureBinaries({
        cacheDir,
        repoRoot,
        env: { PATH: '/nonexistent' },
      }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InstallError);
      expect((error as Error).message).toMatch(
        /^cannot install (temporal CLI|fake-gcs-server|pubsub-emulator): .*`go`/,
      );
    } finally {
      await rm(cacheDir, { recursive: true, force: true });
    }
  });
});
