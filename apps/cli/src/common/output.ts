// `-o text|json|jsonl` on every command: text for people on stdout (notes on stderr); JSON for
// scripts, one document on stdout and nothing else there. The shapes are documented in
// apps/cli/README.md and stable.
import { CommanderError, Option, type Command } from 'commander';
import { messageOf } from '@conveyor/contracts';
import { exitCodeOf, type ExitCode } from './errors.ts';

/** Output formats, as `temporal` names them. */
export const OUTPUT_FORMATS = ['text', 'json', 'jsonl'] as const;
/** An output format. */
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** The flags {@link addOutputOption} adds. */
export interface OutputFlags {
  readonly output?: string;
  /** Hidden alias of `-o json`, kept for scripts written before `-o`. */
  readonly json?: boolean;
}

/** Adds `-o, --output <text|json|jsonl>` and the hidden `--json` alias to a command. */
export function addOutputOption(command: Command): Command {
  return command
    .addOption(
      new Option('-o, --output <format>', 'output format: text for people, json or jsonl for scripts')
        .choices(OUTPUT_FORMATS)
        .default('text'),
    )
    .addOption(new Option('--json', 'same as -o json').hideHelp());
}

/** The format the flags ask for (`--json` wins over the default `text`). */
export function formatOf(flags: OutputFlags): OutputFormat {
  if (flags.output && flags.output !== 'text') return flags.output as OutputFormat;
  return flags.json ? 'json' : 'text';
}

/** Writes a command's output in the chosen format. */
export class Printer {
  readonly format: OutputFormat;
  constructor(format: OutputFormat) {
    this.format = format;
  }

  /** Whether stdout carries JSON. */
  get machine(): boolean {
    return this.format !== 'text';
  }

  /**
   * The command's result: `text()` in text mode; in json mode `data` as one indented document; in jsonl
   * mode one compact line per element of an array, or one line for anything else.
   */
  result(data: unknown, text: () => string): void {
    if (this.format === 'text') {
      const out = text();
      if (out !== '') process.stdout.write(`${out}\n`);
    } else if (this.format === 'json') {
      process.stdout.write(`${JSON.stringify(data, null, 2)}\n`);
    } else {
      const items = Array.isArray(data) ? data : [data];
      process.stdout.write(items.map((item) => `${JSON.stringify(item)}\n`).join(''));
    }
  }

  /** A line for people (progress, where things are): stderr, and only in text mode. */
  note(line: string): void {
    if (!this.machine) process.stderr.write(`${line}\n`);
  }

  /** A warning: stderr in every mode (it never mixes with JSON on stdout). */
  warn(line: string): void {
    process.stderr.write(`${line}\n`);
  }
}

/** The JSON an error prints in json/jsonl mode: `{"error": {"message", "exitCode", "type"}}`. */
export interface ErrorJson {
  readonly error: { readonly message: string; readonly exitCode: ExitCode; readonly type: string };
}

/** Prints a command's failure (stderr always; stdout too in json modes) and returns its exit code. */
export function printFailure(e: unknown, format: OutputFormat): ExitCode {
  const code = exitCodeOf(e);
  // Commander has printed its own words (usage errors, --help, --version).
  if (e instanceof CommanderError) return code;
  const message = messageOf(e);
  process.stderr.write(`conveyor: ${message}\n`);
  if (format !== 'text') {
    const type = e instanceof Error ? e.name : typeof e;
    const json: ErrorJson = { error: { message, exitCode: code, type } };
    process.stdout.write(`${format === 'json' ? JSON.stringify(json, null, 2) : JSON.stringify(json)}\n`);
  }
  return code;
}
