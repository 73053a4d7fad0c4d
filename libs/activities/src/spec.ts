import { log } from '@temporalio/activity';
import { createHash } from 'node:crypto';
import { translating } from './failures.ts';
import type { ActivityDeps } from './types.ts';

/** A compiled spec: exact bytes and their sha256. */
export interface CompiledSpec {
  readonly json: string;
  readonly sha256: string;
}

/** Where Conveyor stores a spec: content-addressed under the pipeline root. */
export function specUriFor(pipelineRoot: string, sha256: string): string {
  return `${pipelineRoot.replace(/\/$/, '')}/specs/${sha256}.json`;
}

/** Spec activities: compile for a digest-pinned image, upload content-addressed. */
export function createSpecActivities(deps: ActivityDeps) {
  return {
    /** Compiles the registered pipeline with its image pinned by digest (`uri@sha256:…`). */
    async compileSpec(input: { pipeline: string; imageUri: string; digest: string }): Promise<CompiledSpec> {
      return translating(async () => {
        const base = input.imageUri.replace(/:[^/:@]+$/, '');
        const image = input.digest ? `${base}@${input.digest}` : input.imageUri;
        const compiled = deps.catalog.compile(input.pipeline, image);
        return { json: compiled.json, sha256: compiled.sha256 };
      });
    },

    /**
     * Uploads the spec as `<root>/specs/<sha256>.json` with `ifGenerationMatch: 0`: the name is
     * the content, so "already there" (412) is success and a retry never overwrites anything.
     */
    async uploadSpec(spec: CompiledSpec): Promise<{ uri: string; sha256: string }> {
      return translating(async () => {
        const actual = createHash('sha256').update(spec.json).digest('hex');
        if (actual !== spec.sha256)
          throw new Error(`spec sha256 mismatch: got ${actual}, expected ${spec.sha256}`);
        const uri = specUriFor(deps.settings.pipelineRoot, spec.sha256);
        const created = await deps.store.writeIfAbsent(uri, spec.json, 'application/json');
        log.info(created ? 'spec uploaded' : 'spec already present', { uri });
        return { uri, sha256: spec.sha256 };
      });
    },
  };
}
