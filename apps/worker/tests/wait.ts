// Polling helper for tests: the condition is checked every 200 ms until it holds or time runs out.
import { setTimeout as sleep } from 'node:timers/promises';

/** Resolves with the first defined value of `check`, or throws after `ms` naming `what`. */
export async function waitFor<T>(
  what: string,
  ms: number,
  check: () => Promise<T | undefined | false>,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(200);
  }
}
