/**
 * Exponential backoff shared by all messages: Temporal being unreachable is one condition, so every
 * failing message waits longer, and one success resets it.
 */
export class Backoff {
  readonly #baseMs: number;
  readonly #maxMs: number;
  #failures = 0;

  /** @param baseMs first delay; @param maxMs cap. */
  constructor(baseMs: number, maxMs: number) {
    this.#baseMs = baseMs;
    this.#maxMs = maxMs;
  }

  /** Records a failure and returns how long to wait before giving the message back. */
  fail(): number {
    const delay = Math.min(this.#maxMs, this.#baseMs * 2 ** Math.min(this.#failures, 20));
    this.#failures++;
    // ±20 % jitter so a burst of nacks does not come back as one burst.
    return Math.round(delay * (0.8 + Math.random() * 0.4));
  }

  /** Records a success. */
  succeed(): void {
    this.#failures = 0;
  }
}
