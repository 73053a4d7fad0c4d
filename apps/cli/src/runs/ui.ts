// Web UI links for runs: the local stack's UI, Temporal Cloud's, or TEMPORAL_UI_URL when set.
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { workflowUiUrl } from '@conveyor/platform';
import { stackConfigFromEnv } from '@conveyor/stack';
import type { TriggerEnv } from '../schedule/clients.ts';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');

/** The Web UI URL of a run. */
export function runUiUrl(env: TriggerEnv, workflowId: string): string {
  const explicit = process.env['TEMPORAL_UI_URL'];
  let base: string;
  if (explicit) base = explicit;
  else if (env.TEMPORAL_ADDRESS.includes('tmprl.cloud')) base = 'https://cloud.temporal.io';
  else {
    const config = stackConfigFromEnv(process.env, repoRoot);
    base = `http://${config.host}:${config.ports.temporalUi}`;
  }
  return workflowUiUrl(base, env.TEMPORAL_NAMESPACE, workflowId);
}
