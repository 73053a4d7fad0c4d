import { describe, expect, it } from 'vitest';
import { sampleReportInput } from '../tests/sample.ts';
import { historyFromMetadata, parseHistoryJson, renderPlotSvg, renderReport } from './index.ts';

/** Each polyline's data-series and point count. */
function polylines(svg: string): { series: string; points: number }[] {
  return [...svg.matchAll(/<polyline[^>]*data-series="([^"]+)"[^>]*points="([^"]*)"/g)].map((m) => ({
    series: m[1] ?? '',
    points: (m[2] ?? '').trim().split(/\s+/).filter(Boolean).length,
  }));
}

describe('renderPlotSvg', () => {
  it('draws one polyline per series with one point per epoch, axes labels and a legend', () => {
    const input = sampleReportInput();
    const svg = renderPlotSvg(input.history) ?? '';
    expect(polylines(svg)).toEqual([
      { series: 'loss', points: 10 },
      { series: 'accuracy', points: 10 },
    ]);
    expect(svg).toContain('>epoch</text>');
    expect(svg).toContain('loss (cross-entropy)');
    expect(svg).toContain('>training loss</text>');
    expect(svg).toContain('>training accuracy</text>');
    // Loss falls, so its last point sits lower in the chart: a larger SVG y.
    const lossPoints = /data-series="loss"[^>]*points="([^"]*)"/.exec(svg)?.[1]?.split(' ') ?? [];
    const yOf = (p: string | undefined): number => Number(p?.split(',')[1]);
    expect(yOf(lossPoints.at(-1))).toBeGreaterThan(yOf(lossPoints[0]));
  });

  it('adds dashed validation series when the history has them', () => {
    const history = [1, 2, 3].map((epoch) => ({
      epoch,
      loss: 1 / epoch,
      accuracy: epoch / 4,
      valLoss: 1.1 / epoch,
      valAccuracy: epoch / 5,
    }));
    const svg = renderPlotSvg(history) ?? '';
    expect(polylines(svg).map((p) => `${p.series}:${p.points}`)).toEqual([
      'loss:3',
      'val_loss:3',
      'accuracy:3',
      'val_accuracy:3',
    ]);
    expect(svg).toContain('validation accuracy');
    expect(svg.match(/stroke-dasharray/g)?.length).toBeGreaterThanOrEqual(2);
  });

  it('handles a single epoch without NaN coordinates, and no history at all', () => {
    const svg = renderPlotSvg([{ epoch: 1, loss: 0.9, accuracy: 0.5 }]) ?? '';
    expect(polylines(svg)).toEqual([
      { series: 'loss', points: 1 },
      { series: 'accuracy', points: 1 },
    ]);
    expect(svg).not.toMatch(/NaN|Infinity/);
    expect(renderPlotSvg([])).toBeUndefined();
  });
});

