export {
  commaSeparated,
  parseEnv,
  ConfigError,
  temporalEnvShape,
  withTemporalEnv,
  type ConfigIssue,
} from './config.ts';
export { createLogger, type LoggerOptions, type PinoLogger } from './logger.ts';
export {
  temporalConfigFromEnv,
  temporalConnectionOptions,
  workflowUiUrl,
  type TemporalConfig,
} from './temporal.ts';
export { temporalLoggerFrom } from './temporal-logger.ts';
export { startTrainingRun, type StartTrainingRunOptions } from './start-run.ts';
