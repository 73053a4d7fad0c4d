/**
 * `runtimeConfig.inputArtifacts`: a pipeline's input artifacts, each named by the id of an artifact in
 * the metadata store (here: one a task produced or imported, or one created through the
 * MetadataService). Checked at submission, as Vertex does.
 */
import { invalidArgument } from './errors.ts';
import type { ArtifactRecord } from './job-model.ts';
import type { PipelineSpec } from './spec-types.ts';

/** `map<string, InputArtifact>` as proto-loader hands it over. */
export type InputArtifacts = Record<string, { artifactId?: string | null } | null>;

/**
 * @param lookup finds an artifact by id in the job's location
 * @throws RpcError INVALID_ARGUMENT naming an undeclared input, an unknown id, a wrong type or a missing required artifact
 */
export function resolveInputArtifacts(
  spec: PipelineSpec,
  given: InputArtifacts | null | undefined,
  lookup: (id: string) => ArtifactRecord | undefined,
): Record<string, ArtifactRecord[]> {
  const declared = spec.root.inputArtifacts;
  const out: Record<string, ArtifactRecord[]> = {};
  for (const [name, value] of Object.entries(given ?? {})) {
    const def = declared[name];
    if (!def) {
      const known = Object.keys(declared).join(', ') || 'none';
      throw invalidArgument(
        `The pipeline input artifact "${name}" is not declared by the pipeline (declared: ${known}).`,
      );
    }
    const id = value?.artifactId ?? '';
    const artifact = id ? lookup(id) : undefined;
    if (!artifact) {
      throw invalidArgument(
        `runtimeConfig.inputArtifacts["${name}"]: no artifact with id ${JSON.stringify(id)} in this location's metadata store.`,
      );
    }
    if (artifact.schemaTitle !== def.schemaTitle && def.schemaTitle !== 'system.Artifact') {
      throw invalidArgument(
        `runtimeConfig.inputArtifacts["${name}"]: artifact ${id} is a ${artifact.schemaTitle}, the pipeline declares ${def.schemaTitle}.`,
      );
    }
    out[name] = [artifact];
  }
  for (const def of Object.values(declared)) {
    if (!(def.name in out) && !def.isOptional) {
      throw invalidArgument(
        `The pipeline input artifact "${def.name}" (${def.schemaTitle}) is required but none was given.`,
      );
    }
  }
  return out;
}
