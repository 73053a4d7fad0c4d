// Typed builders for the KFP v2 container placeholders. The compiler renders them and checks that
// each names a declared input or output, so a typo fails at compile time instead of in the cluster.

/** A KFP v2 placeholder in a container's command or args, before rendering. */
export type Placeholder =
  | { readonly kind: 'inputParam'; readonly name: string }
  | { readonly kind: 'inputArtifactPath'; readonly name: string }
  | { readonly kind: 'inputArtifactUri'; readonly name: string }
  | { readonly kind: 'outputArtifactPath'; readonly name: string }
  | { readonly kind: 'outputArtifactUri'; readonly name: string }
  | { readonly kind: 'outputParamFile'; readonly name: string }
  | { readonly kind: 'executorOutputFile' }
  | { readonly kind: 'executorInput' };

/** One element of a container's command or args: a literal string or a placeholder. */
export type Arg = string | Placeholder;

/** `{{$.inputs.parameters['name']}}`: the value of input parameter `name`. */
export function inputParam(name: string): Placeholder {
  return { kind: 'inputParam', name };
}

/** `{{$.inputs.artifacts['name'].path}}`: the local path of input artifact `name`. */
export function inputArtifactPath(name: string): Placeholder {
  return { kind: 'inputArtifactPath', name };
}

/** `{{$.inputs.artifacts['name'].uri}}`: the URI (gs://…) of input artifact `name`. */
export function inputArtifactUri(name: string): Placeholder {
  return { kind: 'inputArtifactUri', name };
}

/** `{{$.outputs.artifacts['name'].path}}`: where to write output artifact `name`. */
export function outputArtifactPath(name: string): Placeholder {
  return { kind: 'outputArtifactPath', name };
}

/** `{{$.outputs.artifacts['name'].uri}}`: the URI of output artifact `name`. */
export function outputArtifactUri(name: string): Placeholder {
  return { kind: 'outputArtifactUri', name };
}

/** `{{$.outputs.parameters['name'].output_file}}`: the file whose content becomes output parameter `name`. */
export function outputParamFile(name: string): Placeholder {
  return { kind: 'outputParamFile', name };
}

/** `{{$.outputs.output_file}}`: where the component writes its executor output JSON. */
export function executorOutputFile(): Placeholder {
  return { kind: 'executorOutputFile' };
}

/** `{{$}}`: the whole executor input JSON. */
export function executorInput(): Placeholder {
  return { kind: 'executorInput' };
}

/** Renders a placeholder as the string KFP v2 backends substitute. */
export function renderPlaceholder(p: Placeholder): string {
  switch (p.kind) {
    case 'inputParam':
      return `{{$.inputs.parameters['${p.name}']}}`;
    case 'inputArtifactPath':
      return `{{$.inputs.artifacts['${p.name}'].path}}`;
    case 'inputArtifactUri':
      return `{{$.inputs.artifacts['${p.name}'].uri}}`;
    case 'outputArtifactPath':
      return `{{$.outputs.artifacts['${p.name}'].path}}`;
    case 'outputArtifactUri':
      return `{{$.outputs.artifacts['${p.name}'].uri}}`;
    case 'outputParamFile':
      return `{{$.outputs.parameters['${p.name}'].output_file}}`;
    case 'executorOutputFile':
      return '{{$.outputs.output_file}}';
    case 'executorInput':
      return '{{$}}';
  }
}

/** A placeholder reference found in a rendered string: which side, which kind, which name. */
export interface PlaceholderRef {
  /** `inputs.parameters`, `inputs.artifacts`, `outputs.parameters` or `outputs.artifacts`. */
  readonly section: 'inputs.parameters' | 'inputs.artifacts' | 'outputs.parameters' | 'outputs.artifacts';
  /** The name inside the brackets. */
  readonly name: string;
}

// `{{$.inputs.parameters['x']}}`, `{{$.outputs.artifacts['y'].path}}` and friends (single or double quotes).
const REF = /\{\{\$\.(inputs|outputs)\.(parameters|artifacts)\[['"]([^'"\]]+)['"]\][^}]*\}\}/g;

/** Every input/output reference inside a string, including ones written by hand instead of with the helpers. */
export function findPlaceholderRefs(text: string): PlaceholderRef[] {
  return [...text.matchAll(REF)].map((m) => ({
    section: `${m[1]}.${m[2]}` as PlaceholderRef['section'],
    name: m[3] ?? '',
  }));
}
