import type { SweepTrial } from '@conveyor/contracts';
import { describe, expect, it } from 'vitest';
import { sampleSweepInput } from '../tests/sweep-sample.ts';
import { renderSweepReport, type SweepReportInput } from './index.ts';
import { axisFor, rankTrials } from './sweep-data.ts';

type Params = SweepTrial['parameters'];

function trial(
  index: number,
  parameters: Params,
  metrics: Record<string, number>,
  extra: Partial<SweepTrial> = {},
): SweepTrial {
  return { index, runId: `sw-trial-${index}`, parameters, state: 'succeeded', metrics, ...extra };
}
const failed = (index: number, parameters: Params, error = 'trainer failed'): SweepTrial =>
  trial(index, parameters, {}, { state: 'failed', error });

/** A sweep over the given trials; `best` is the one the workflow would pick (first best in trial order). */
function sweep(trials: SweepTrial[], overrides: Partial<SweepReportInput> = {}): SweepReportInput {
  const metric = overrides.metric ?? 'accuracy';
  const goal = overrides.goal ?? 'max';
  const scored = trials.filter((t) => t.state === 'succeeded' && Number.isFinite(t.metrics[metric]));
  const best = scored.reduce<SweepTrial | undefined>((b, t) => {
    const v = t.metrics[metric] as number;
    const bv = b?.metrics[metric];
    return bv === undefined || (goal === 'max' ? v > bv : v < bv) ? t : b;
  }, undefined);
  return {
    sweepId: 'sw',
    pipeline: 'penguins',
    commit: 'c0ffee',
    image: { uri: 'registry/penguins:c0ffee', digest: 'sha256:abc', buildId: 'build-1', reused: false },
    metric,
    goal,
    trials,
    best,
    notPromoted: best ? undefined : `no trial reported ${metric}`,
    ...overrides,
  };
}

/** Trial indices of the HTML trials table, top to bottom, and which rows are highlighted. */
function tableRows(html: string): { index: number; rank: string; best: boolean }[] {
  const table = html.slice(html.indexOf('Trials, best first'));
  return [
    ...table.matchAll(/<tr( class="best")?><td class="num">([^<]*)<\/td><td class="num">(\d+)<\/td>/g),
  ].map((m) => ({ best: Boolean(m[1]), rank: m[2] ?? '', index: Number(m[3]) }));
}

