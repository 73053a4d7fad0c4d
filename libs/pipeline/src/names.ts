// Name rules shared by components, pipelines, tasks and groups.

/** kebab-case: component, pipeline, task and group names (they become spec keys and task names). */
export const NAME = /^[a-z]([a-z0-9-]*[a-z0-9])?$/;
