export {
  commaSeparated,
  parseEnv,
  ConfigError,
  temporalEnvShape,
  withTemporalEnv,
  otelEnvShape,
  tracingConfigFromEnv,
  pipelineSettingsEnv,
  defaultPipelineRoot,
  type ConfigIssue,
  type PipelineSettings,
} from './config.ts';
export { createLogger, cloudLoggingSeverity, type LoggerOptions, type PinoLogger } from './logger.ts';
export {
  temporalConfigFromEnv,
  temporalConnectionOptions,
  workflowUiUrl,
  webUiBaseUrl,
  type TemporalConfig,
} from './temporal.ts';
export { temporalLoggerFrom, type TemporalLoggerOptions } from './temporal-logger.ts';
export { startTrainingRun, startTrainingSweep, type StartTrainingRunOptions } from './start-run.ts';
export { imageWorkflowClient } from './image-workflows.ts';
export { githubSignature, verifyGithubSignature } from './github-signature.ts';
