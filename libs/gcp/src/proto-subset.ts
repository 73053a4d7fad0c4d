// A gapic client loads its package's whole JSON descriptor at construction, twice (once into
// @grpc/proto-loader for the gRPC stub, once into protobufjs for long-running operations), whichever
// service it serves: for Vertex AI's PipelineService that is all 3,368 types of aiplatform v1, of which
// the service uses 106, about 40 MB of a worker's heap (bench/README.md, worker-rss). The constructor
// takes the google-gax instance to use as its second argument; the instance made here is google-gax
// itself, except that the package's descriptor it is handed is narrowed to one service's types first.
// Everything else (stubs, retries, auth, LRO decoding, the descriptor's own options) stays the library's.
import type * as Gax from 'google-gax';

/** A node of a protobufjs JSON descriptor (namespace, message, enum or service), as gapic clients ship them. */
export interface DescriptorNode {
  readonly nested?: Readonly<Record<string, DescriptorNode>>;
  readonly fields?: Readonly<
    Record<string, { readonly type: string; readonly id: number; readonly keyType?: string }>
  >;
  readonly methods?: Readonly<
    Record<
      string,
      {
        readonly requestType: string;
        readonly responseType: string;
        readonly options?: Readonly<Record<string, unknown>>;
      }
    >
  >;
  readonly values?: Readonly<Record<string, number>>;
  readonly [key: string]: unknown;
}

/** Error of a descriptor that names a type it does not define. */
export class DescriptorError extends Error {
  override readonly name = 'DescriptorError';
}

const scalarTypes = new Set([
  'double',
  'float',
  'int32',
  'int64',
  'uint32',
  'uint64',
  'sint32',
  'sint64',
  'fixed32',
  'fixed64',
  'sfixed32',
  'sfixed64',
  'bool',
  'string',
  'bytes',
]);
/** The method options naming what a long-running operation resolves to; the client decodes both. */
const operationInfoKeys = [
  '(google.longrunning.operation_info).response_type',
  '(google.longrunning.operation_info).metadata_type',
];

const parentOf = (name: string): string => name.slice(0, Math.max(name.lastIndexOf('.'), 0));

/**
 * The part of `root` one service needs: the service, every message and enum its requests, responses
 * and long-running operation results reach, field by field, and the namespaces around them (with
 * their options). A message is kept whole, so a kept nested type keeps its enclosing message.
 * @throws DescriptorError when the service or a type it reaches is not defined in `root`
 */
export function serviceDescriptor(root: DescriptorNode, service: string): DescriptorNode {
  const nodeAt = (name: string): DescriptorNode | undefined =>
    name.split('.').reduce<DescriptorNode | undefined>((node, part) => node?.nested?.[part], root);
  const isType = (node: DescriptorNode | undefined): boolean =>
    node?.fields !== undefined || node?.values !== undefined;
  // protobuf's scoping, as protobufjs resolves it: from the innermost scope outwards.
  const resolve = (name: string, scope: string): string => {
    if (name.startsWith('.')) {
      if (isType(nodeAt(name.slice(1)))) return name.slice(1);
    } else {
      for (let s = scope; ; s = parentOf(s)) {
        const candidate = s ? `${s}.${name}` : name;
        if (isType(nodeAt(candidate))) return candidate;
        if (!s) break;
      }
    }
    throw new DescriptorError(`${scope}: type ${name} is not in the descriptor`);
  };
  if (!nodeAt(service)?.methods) throw new DescriptorError(`service ${service} is not in the descriptor`);
  const keep = new Set<string>();
  const queue = [service];
  for (let name = queue.pop(); name !== undefined; name = queue.pop()) {
    if (keep.has(name)) continue;
    keep.add(name);
    const node = nodeAt(name) ?? {};
    if (isType(nodeAt(parentOf(name)))) queue.push(parentOf(name));
    for (const field of Object.values(node.fields ?? {})) {
      if (!scalarTypes.has(field.type)) queue.push(resolve(field.type, name));
    }
    for (const method of Object.values(node.methods ?? {})) {
      queue.push(resolve(method.requestType, name), resolve(method.responseType, name));
      for (const key of operationInfoKeys) {
        const type = method.options?.[key];
        if (typeof type === 'string') queue.push(resolve(type, name));
      }
    }
  }
  const out: { nested?: Record<string, DescriptorNode> } = {};
  for (const name of keep) {
    let source: DescriptorNode = root;
    let target = out;
    for (const part of name.split('.')) {
      source = source.nested?.[part] ?? {};
      target.nested ??= {};
      if (!target.nested[part]) {
        const { nested: _children, ...own } = source;
        target.nested[part] = own;
      }
      target = target.nested[part] as typeof target;
    }
  }
  return out;
}

/**
 * google-gax for one gapic client: `descriptor` (the object the client's package loads, by identity)
 * is narrowed to `service`'s types before it is loaded; any other descriptor passes unchanged.
 * Pass it as the client constructor's second argument (`gaxInstance`).
 */
export function gaxForService(gax: typeof Gax, descriptor: object, service: string): typeof Gax {
  let subset: DescriptorNode | undefined;
  const narrow = <T extends object>(json: T): T =>
    json === descriptor ? ((subset ??= serviceDescriptor(descriptor as DescriptorNode, service)) as T) : json;
  class GrpcClient extends gax.GrpcClient {
    override loadProtoJSON(json: Parameters<Gax.GrpcClient['loadProtoJSON']>[0], ignoreCache?: boolean) {
      return super.loadProtoJSON(narrow(json), ignoreCache);
    }
  }
  return {
    ...gax,
    GrpcClient,
    protobufFromJSON: (json: Parameters<typeof gax.protobufFromJSON>[0]) =>
      gax.protobufFromJSON(narrow(json)),
  };
}
