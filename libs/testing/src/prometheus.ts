// Prometheus text exposition → families, with a real parser (parse-prometheus-text-format, whose
// line parser is a port of the Prometheus Python client's), so tests check what a scraper would read,
// not a regular expression over the text.
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

/** Labels without `le`, as a stable key. */
function seriesKey(labels: Readonly<Record<string, string>> | undefined): string {
  return JSON.stringify(
    Object.entries(labels ?? {})
      .filter(([k]) => k !== 'le')
      .sort(),
  );
}

/**
 * The library groups a histogram's lines correctly only when it has a single unlabelled series;
 * read its `_bucket`/`_sum`/`_count` lines as plain series instead (the same line parser) and
 * group them by their labels without `le`.
 */
function histogramSeries(text: string, name: string): PrometheusSample[] {
  const plain = parse(text.replace(new RegExp(`^# TYPE ${name} histogram$`, 'm'), `# TYPE ${name} untyped`));
  // Interleaved series make several families of one name: take them all.
  const lines = (suffix: string) =>
    plain.filter((f) => f.name === `${name}${suffix}`).flatMap((f) => f.metrics);
  const series = new Map<
    string,
    { labels: Record<string, string>; buckets: Record<string, string>; count?: string; sum?: string }
  >();
  const entry = (labels: Readonly<Record<string, string>> | undefined) => {
    const key = seriesKey(labels);
    let found = series.get(key);
    if (!found) {
      found = { labels: Object.fromEntries(JSON.parse(key) as [string, string][]), buckets: {} };
      series.set(key, found);
    }
    return found;
  };
  for (const b of lines('_bucket')) entry(b.labels).buckets[b.labels?.['le'] ?? ''] = b.value ?? '';
  for (const s of lines('_sum')) entry(s.labels).sum = s.value;
  for (const c of lines('_count')) entry(c.labels).count = c.value;
  return [...series.values()];
}

/**
 * Parses a Prometheus text exposition into families; histogram samples carry their labels,
 * `buckets` (by `le`), `count` and `sum`.
 * @throws InvalidLineError on a line that is not valid exposition format
 */
export function parsePrometheus(text: string): PrometheusFamily[] {
  return parse(text).map((f) =>
    f.type === 'HISTOGRAM' ? { ...f, metrics: histogramSeries(text, f.name) } : f,
  );
}

/** The family named `name`. @throws Error naming it (and what is there) when absent. */
export function family(families: readonly PrometheusFamily[], name: string): PrometheusFamily {
  const found = families.find((f) => f.name === name);
  if (!found) throw new Error(`no metric family ${name}; have: ${families.map((f) => f.name).join(', ')}`);
  return found;
}
