/**
 * `--executor_input <json>`: the KFP v2 ExecutorInput (`{{$}}`) as an alternative to one flag per
 * input and output. Each entry becomes the flag of the same name: input parameters by value,
 * artifacts by their URI as a local path (gs:// → the mount, as KFP's `.path`), output parameters
 * by their `outputFile`, and `outputs.outputFile` as `--executor_output`. Flags given explicitly
 * win over the executor input, so a pipeline may pass both.
 */
import { toLocalPath } from '../io/gcs-path.ts';
import { UsageError } from './flags.ts';

const FLAG = 'executor_input';

interface ArtifactList {
  readonly artifacts?: readonly { readonly uri?: string }[];
}
interface ExecutorInput {
  readonly inputs?: {
    readonly parameterValues?: Readonly<Record<string, unknown>>;
    readonly artifacts?: Readonly<Record<string, ArtifactList>>;
  };
  readonly outputs?: {
    readonly parameters?: Readonly<Record<string, { readonly outputFile?: string }>>;
    readonly artifacts?: Readonly<Record<string, ArtifactList>>;
    readonly outputFile?: string;
  };
}

function flagValues(input: ExecutorInput, mount: string): Map<string, string> {
  const out = new Map<string, string>();
  const artifactPath = (name: string, list: ArtifactList): string => {
    const uri = list.artifacts?.[0]?.uri;
    if (typeof uri !== 'string' || uri === '')
      throw new UsageError(`--${FLAG}: artifact '${name}' has no uri`, FLAG);
    return toLocalPath(uri, mount);
  };
  for (const [name, value] of Object.entries(input.inputs?.parameterValues ?? {})) {
    if (!['string', 'number', 'boolean'].includes(typeof value)) {
      throw new UsageError(`--${FLAG}: parameter '${name}' must be a string, number or boolean`, FLAG);
    }
    out.set(name, String(value));
  }
  for (const [name, list] of Object.entries(input.inputs?.artifacts ?? {}))
    out.set(name, artifactPath(name, list));
  for (const [name, list] of Object.entries(input.outputs?.artifacts ?? {}))
    out.set(name, artifactPath(name, list));
  for (const [name, p] of Object.entries(input.outputs?.parameters ?? {})) {
    if (typeof p.outputFile !== 'string')
      throw new UsageError(`--${FLAG}: output parameter '${name}' has no outputFile`, FLAG);
    out.set(name, p.outputFile);
  }
  if (typeof input.outputs?.outputFile === 'string') out.set('executor_output', input.outputs.outputFile);
  return out;
}

/**
 * Replaces `--executor_input <json>` in `argv` by the flags it stands for (those not given
 * explicitly). Returns `argv` unchanged when the flag is absent.
 * @throws UsageError when the JSON is malformed or an entry lacks its uri/outputFile.
 */
export function expandExecutorInput(argv: readonly string[], mount: string): string[] {
  const rest: string[] = [];
  let json: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i] ?? '';
    if (token === `--${FLAG}`) {
      json = argv[i + 1];
      if (json === undefined) throw new UsageError(`flag --${FLAG} needs a value`, FLAG);
      i++;
    } else if (token.startsWith(`--${FLAG}=`)) {
      json = token.slice(FLAG.length + 3);
    } else {
      rest.push(token);
    }
  }
  if (json === undefined) return rest;
  let input: ExecutorInput;
  try {
    input = JSON.parse(json) as ExecutorInput;
  } catch (e: unknown) {
    throw new UsageError(
      `flag --${FLAG} is not valid JSON: ${e instanceof Error ? e.message : String(e)}`,
      FLAG,
    );
  }
  if (typeof input !== 'object' || input === null)
    throw new UsageError(`flag --${FLAG} must be a JSON object`, FLAG);
  const explicit = new Set(rest.filter((t) => t.startsWith('--')).map((t) => t.slice(2).split('=')[0]));
  const added: string[] = [];
  for (const [name, value] of flagValues(input, mount)) {
    if (!explicit.has(name)) added.push(`--${name}`, value);
  }
  return [...added, ...rest];
}
