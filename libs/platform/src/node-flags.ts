// The Node.js (V8) flags the worker process runs with: one list for everything that starts it (the
// local stack, the Dockerfile's CMD and the worker's `start` script, which a unit test holds equal,
// and the benchmarks). V8 flags apply to every isolate of the process, so the workflow thread's too.

/**
 * V8 flags of the worker process (bench/README.md, worker-rss and wait-cost, before and after):
 * - `--max-semi-space-size=1`: young generation of 1 MB semi-spaces instead of up to 16 MB. The
 *   worker's allocations are short bursts (client construction, a workflow activation); V8 grows the
 *   young generation for them and keeps its pages resident: about 50 MB of an idle worker.
 * - `--optimize-for-size`: V8 collects the old generation sooner instead of growing it. A worker with
 *   many runs turns over cached workflows, whose garbage otherwise piles up in the workflow thread
 *   (the heap limit, over 4 GB here, is far away). The limit itself stays V8's, so nothing runs
 *   out of heap that would not have before.
 */
export const workerNodeFlags: readonly string[] = ['--max-semi-space-size=1', '--optimize-for-size'];
