import { createRequire } from 'node:module';
import type * as Gax from 'google-gax';
import { describe, expect, it } from 'vitest';
import { DescriptorError, gaxForService, serviceDescriptor, type DescriptorNode } from './proto-subset.ts';

const require = createRequire(import.meta.url);
const gax = require('google-gax') as typeof Gax;
const { protobuf } = gax;
const aiplatform = require('@google-cloud/aiplatform/build/protos/protos.json') as DescriptorNode;
const PIPELINE_SERVICE = 'google.cloud.aiplatform.v1.PipelineService';

/** Full names of every message and enum under `ns`. */
function typeNames(ns: Gax.protobuf.NamespaceBase): string[] {
  return ns.nestedArray.flatMap((n) => [
    ...(n instanceof protobuf.Type || n instanceof protobuf.Enum ? [n.fullName] : []),
    ...(n instanceof protobuf.Namespace || n instanceof protobuf.Type ? typeNames(n) : []),
  ]);
}

/** What protobufjs itself reaches from the service over the full descriptor: the oracle. */
function reachedByProtobufjs(service: string): Set<string> {
  const root = protobuf.Root.fromJSON(aiplatform);
  root.resolveAll();
  const seen = new Set<string>();
  const visit = (t: Gax.protobuf.ReflectionObject | null): void => {
    if (!t || seen.has(t.fullName)) return;
    seen.add(t.fullName);
    if (t instanceof protobuf.Type) for (const f of t.fieldsArray) visit(f.resolve().resolvedType);
  };
  for (const m of root.lookupService(service).methodsArray) {
    m.resolve();
    visit(m.resolvedRequestType);
    visit(m.resolvedResponseType);
    for (const key of ['response_type', 'metadata_type']) {
      const name = (m.options?.[`(google.longrunning.operation_info).${key}`] ?? '') as string;
      if (name) visit(root.lookupService(service).lookupTypeOrEnum(name));
    }
  }
  return seen;
}

describe('serviceDescriptor', () => {
  it('keeps every type the PipelineService reaches and little else; protobufjs resolves it all', () => {
    const subset = protobuf.Root.fromJSON(serviceDescriptor(aiplatform, PIPELINE_SERVICE));
    subset.resolveAll(); // throws on any type a kept field names but the subset lacks
    const kept = new Set(typeNames(subset));
    for (const name of reachedByProtobufjs(PIPELINE_SERVICE)) expect(kept, name).toContain(name);
    const full = typeNames(protobuf.Root.fromJSON(aiplatform));
    // 106 of 3,368 with @google-cloud/aiplatform 7.4: the point of the subset.
    expect(kept.size).toBeLessThan(full.length / 10);
    const service = subset.lookupService(PIPELINE_SERVICE);
    expect(service.methodsArray.map((m) => m.name)).toEqual(
      protobuf.Root.fromJSON(aiplatform)
        .lookupService(PIPELINE_SERVICE)
        .methodsArray.map((m) => m.name),
    );
    // What the client looks up for its long-running operations.
    expect(
      subset.lookup('.google.cloud.aiplatform.v1.BatchCancelPipelineJobsOperationMetadata'),
    ).not.toBeNull();
    expect(subset.lookup('.google.protobuf.Empty')).not.toBeNull();
  });

  it('resolves names from the innermost scope outwards, as protobuf does', () => {
    const root: DescriptorNode = {
      nested: {
        a: {
          nested: {
            S: { methods: { Get: { requestType: 'Req', responseType: '.a.Res' } } },
            Req: { fields: { inner: { type: 'Thing', id: 1 } }, nested: { Thing: { values: { X: 0 } } } },
            Thing: { fields: { unused: { type: 'string', id: 1 } } },
            Res: { fields: { outer: { type: 'Thing', id: 1 } } },
            Unused: { fields: {} },
          },
        },
      },
    };
    const subset = serviceDescriptor(root, 'a.S');
    expect(Object.keys(subset.nested?.['a']?.nested ?? {}).sort()).toEqual(['Req', 'Res', 'S', 'Thing']);
    expect(subset.nested?.['a']?.nested?.['Req']?.nested?.['Thing']).toEqual({ values: { X: 0 } });
  });

  it('names a type the descriptor lacks, and a missing service', () => {
    const root: DescriptorNode = {
      nested: {
        S: { methods: { Get: { requestType: 'Req', responseType: 'Req' } } },
        Req: { fields: { x: { type: 'Gone', id: 1 } } },
      },
    };
    expect(() => serviceDescriptor(root, 'S')).toThrow(
      new DescriptorError('Req: type Gone is not in the descriptor'),
    );
    expect(() => serviceDescriptor(root, 'Nope')).toThrow(/service Nope is not in the descriptor/);
  });
});

describe('gaxForService', () => {
  it('narrows only the descriptor it was given, for both loaders', () => {
    const narrowed = gaxForService(gax, aiplatform, PIPELINE_SERVICE);
    const grpc = new narrowed.GrpcClient({});
    const v1 = (
      grpc.loadProtoJSON(aiplatform as never) as unknown as {
        google: { cloud: { aiplatform: { v1: object } } };
      }
    ).google.cloud.aiplatform.v1;
    expect(Object.keys(v1).length).toBeLessThan(200);
    expect(v1).toHaveProperty('PipelineService');
    expect(v1).not.toHaveProperty('DatasetService');
    expect(
      narrowed.protobufFromJSON(aiplatform as never).lookup('google.cloud.aiplatform.v1.Dataset'),
    ).toBeNull();
    const other = { nested: { x: { nested: { Other: { fields: {} } } } } };
    expect(narrowed.protobufFromJSON(other).lookup('x.Other')).not.toBeNull();
  });
});
