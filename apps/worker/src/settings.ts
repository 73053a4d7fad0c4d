// The worker's start-time check of CONVEYOR_PIPELINE_SETTINGS against the pipelines it serves.
import { allowedUriPrefixes, type PipelineCatalog } from '@conveyor/activities';
import { ConfigError, type ConfigIssue } from '@conveyor/platform';
import type { WorkerConfig } from './config.ts';

const VARIABLE = 'CONVEYOR_PIPELINE_SETTINGS';

function issuesOf(e: unknown): { parameter: string; message: string }[] | undefined {
  if (e && typeof e === 'object' && 'issues' in e && Array.isArray(e.issues)) {
    return e.issues as { parameter: string; message: string }[];
  }
  return undefined;
}

/**
 * Checks every operator setting the way runs will use it: the pipeline is served, the parameter is
 * declared, the value has its type and bounds, and URIs are in the allowed buckets. The defaults of
 * settings the operator left unset are not judged here: a run that needs one fails naming it.
 * @throws ConfigError naming CONVEYOR_PIPELINE_SETTINGS with one issue per bad setting.
 */
export function checkPipelineSettings(config: WorkerConfig, catalog: PipelineCatalog): void {
  const problems: ConfigIssue[] = [];
  const allowed = allowedUriPrefixes(config);
  for (const [pipeline, settings] of Object.entries(config.pipelineSettings)) {
    if (!catalog.has(pipeline)) {
      problems.push({ variable: VARIABLE, message: `${pipeline}: not a pipeline this worker serves` });
      continue;
    }
    try {
      catalog.typeParameters(pipeline, {}, { settings, allowedUriPrefixes: allowed });
    } catch (e: unknown) {
      const issues = issuesOf(e);
      if (!issues) throw e;
      for (const i of issues) {
        if (Object.hasOwn(settings, i.parameter))
          problems.push({ variable: VARIABLE, message: `${pipeline}: ${i.parameter}: ${i.message}` });
      }
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
}