/** The scatter plot of one parameter: its axis kind, marker x per trial, the best marker's trial, tick labels. */
function scatter(
  html: string,
  parameter: string,
): { axis: string; x: Map<number, number>; best: number[]; ticks: string[] } | undefined {
  const start = html.indexOf(`data-parameter="${parameter}"`);
  if (start < 0) return undefined;
  const svg = html.slice(start, html.indexOf('</svg>', start));
  const x = new Map<number, number>();
  for (const m of svg.matchAll(/<circle class="marker" data-trial="(\d+)" cx="([-\d.]+)"/g))
    x.set(Number(m[1]), Number(m[2]));
  // A star's first point is its top tip, straight above its centre.
  const best = [...svg.matchAll(/<polygon class="marker best" data-trial="(\d+)" points="([-\d.]+)/g)].map(
    (m) => {
      x.set(Number(m[1]), Number(m[2]));
      return Number(m[1]);
    },
  );
  const ticks = [...svg.matchAll(/<text class="tick"[^>]*>([^<]*)<\/text>/g)].map((m) => m[1] ?? '');
  return { axis: /data-axis="(\w+)"/.exec(svg)?.[1] ?? '', x, best, ticks };
}

const lrTrials = (lrs: (number | string)[], acc: number[]): SweepTrial[] =>
  lrs.map((lr, i) =>
    trial(i, { learning_rate: lr, seed: 1 }, { accuracy: acc[i] ?? 0, loss: 1 - (acc[i] ?? 0) }),
  );

describe('renderSweepReport: ranking', () => {
  const trials = [
    trial(0, { lr: 0.1 }, { accuracy: 0.9, loss: 0.3 }),
    trial(1, { lr: 0.2 }, { accuracy: 0.95, loss: 0.2 }),
    failed(2, { lr: 0.3 }),
    trial(3, { lr: 0.4 }, { accuracy: 0.8, loss: 0.5 }),
    trial(4, { lr: 0.5 }, {}, { state: 'cancelled' }),
    trial(5, { lr: 0.6 }, { accuracy: 0.95, loss: 0.1 }),
    trial(6, { lr: 0.7 }, { accuracy: Number.NaN, loss: 0.4 }),
  ];

  it('sorts best first for max, ties in trial order, trials without the metric last in trial order', () => {
    const { html, markdown } = renderSweepReport(sweep(trials));
    expect(tableRows(html).map((r) => r.index)).toEqual([1, 5, 0, 3, 2, 4, 6]);
    expect(tableRows(html).map((r) => r.rank)).toEqual(['1 ★', '1', '3', '4', '—', '—', '—']);
    const mdOrder = markdown
      .split('\n')
      .flatMap((l) => /^\| (?:\*\*)?[\d—]+(?:\*\*)?(?: ★)? \| (\d+) \|/.exec(l)?.[1] ?? []);
    expect(mdOrder.map(Number)).toEqual([1, 5, 0, 3, 2, 4, 6]);
  });

  it('sorts lowest first for min', () => {
    const { html } = renderSweepReport(sweep(trials, { metric: 'loss', goal: 'min' }));
    // Failed and cancelled trials carry no metric; the NaN-accuracy trial did report a loss.
    expect(tableRows(html).map((r) => r.index)).toEqual([5, 1, 0, 6, 3, 2, 4]);
    expect(html).toContain('(min: lower is better)');
    expect(rankTrials(sweep(trials, { metric: 'loss', goal: 'min' }))[0]?.best).toBe(true);
  });

  it('highlights exactly the best row and marks the best trial in every plot', () => {
    const input = sweep(trials);
    const { html, markdown } = renderSweepReport(input);
    expect(
      tableRows(html)
        .filter((r) => r.best)
        .map((r) => r.index),
    ).toEqual([1]);
    expect(html.match(/<tr class="best">/g)).toHaveLength(1);
    expect(scatter(html, 'lr')?.best).toEqual([1]);
    expect(markdown).toContain('| **1** ★ | 1 |');
    // Only succeeded trials with a finite metric get a marker: 0, 1, 3, 5.
    expect([...(scatter(html, 'lr')?.x.keys() ?? [])].sort()).toEqual([0, 1, 3, 5]);
    expect(html).toContain('Not shown: 3 trials without accuracy.');
    expect(html).not.toMatch(/NaN|Infinity/);
  });
});

describe('renderSweepReport: plots', () => {
  it('puts a parameter spanning 1e-4..1e-1 on a log axis: decades evenly spaced', () => {
    const { html } = renderSweepReport(sweep(lrTrials([1e-4, 1e-3, 1e-2, 1e-1], [0.6, 0.9, 0.97, 0.93])));
    const plot = scatter(html, 'learning_rate');
    expect(plot?.axis).toBe('log');
    expect(plot?.ticks).toEqual(expect.arrayContaining(['1e-4', '1e-3', '1e-2', '1e-1']));
    const xs = [0, 1, 2, 3].map((i) => plot?.x.get(i) ?? Number.NaN);
    const gaps = xs.slice(1).map((x, i) => x - (xs[i] ?? 0));
    for (const gap of gaps) expect(gap).toBeCloseTo(gaps[0] ?? 0, 0);
    expect(html).toContain('learning_rate (log scale)');
    // seed is the same in every trial: no plot for it.
    expect(scatter(html, 'seed')).toBeUndefined();
  });

  it('reads numeric strings as numbers and uses a linear axis for 2..20', () => {
    expect(axisFor(['1e-4', '1e-2', 0.1]).kind).toBe('log');
    const epochs = [2, 5, 10, 20].map((e, i) => trial(i, { num_epochs: e }, { accuracy: 0.5 + i / 10 }));
    const { html } = renderSweepReport(sweep(epochs));
    const plot = scatter(html, 'num_epochs');
    expect(plot?.axis).toBe('linear');
    const x = (i: number): number => plot?.x.get(i) ?? Number.NaN;
    expect((x(1) - x(0)) / (x(3) - x(0))).toBeCloseTo(3 / 18, 2);
  });

  it('lays out non-numeric values as evenly spaced categories in a stable order', () => {
    const opts = ['sgd', 'adam', 'rmsprop', 'adam'];
    const trials = opts.map((o, i) =>
      trial(i, { optimizer: o, amsgrad: i % 2 === 0 }, { accuracy: 0.9 + i / 100 }),
    );
    const { html, markdown } = renderSweepReport(sweep(trials));
    const plot = scatter(html, 'optimizer');
    expect(plot?.axis).toBe('categorical');
    const x = (i: number): number => plot?.x.get(i) ?? Number.NaN;
    // adam (trials 1, 3) < rmsprop (2) < sgd (0), one band apart.
    expect(x(1)).toBe(x(3));
    expect(x(2) - x(1)).toBeCloseTo(x(0) - x(2), 1);
    expect(x(2)).toBeGreaterThan(x(1));
    expect(scatter(html, 'amsgrad')?.axis).toBe('categorical');
    expect(markdown).toContain('| `adam` | 0.93 (#3, best), 0.91 (#1) |');
  });

  it('draws 100 trials without NaN coordinates and lists them all', () => {
    const trials = Array.from({ length: 100 }, (_, i) =>
      trial(
        i,
        { learning_rate: 10 ** -(1 + (i % 10) / 3), num_epochs: 1 + Math.floor(i / 10) },
        { accuracy: 0.5 + ((i * 37) % 50) / 100 },
      ),
    );
    const { html, markdown } = renderSweepReport(sweep(trials));
    expect(scatter(html, 'learning_rate')?.x.size).toBe(100);
    expect(scatter(html, 'num_epochs')?.x.size).toBe(100);
    expect(html).not.toMatch(/NaN|Infinity/);
    expect(tableRows(html)).toHaveLength(100);
    expect(markdown.split('\n').filter((l) => /\| `sw-trial-\d+` \|$/.test(l))).toHaveLength(100);
  });

  it('renders a single trial without a plot and says why', () => {
    const { html, markdown } = renderSweepReport(sweep([trial(0, { lr: 0.1 }, { accuracy: 0.9 })]));
    expect(html).not.toContain('<svg');
    expect(html).toContain('A single trial: nothing to compare, so nothing to plot.');
    expect(markdown).toContain('_A single trial: nothing to compare, so nothing to plot._');
    expect(html).toContain('1 trial: <span class="pill ok">1 succeeded</span>');
    expect(markdown).toContain('**1 trial:** 1 succeeded');
    // Two trials with the same parameters (a repeat): nothing is swept either.
    const twice = sweep([
      trial(0, { lr: 0.1 }, { accuracy: 0.9 }),
      trial(1, { lr: 0.1 }, { accuracy: 0.92 }),
    ]);
    expect(renderSweepReport(twice).html).toContain('No parameter differs between trials: nothing to plot.');
  });
});

describe('renderSweepReport: facts and edge cases', () => {
  it('shows the header, the image origin, the best trial and the promotion', () => {
    const input = sampleSweepInput();
    const { html, markdown } = renderSweepReport(input);
    for (const fact of [
      'sweep-penguins-20261126T143005Z',
      '4767884e1f0c2a9d6b3e8f7a1c2d3e4f5a6b7c8d',
      'sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
      'image reused from build b7d2c3e4-1111-4a2b-9c3d-5e6f7a8b9c0d',
      'gs://conveyor-local-conveyor/serving/penguins/20261126T150112Z',
      '20261126T150112Z',
      '0.9851',
    ]) {
      expect(html).toContain(fact);
      expect(markdown).toContain(fact);
    }
    expect(html).toContain(
      '<span class="pill ok">10 succeeded</span> <span class="pill bad">1 failed</span> <span class="pill other">1 cancelled</span>',
    );
    expect(html).toContain(`<a href="${input.webUiUrl}">Temporal Web UI</a>`);
    expect(markdown).toContain(`Temporal Web UI: <${input.webUiUrl}>`);
    const built = renderSweepReport(
      sampleSweepInput({
        image: { ...input.image, reused: false },
        promoted: undefined,
        notPromoted: 'best trial not blessed (accuracy 0.85 < 0.9)',
      }),
    );
    expect(built.html).toContain('built by build b7d2c3e4-1111-4a2b-9c3d-5e6f7a8b9c0d');
    expect(built.html).toContain('not promoted: best trial not blessed (accuracy 0.85 &lt; 0.9)');
    expect(built.markdown).toContain('**not promoted:** best trial not blessed (accuracy 0.85 &lt; 0.9)');
  });

  it('says no trial reported the metric when all failed, and draws nothing', () => {
    const input = sweep([
      failed(0, { lr: 0.1 }),
      failed(1, { lr: 0.2 }),
      trial(2, { lr: 0.3 }, {}, { state: 'cancelled' }),
    ]);
    const { html, markdown } = renderSweepReport(input);
    expect(html).not.toContain('<svg');
    expect(html).toContain('No trial reported accuracy: nothing to plot.');
    expect(html).toContain('No trial reported accuracy: nothing to promote.');
    expect(tableRows(html).map((r) => r.rank)).toEqual(['—', '—', '—']);
    expect(html).not.toContain('class="best"');
    expect(markdown).toContain('_No trial reported accuracy: nothing to plot._');
    expect(markdown).toContain('**not promoted:** no trial reported accuracy');
  });

  it('escapes hostile parameter names, values, errors and ids in HTML and Markdown', () => {
    const evil = '<img src=x onerror=alert(1)>';
    const trials = [
      trial(0, { [`p${evil}`]: `"'><script>alert(2)</script>`, lr: 0.1 }, { accuracy: 0.9, [`m${evil}`]: 1 }),
      trial(1, { [`p${evil}`]: 'a|b\n# heading', lr: 0.2 }, { accuracy: 0.8 }),
      failed(2, { [`p${evil}`]: 'x', lr: 0.3 }, `</td></tr><script>alert(3)</script> | broken\nrow`),
    ];
    const input = sweep(trials, {
      sweepId: `sw${evil}`,
      pipeline: `pipe${evil}`,
      webUiUrl: 'javascript:alert(4)',
    });
    const { html, markdown } = renderSweepReport(input);
    expect(html).not.toMatch(/<img|<script|javascript:/);
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain(`data-parameter="p&lt;img src=x onerror=alert(1)&gt;"`);
    expect(tableRows(html).map((r) => r.index)).toEqual([0, 1, 2]);
    const outsideCode = markdown.replace(/`[^`\n]*`/g, '');
    expect(outsideCode).not.toMatch(/<img|<script/);
    expect(markdown).not.toContain('javascript:');
    // A pipe or newline in a value or error must not split a table row.
    const header = markdown.split('\n').find((l) => l.startsWith('| rank |')) ?? '';
    const cells = (l: string): number => l.split(/(?<!\\)\|/).length;
    for (const row of markdown.split('\n').filter((l) => /\| `sw-trial-\d` \|$/.test(l)))
      expect(cells(row)).toBe(cells(header));
  });

  it('is deterministic: the same input gives the same bytes', () => {
    const a = renderSweepReport(sampleSweepInput());
    const b = renderSweepReport(structuredClone(sampleSweepInput()));
    expect(b.html).toBe(a.html);
    expect(b.markdown).toBe(a.markdown);
    expect(a.html).not.toMatch(/<script|<link|src="http|url\(/i);
  });
});
