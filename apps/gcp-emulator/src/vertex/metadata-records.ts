/**
 * What Vertex keeps in its ML Metadata store and the emulator needs: the artifacts tasks produced or
 * imported (so `runtimeConfig.inputArtifacts` can name them by id), and the cache of successful
 * executions (`cachingOptions.enableCache`). Both persist through the StateStore.
 */
import { createHash } from 'node:crypto';
import type { StateStore } from '../context.ts';
import type { ArtifactRecord } from './job-model.ts';
import { isObject, type Json } from './struct.ts';

const ARTIFACTS_KEY = 'vertex-artifacts';
const CACHE_KEY = 'vertex-execution-cache';

/** A JSON map kept in the StateStore under one key (saved after every change). */
class PersistedMap<T> {
  private readonly state: StateStore;
  private readonly key: string;
  private readonly entries: Record<string, T>;

  constructor(state: StateStore, key: string) {
    this.state = state;
    this.key = key;
    this.entries = state.load<Record<string, T>>(key) ?? {};
  }

  get(id: string): T | undefined {
    return this.entries[id];
  }

  set(pairs: [string, T][]): void {
    for (const [id, value] of pairs) this.entries[id] = value;
    this.state.save(this.key, this.entries);
  }
}

/** Artifacts by location and id (the last segment of `…/metadataStores/default/artifacts/<id>`). */
export class ArtifactStore {
  private readonly map: PersistedMap<ArtifactRecord>;

  constructor(state: StateStore) {
    this.map = new PersistedMap(state, ARTIFACTS_KEY);
  }

  /** Records artifacts (a task's outputs, an import). */
  register(location: string, artifacts: ArtifactRecord[]): void {
    this.map.set(artifacts.map((a) => [`${location}/${artifactId(a)}`, a]));
  }

  /** The artifact with this id in this location, if the emulator ever produced or imported it. */
  get(location: string, id: string): ArtifactRecord | undefined {
    return this.map.get(`${location}/${id}`);
  }
}

/** The id of an artifact: the last segment of its resource name. */
export function artifactId(a: ArtifactRecord): string {
  return a.name.slice(a.name.lastIndexOf('/') + 1);
}

/** A successful execution whose outputs a later task with the same fingerprint reuses. */
export interface CachedExecution {
  /** The job and task that ran it (`cached_execution` in the reusing task's metadata). */
  jobName: string;
  taskName: string;
  taskId: string;
  outputParameters: Record<string, Json>;
  outputs: Record<string, ArtifactRecord[]>;
}

/** Successful container executions by fingerprint. */
export class ExecutionCache {
  private readonly map: PersistedMap<CachedExecution>;

  constructor(state: StateStore) {
    this.map = new PersistedMap(state, CACHE_KEY);
  }

  get(fingerprint: string): CachedExecution | undefined {
    return this.map.get(fingerprint);
  }

  put(fingerprint: string, entry: CachedExecution): void {
    this.map.set([[fingerprint, entry]]);
  }
}

/**
 * The cache key of an execution, as KFP builds one: sha256 over the component's interface and
 * executor, the resolved input parameter values, the input artifacts (by URI and type) and the
 * `cachingOptions.cacheKey` given, scoped to the metadata store (project location).
 */
export function executionFingerprint(parts: {
  location: string;
  component: Json;
  executor: Json;
  parameters: Record<string, Json>;
  artifacts: Record<string, ArtifactRecord[]>;
  cacheKey?: string;
}): string {
  const artifacts = Object.fromEntries(
    Object.entries(parts.artifacts).map(([k, list]) => [
      k,
      list.map((a) => ({ uri: a.uri, schemaTitle: a.schemaTitle, schemaVersion: a.schemaVersion })),
    ]),
  );
  const text = canonicalJson({
    location: parts.location,
    component: parts.component,
    executor: parts.executor,
    parameters: parts.parameters,
    artifacts,
    cacheKey: parts.cacheKey ?? '',
  });
  return createHash('sha256').update(text).digest('hex');
}

/** JSON with object keys sorted at every level, so equal content gives equal text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v)).join(',')}]`;
  if (isObject(value)) {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}
