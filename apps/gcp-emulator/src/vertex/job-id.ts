/** Pipeline job ids and resource names, validated the way Vertex does. */
import { randomInt } from 'node:crypto';
import { invalidArgument } from './errors.ts';

/** Vertex: `[a-z0-9-]`, first character a letter, at most 128 characters. */
const JOB_ID = /^[a-z][a-z0-9-]{0,127}$/;

/** @throws RpcError INVALID_ARGUMENT naming the id and the rule it breaks. */
export function validateJobId(id: string): void {
  if (!JOB_ID.test(id)) {
    throw invalidArgument(
      `Invalid pipelineJobId "${id}": it must be 1-128 characters of [a-z0-9-] and start with a lowercase letter.`,
    );
  }
}

/** A server-generated id, numeric like Vertex's (19 digits, never starting with 0). */
export function generateJobId(): string {
  let id = String(randomInt(1, 10));
  for (let i = 0; i < 18; i++) id += String(randomInt(0, 10));
  return id;
}

/** The parts of `projects/{p}/locations/{l}`. @throws RpcError INVALID_ARGUMENT */
export function parseParent(parent: string): { project: string; location: string } {
  const m = /^projects\/([^/]+)\/locations\/([^/]+)$/.exec(parent);
  if (!m?.[1] || !m[2])
    throw invalidArgument(`Invalid parent "${parent}": expected projects/{project}/locations/{location}.`);
  return { project: m[1], location: m[2] };
}

/** The parts of `projects/{p}/locations/{l}/pipelineJobs/{id}`. @throws RpcError INVALID_ARGUMENT */
export function parseJobName(name: string): { project: string; location: string; jobId: string } {
  const m = /^projects\/([^/]+)\/locations\/([^/]+)\/pipelineJobs\/([^/]+)$/.exec(name);
  if (!m?.[1] || !m[2] || !m[3]) {
    throw invalidArgument(
      `Invalid PipelineJob name "${name}": expected projects/{p}/locations/{l}/pipelineJobs/{id}.`,
    );
  }
  return { project: m[1], location: m[2], jobId: m[3] };
}
