import type { StateStore } from '../context.ts';
import { protoTime, TERMINAL, type Build } from './model.ts';

/** A build the emulator knows, plus its run-time handles. */
export interface BuildRecord {
  build: Build;
  operationName: string;
  /** Aborted to stop every running step (cancel, timeout, failure of another step). */
  abort: AbortController;
  /** Resolves when execution has finished (immediately for builds loaded from a snapshot). */
  done: Promise<void>;
}

const STATE_KEY = 'cloudbuild';

/** In-memory builds, snapshotted through the StateStore after every change. */
export class BuildStore {
  readonly #records = new Map<string, BuildRecord>();
  readonly #byOperation = new Map<string, string>();
  readonly #state: StateStore;

  constructor(state: StateStore) {
    this.#state = state;
    const saved = state.load<{ builds: { build: Build; operationName: string }[] }>(STATE_KEY);
    for (const { build, operationName } of saved?.builds ?? []) {
      if (!TERMINAL.includes(build.status)) {
        // Its processes died with the previous emulator process; say so instead of pretending.
        build.status = 'INTERNAL_ERROR';
        build.statusDetail = 'the emulator restarted while this build was running';
        build.finishTime ??= protoTime();
      }
      this.add({ build, operationName, abort: new AbortController(), done: Promise.resolve() });
    }
  }

  /** Registers a record (new or loaded). */
  add(record: BuildRecord): void {
    this.#records.set(record.build.id, record);
    this.#byOperation.set(record.operationName, record.build.id);
    this.changed();
  }

  get(id: string): BuildRecord | undefined {
    return this.#records.get(id);
  }

  byOperation(name: string): BuildRecord | undefined {
    const id = this.#byOperation.get(name);
    return id === undefined ? undefined : this.#records.get(id);
  }

  all(): BuildRecord[] {
    return [...this.#records.values()];
  }

  operationNames(): string[] {
    return [...this.#byOperation.keys()];
  }

  /** Call after mutating a build: schedules a snapshot. */
  changed(): void {
    this.#state.save(STATE_KEY, {
      builds: this.all().map((r) => ({ build: r.build, operationName: r.operationName })),
    });
  }
}
