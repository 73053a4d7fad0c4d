// Workflow entry point: everything exported here is registered with the worker as a workflow.
export { trainingRun } from './training-run.ts';
export { imageBuild } from './image-build.ts';
export { trainingSweep } from './training-sweep.ts';
