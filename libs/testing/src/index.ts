export { uniqueName } from './names.ts';
export type { StackInfo } from './stack-info.ts';
export { timeSkippingEnvironment } from './time-skipping.ts';
