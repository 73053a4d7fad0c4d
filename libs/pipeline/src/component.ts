// Components: a container (image, command, args) with typed input/output parameters and artifacts.
import { PipelineDefinitionError } from './errors.ts';
import { NAME } from './names.ts';
import type { Arg } from './placeholders.ts';
import type { ArtifactDecls, ParameterDecls } from './types.ts';

/** Container resources (Kubernetes quantities, e.g. cpu "2", memory "4G"). */
export interface ContainerResources {
  /** `resourceCpuLimit`, e.g. "2" or "500m". */
  readonly cpuLimit?: string;
  /** `resourceMemoryLimit`, e.g. "4G". */
  readonly memoryLimit?: string;
  /** `resourceCpuRequest`. */
  readonly cpuRequest?: string;
  /** `resourceMemoryRequest`. */
  readonly memoryRequest?: string;
}

/** What `defineComponent` takes. Generic over the declared names so tasks are checked by TypeScript too. */
export interface ComponentOptions<
  IP extends ParameterDecls = ParameterDecls,
  IA extends ArtifactDecls = ArtifactDecls,
  OP extends ParameterDecls = ParameterDecls,
  OA extends ArtifactDecls = ArtifactDecls,
> {
  /** kebab-case name; the spec calls it `comp-<name>` and its executor `exec-<name>`. */
  readonly name: string;
  /** Container image; when absent the compile-time image (`compilePipeline(…, {image})`) is used. */
  readonly image?: string;
  /** The container command; may hold placeholders. */
  readonly command: readonly Arg[];
  /** The container args; may hold placeholders. @default [] */
  readonly args?: readonly Arg[];
  /** Environment variables of the container. */
  readonly env?: Readonly<Record<string, string>>;
  /** Container resources. */
  readonly resources?: ContainerResources;
  /** Inputs: parameter and artifact names must not overlap (a task passes both by name). */
  readonly inputs?: { readonly parameters?: IP; readonly artifacts?: IA };
  /** Outputs. */
  readonly outputs?: { readonly parameters?: OP; readonly artifacts?: OA };
  /** Descriptions of inputs/outputs by name, copied into the spec. */
  readonly descriptions?: Readonly<Record<string, string>>;
}

/** A defined component. Use it in a pipeline with `builder.task(name, component, inputs)`. */
export interface Component<
  IP extends ParameterDecls = ParameterDecls,
  IA extends ArtifactDecls = ArtifactDecls,
  OP extends ParameterDecls = ParameterDecls,
  OA extends ArtifactDecls = ArtifactDecls,
> {
  readonly name: string;
  readonly image: string | undefined;
  readonly command: readonly Arg[];
  readonly args: readonly Arg[];
  readonly env: Readonly<Record<string, string>>;
  readonly resources: ContainerResources | undefined;
  readonly inputParameters: IP;
  readonly inputArtifacts: IA;
  readonly outputParameters: OP;
  readonly outputArtifacts: OA;
  readonly descriptions: Readonly<Record<string, string>>;
}

const IO_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Defines a component.
 * @throws PipelineDefinitionError for a bad name, overlapping input/output names or a TASK_FINAL_STATUS output.
 */
export function defineComponent<
  IP extends ParameterDecls = Record<never, never>,
  IA extends ArtifactDecls = Record<never, never>,
  OP extends ParameterDecls = Record<never, never>,
  OA extends ArtifactDecls = Record<never, never>,
>(options: ComponentOptions<IP, IA, OP, OA>): Component<IP, IA, OP, OA> {
  if (!NAME.test(options.name)) {
    throw new PipelineDefinitionError(`component name '${options.name}' must be kebab-case ([a-z0-9-])`);
  }
  const inputParameters = options.inputs?.parameters ?? ({} as IP);
  const inputArtifacts = options.inputs?.artifacts ?? ({} as IA);
  const outputParameters = options.outputs?.parameters ?? ({} as OP);
  const outputArtifacts = options.outputs?.artifacts ?? ({} as OA);
  for (const [name, type] of Object.entries(outputParameters)) {
    if (type === 'TASK_FINAL_STATUS') {
      throw new PipelineDefinitionError(
        `component '${options.name}': output '${name}' cannot be TASK_FINAL_STATUS (an input of exit tasks only)`,
      );
    }
  }
  for (const [side, a, b] of [
    ['inputs', inputParameters, inputArtifacts],
    ['outputs', outputParameters, outputArtifacts],
  ] as const) {
    for (const name of [...Object.keys(a), ...Object.keys(b)]) {
      if (!IO_NAME.test(name)) {
        throw new PipelineDefinitionError(
          `component '${options.name}': ${side} name '${name}' must match ${IO_NAME}`,
        );
      }
      if (name in a && name in b) {
        throw new PipelineDefinitionError(
          `component '${options.name}': '${name}' is declared as both a parameter and an artifact in its ${side}`,
        );
      }
    }
  }
  return {
    name: options.name,
    image: options.image,
    command: options.command,
    args: options.args ?? [],
    env: options.env ?? {},
    resources: options.resources,
    inputParameters,
    inputArtifacts,
    outputParameters,
    outputArtifacts,
    descriptions: options.descriptions ?? {},
  };
}
