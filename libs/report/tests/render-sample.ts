// Writes the sample report to look at: npx node libs/report/tests/render-sample.ts /tmp/r
// → /tmp/r.html and /tmp/r.md (open the HTML in a browser, or screenshot it with headless Chromium).
import { writeFileSync } from 'node:fs';
import { renderReport } from '../src/index.ts';
import { sampleReportInput } from './sample.ts';

const base = process.argv[2] ?? 'report-sample';
const report = renderReport(sampleReportInput({ generatedAt: new Date().toISOString() }));
writeFileSync(`${base}.html`, report.html);
writeFileSync(`${base}.md`, report.markdown);
console.log(`wrote ${base}.html and ${base}.md`);
