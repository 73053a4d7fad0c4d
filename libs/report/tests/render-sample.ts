// Writes a sample report to look at: npx node libs/report/tests/render-sample.ts [--sweep] /tmp/r
// → /tmp/r.html and /tmp/r.md (open the HTML in a browser, or screenshot it with headless Chromium).
// Without --sweep it is a finished training run; with it, a 12-trial hyperparameter sweep.
import { writeFileSync } from 'node:fs';
import { renderReport, renderSweepReport } from '../src/index.ts';
import { sampleReportInput } from './sample.ts';
import { sampleSweepInput } from './sweep-sample.ts';

const sweep = process.argv.includes('--sweep');
const base = process.argv.slice(2).find((a) => a !== '--sweep') ?? (sweep ? 'sweep-sample' : 'report-sample');
const report = sweep
  ? renderSweepReport(sampleSweepInput())
  : renderReport(sampleReportInput({ generatedAt: new Date().toISOString() }));
writeFileSync(`${base}.html`, report.html);
writeFileSync(`${base}.md`, report.markdown);
console.log(`wrote ${base}.html and ${base}.md`);
