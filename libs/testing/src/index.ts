export { uniqueName } from './names.ts';
export type { StackInfo } from './stack-info.ts';
export { timeSkippingEnvironment } from './time-skipping.ts';
export { parsePrometheus, family, type PrometheusFamily, type PrometheusSample } from './prometheus.ts';
export { startOtlpReceiver, spansOf, type OtlpReceiver, type ReceivedSpan } from './otlp-receiver.ts';
export { createRepos, git, gitRun, runProgram, type Ran, type Repos } from './git.ts';
export { freePort, freePorts } from '@conveyor/stack';
