// The demo's live view of a run: stage, build step or pipeline tasks, elapsed time. On a terminal a
// small block redrawn in place every second; elsewhere (CI logs, pipes) a plain line per change.
import type { RunStatus, Stage } from '@conveyor/contracts';
import { clock } from '../common/table.ts';

/** The stages a successful run passes, in order, with the word the display shows. */
const STEPS: readonly { stage: Stage; label: string }[] = [
  { stage: 'resolving', label: 'resolve' },
  { stage: 'building', label: 'build' },
  { stage: 'compiling', label: 'compile' },
  { stage: 'uploading', label: 'upload' },
  { stage: 'submitting', label: 'submit' },
  { stage: 'running', label: 'pipeline' },
  { stage: 'collecting', label: 'collect' },
  { stage: 'reporting', label: 'report' },
];

/** What the display knows at one moment. */
export interface DisplayState {
  readonly workflowId: string;
  readonly elapsedMs: number;
  readonly status?: RunStatus | undefined;
  /** The latest word from the build or job being waited on, e.g. "build 12 WORKING, step 'x' working". */
  readonly note?: string | undefined;
}

/** The stage strip: `✓ resolve  ✓ build  ▸ compile  · upload …`. */
export function stageStrip(stage: Stage | undefined): string {
  const current = STEPS.findIndex((s) => s.stage === stage);
  const done = stage === 'succeeded';
  return STEPS.map((s, i) => {
    if (done || (current >= 0 && i < current)) return `✓ ${s.label}`;
    if (i === current) return `▸ ${s.label}`;
    return `· ${s.label}`;
  }).join('  ');
}

/** Pipeline task states as `example-gen SUCCEEDED · trainer RUNNING`, or undefined before the job runs. */
export function taskLine(status: RunStatus | undefined): string | undefined {
  const tasks = status?.tasks?.filter((t) => t.name !== status.pipeline);
  if (!tasks?.length) return undefined;
  return tasks.map((t) => `${t.name} ${t.state.replace(/^PIPELINE_TASK_STATE_/, '')}`).join(' · ');
}

/** Full resource names are long; the job's own id says the same in a line that fits. */
export function shortenNote(note: string | undefined): string | undefined {
  return note?.replace(/projects\/[^/\s]+\/locations\/[^/\s]+\/pipelineJobs\//g, '');
}

/** Cuts a line to the terminal width: a wrapped line would break the in-place redraw. */
export function fitToWidth(line: string, columns: number | undefined): string {
  if (!columns || line.length < columns) return line;
  return `${line.slice(0, Math.max(1, columns - 2))}…`;
}

/** The block's detail line: the latest news, the failure, or what it waits for. */
function detail(state: DisplayState): string {
  const status = state.status;
  if (status?.stage === 'succeeded') return 'done';
  if (status?.error) return status.error;
  return shortenNote(state.note) ?? (status?.build ? `build ${status.build.id}` : 'waiting for the worker…');
}

/** The block shown on a terminal (3–4 lines). */
export function renderBlock(state: DisplayState): string[] {
  const stage = state.status?.stage ?? 'starting';
  const lines = [
    `${state.workflowId}  ·  ${stage}  ·  elapsed ${clock(state.elapsedMs)}`,
    `  ${stageStrip(state.status?.stage)}`,
    `  ${detail(state)}`,
  ];
  const tasks = taskLine(state.status);
  if (tasks) lines.push(`  tasks: ${tasks}`);
  return lines;
}

/** One plain line for logs: `[0:42] building  build 12 WORKING, step 'x' working  | tasks: …`. */
export function plainLine(state: DisplayState): string {
  const stage = state.status?.stage ?? 'starting';
  const tasks = taskLine(state.status);
  const note = shortenNote(state.note);
  return `[${clock(state.elapsedMs)}] ${stage}${note ? `  ${note}` : ''}${tasks ? `  | tasks: ${tasks}` : ''}`;
}

/** Writes the live view to a stream; call `update` on news, `stop` at the end. */
export class LiveDisplay {
  readonly #out: NodeJS.WriteStream;
  readonly #tty: boolean;
  readonly #started: number;
  readonly #workflowId: string;
  #status: RunStatus | undefined;
  #note: string | undefined;
  #drawn = 0;
  #lastPlain = '';
  #timer: NodeJS.Timeout | undefined;

  constructor(out: NodeJS.WriteStream, workflowId: string, startedAt: number, tty = out.isTTY === true) {
    this.#out = out;
    this.#tty = tty;
    this.#started = startedAt;
    this.#workflowId = workflowId;
    // A terminal gets a ticking clock; a log only gets lines when something changes.
    if (tty) this.#timer = setInterval(() => this.#draw(), 1_000);
  }

  /** New status and/or progress note. */
  update(status: RunStatus | undefined, note: string | undefined): void {
    this.#status = status ?? this.#status;
    this.#note = note;
    this.#draw();
  }

  /** Stops the clock and leaves the last frame on screen. */
  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#draw();
  }

  #state(): DisplayState {
    return {
      workflowId: this.#workflowId,
      elapsedMs: Date.now() - this.#started,
      status: this.#status,
      note: this.#note,
    };
  }

  #draw(): void {
    const state = this.#state();
    if (!this.#tty) {
      // Compare without the clock, so the same news is not printed twice.
      const line = plainLine(state);
      const key = line.replace(/^\[[^\]]*\] /, '');
      if (key !== this.#lastPlain) this.#out.write(`${line}\n`);
      this.#lastPlain = key;
      return;
    }
    const lines = renderBlock(state).map((l) => fitToWidth(l, this.#out.columns));
    const up = this.#drawn > 0 ? `\x1b[${this.#drawn}A` : '';
    // Clear leftover lines when the block shrinks.
    const padded = [...lines, ...Array.from({ length: Math.max(0, this.#drawn - lines.length) }, () => '')];
    this.#out.write(`${up}${padded.map((l) => `\x1b[2K${l}\n`).join('')}`);
    this.#drawn = padded.length;
  }
}