describe('renderReport', () => {
  it('HTML is self-contained and shows parameters, lineage, metrics, timings and cost', () => {
    const { html } = renderReport(sampleReportInput());
    expect(html).not.toMatch(/<script|<link|src="http|url\(/i);
    expect(html).toContain('<svg');
    for (const fact of [
      'num_epochs',
      '0.01',
      '4767884e1f0c2a9d6b3e8f7a1c2d3e4f5a6b7c8d',
      'b7d2c3e4-1111-4a2b-9c3d-5e6f7a8b9c0d',
      'sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
      'sha256:3a7bd3e2360a3d29eea436fcfb7e44c735d117c42d1c1835420b6b9942dd4f1b',
      'penguins-17328446512345',
      'gs://conveyor-local-conveyor/serving/penguins/penguins-17328446512345',
      '0.9851',
      '24.3 s',
      '$0.0317',
      'http://127.0.0.1:8233/namespaces/default/workflows/penguins-17328446512345',
    ]) {
      expect(html).toContain(fact);
    }
    // Lineage in order: trigger → commit → build → image → spec → job → model.
    const order = [
      '>Trigger<',
      '>Commit<',
      '>Build<',
      '>Image<',
      '>Pipeline spec<',
      '>Pipeline job<',
      '>Model<',
    ].map((s) => html.indexOf(s));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it('escapes hostile labels and parameters in HTML and Markdown', () => {
    const evil = '<img src=x onerror=alert(1)>';
    const input = sampleReportInput({
      pipeline: 'penguins',
      parameters: { [`name${evil}`]: `"'><script>alert(2)</script>`, note: 'a|b\n# heading' },
      trigger: { kind: 'manual', id: evil, at: '2026-11-26T00:00:00Z' },
      tasks: [{ name: `</td>${evil}`, state: 'SUCCEEDED' }],
      metrics: { [`acc${evil}`]: 1 },
      webUiUrl: 'javascript:alert(3)',
    });
    const { html, markdown } = renderReport(input);
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('javascript:');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    // Inside code spans Markdown shows HTML as text; everywhere else it must arrive as entities.
    const outsideCode = markdown.replace(/`[^`\n]*`/g, '');
    expect(outsideCode).not.toContain('<img');
    expect(outsideCode).not.toContain('<script>');
    expect(markdown).not.toContain('javascript:');
    // A pipe or newline in a value must not split the table row.
    const noteRow = markdown.split('\n').find((l) => l.includes('`note`')) ?? '';
    expect(noteRow.split(/(?<!\\)\|/).length).toBe(4);
  });

  it('Markdown carries the same facts and the curves as a table', () => {
    const input = sampleReportInput();
    const { markdown } = renderReport(input);
    for (const fact of [
      '# penguins · penguins-17328446512345',
      '**pubsub**',
      '`num_epochs` | `10`',
      '`learning_rate` | `0.01`',
      '`4767884e1f0c2a9d6b3e8f7a1c2d3e4f5a6b7c8d`',
      '`sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08`',
      '`sha256:3a7bd3e2360a3d29eea436fcfb7e44c735d117c42d1c1835420b6b9942dd4f1b`',
      '`projects/conveyor-local/locations/us-central1/pipelineJobs/penguins-17328446512345`',
      '`gs://conveyor-local-conveyor/serving/penguins/penguins-17328446512345`',
      '| accuracy | 0.9851 |',
      '| building | 24.3 s |',
      '$0.0317',
      '<http://127.0.0.1:8233/namespaces/default/workflows/penguins-17328446512345>',
    ]) {
      expect(markdown).toContain(fact);
    }
    const curveRows = markdown.split('\n').filter((l) => /^\| \d+ \| [\d.]+ \| [\d.]+ \|$/.test(l));
    expect(curveRows).toHaveLength(input.history.length);
    expect(curveRows[0]).toBe('| 1 | 1.041 | 0.4586 |');
  });

  it('says so when a model was not pushed or no history exists', () => {
    const { html, markdown } = renderReport(
      sampleReportInput({ modelUri: undefined, blessed: false, history: [] }),
    );
    expect(html).toContain('not pushed (not blessed)');
    expect(html).toContain('recorded no per-epoch history');
    expect(markdown).toContain('not pushed (not blessed)');
    const trial = renderReport(
      sampleReportInput({ modelUri: undefined, trigger: { kind: 'sweep', id: 's1', at: 'now' } }),
    );
    expect(trial.markdown).toContain('a sweep trial: the sweep promotes its best');
  });

  it('says when the image was reused from an earlier build', () => {
    const { html, markdown } = renderReport(
      sampleReportInput({ build: { id: 'build-7', logUrl: 'https://log/7', reused: true } }),
    );
    expect(html).toContain('image reused from build build-7');
    expect(markdown).toContain('image reused from build build-7');
  });
});

describe('history readers', () => {
  it('reads the trainer metadata arrays and history.json', () => {
    expect(historyFromMetadata({ loss: [0.9, 0.5], accuracy: [0.6, 0.8], final_loss: 0.5 })).toEqual([
      { epoch: 1, loss: 0.9, accuracy: 0.6, valLoss: undefined, valAccuracy: undefined },
      { epoch: 2, loss: 0.5, accuracy: 0.8, valLoss: undefined, valAccuracy: undefined },
    ]);
    expect(historyFromMetadata({ framework: 'tfjs' })).toEqual([]);
    const json = JSON.stringify([
      { epoch: 1, loss: 0.9, accuracy: 0.6 },
      { epoch: 2, loss: 0.5, accuracy: 0.8, val_loss: 0.6 },
      { epoch: 3, note: 'broken' },
    ]);
    expect(parseHistoryJson(json)).toEqual([
      { epoch: 1, loss: 0.9, accuracy: 0.6, valLoss: undefined, valAccuracy: undefined },
      { epoch: 2, loss: 0.5, accuracy: 0.8, valLoss: 0.6, valAccuracy: undefined },
    ]);
  });
});
