// Child processes of the observability tests: the worker (tests/tiny-worker.ts) and the bridge
// (apps/bridge/src/main.ts), each with its JSON log lines kept for the test to read.
import { repoPath } from '@conveyor/platform/repo-root';

export { freePort, startChild, type Child } from '@conveyor/testing/processes';

/** The crash tests' worker process: the worker's real composition over the tiny catalog. */
export const tinyWorkerScript = repoPath('apps', 'worker', 'tests', 'tiny-worker.ts');
/** The bridge's composition root. */
export const bridgeMain = repoPath('apps', 'bridge', 'src', 'main.ts');
