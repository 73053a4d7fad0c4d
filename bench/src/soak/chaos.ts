// The soak's chaos: a supervised child (worker or bridge) that is SIGKILLed at random intervals and
// started again at once, and restarted too when it dies on its own (which the report counts).
import { setTimeout as sleep } from 'node:timers/promises';
import type { Child } from '@conveyor/testing/processes';
import { messageOf } from '@conveyor/contracts';

/** After this many exits nobody asked for, the child is left down: it is broken, not unlucky. */
const MAX_UNEXPECTED_EXITS = 20;

/** A child process the soak keeps running through kills. */
export class Supervised {
  readonly name: string;
  readonly #start: () => Promise<Child>;
  readonly #warn: (message: string) => void;
  #child: Child | undefined;
  /** Serializes kills, restarts and the final stop. */
  #busy: Promise<void> = Promise.resolve();
  #stopping = false;
  kills = 0;
  unexpectedExits = 0;
  /** ms from SIGKILL to the new process being ready, one per kill. */
  readonly restartMs: number[] = [];

  constructor(name: string, start: () => Promise<Child>, warn: (message: string) => void) {
    this.name = name;
    this.#start = start;
    this.#warn = warn;
  }

  /** Starts the child (retrying a failed start a few times) and watches for exits nobody asked for. */
  async up(): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        const child = await this.#start();
        this.#child = child;
        void child.exited.then((code) => this.#exitedOnItsOwn(child, code));
        return;
      } catch (e: unknown) {
        // Three attempts: a start can lose a race for a port or time out on a loaded machine once.
        if (attempt >= 3 || this.#stopping) throw e;
        this.#warn(`${this.name} failed to start (attempt ${attempt}): ${messageOf(e)}`);
        await sleep(1_000);
      }
    }
  }

  /** SIGKILL, then start again right away. */
  killAndRestart(): Promise<void> {
    return this.#serial(async () => {
      const child = this.#child;
      if (!child || this.#stopping) return;
      this.#child = undefined;
      const t0 = performance.now();
      await child.kill();
      this.kills++;
      await this.up();
      this.restartMs.push(Math.round(performance.now() - t0));
    });
  }

  /** SIGTERM (SIGKILL after `graceMs`); no restart after this. */
  stop(graceMs: number): Promise<void> {
    this.#stopping = true;
    return this.#serial(async () => {
      const child = this.#child;
      this.#child = undefined;
      await child?.stop(graceMs);
    });
  }

  #exitedOnItsOwn(child: Child, code: number | null): void {
    if (this.#child !== child || this.#stopping) return;
    this.unexpectedExits++;
    this.#child = undefined;
    this.#warn(`${this.name} exited on its own (code ${code ?? child.process.signalCode}); restarting`);
    if (this.unexpectedExits > MAX_UNEXPECTED_EXITS) {
      this.#warn(`${this.name} exited ${this.unexpectedExits} times: leaving it down`);
      return;
    }
    void this.#serial(() => this.up()).catch((e: unknown) =>
      this.#warn(`${this.name} could not be restarted: ${messageOf(e)}`),
    );
  }

  #serial(fn: () => Promise<void>): Promise<void> {
    const next = this.#busy.then(fn);
    this.#busy = next.catch(() => undefined);
    return next;
  }
}

/** Kill intervals: uniform between `min` and `max` seconds. */
export interface KillEvery {
  readonly minSeconds: number;
  readonly maxSeconds: number;
}

/**
 * Parses `--kill-every`: `20-60` (uniform in seconds) or `30` (fixed).
 * @throws Error naming the flag when it is neither
 */
export function parseKillEvery(text: string): KillEvery {
  const match = /^(\d+(?:\.\d+)?)(?:-(\d+(?:\.\d+)?))?$/.exec(text.trim());
  const min = Number(match?.[1]);
  const max = Number(match?.[2] ?? match?.[1]);
  if (!match || !(min > 0) || max < min) {
    throw new Error(
      `--kill-every: expected seconds as MIN-MAX (e.g. 20-60) or N, got ${JSON.stringify(text)}`,
    );
  }
  return { minSeconds: min, maxSeconds: max };
}

/** Kills and restarts `target` at random intervals until `signal` aborts. */
export async function killAtRandom(
  target: Supervised,
  every: KillEvery,
  random: () => number,
  signal: AbortSignal,
): Promise<void> {
  while (!signal.aborted) {
    const seconds = every.minSeconds + random() * (every.maxSeconds - every.minSeconds);
    await sleep(seconds * 1_000, undefined, { signal }).catch(() => undefined);
    if (signal.aborted) return;
    await target.killAndRestart();
  }
}
