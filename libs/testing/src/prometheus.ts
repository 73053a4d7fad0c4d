// Prometheus text exposition → families, with a real parser (a port of the Prometheus client's),
// so tests check what a scraper would read, not a regular expression over the text.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** One sample (series) of a family, in prom2json's shape: values are strings as exposed. */
export interface PrometheusSample {
  readonly labels?: Readonly<Record<string, string>>;
  /** Counter, gauge and untyped samples. */
  readonly value?: string;
  /** Histograms: cumulative count by upper bound (`le`), plus count and sum. */
  readonly buckets?: Readonly<Record<string, string>>;
  readonly count?: string;
  readonly sum?: string;
}

/** A metric family (`# HELP` / `# TYPE` and its samples). */
export interface PrometheusFamily {
  readonly name: string;
  readonly help: string;
  readonly type: 'COUNTER' | 'GAUGE' | 'HISTOGRAM' | 'SUMMARY' | 'UNTYPED';
  readonly metrics: readonly PrometheusSample[];
}

const parse = require('parse-prometheus-text-format') as (text: string) => PrometheusFamily[];

/**
 * Parses a Prometheus text exposition.
 * @throws InvalidLineError on a line that is not valid exposition format
 */
export function parsePrometheus(text: string): PrometheusFamily[] {
  return parse(text);
}

/** The family named `name`. @throws Error naming it (and what is there) when absent. */
export function family(families: readonly PrometheusFamily[], name: string): PrometheusFamily {
  const found = families.find((f) => f.name === name);
  if (!found) throw new Error(`no metric family ${name}; have: ${families.map((f) => f.name).join(', ')}`);
  return found;
}
