// Fuzz benchmark of the bridge's decoder: generated messages of every shape (the model of
// apps/bridge/src/fuzz.ts), each judged against an independent oracle. Prints JSON: inputs tried,
// crashes, wrong decisions, decisions by kind, a few failing examples. Exits 1 when anything failed.
//
//   npx node bench/src/fuzz.ts [--cases 200000] [--seed <n>]
//
// Needs no stack: the decoder is pure.
import { parseArgs } from 'node:util';
import { runFuzz } from './fuzz-run.ts';

const { values: args } = parseArgs({
  options: {
    cases: { type: 'string', default: '200000' },
    seed: { type: 'string', default: String(Date.now() % 2 ** 31) },
  },
});
const report = runFuzz({ cases: Number(args.cases), seed: Number(args.seed) });
console.log(JSON.stringify(report, null, 2));
if (report.crashes > 0 || report.wrongDecisions > 0) process.exitCode = 1;
