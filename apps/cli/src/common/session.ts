// One command's connection to its target: the Temporal client and the Google clients, made on first
// use and closed at the end, the printer for its output, and the line naming what it talks to.
import { PubSub } from '@google-cloud/pubsub';
import { Client, Connection } from '@temporalio/client';
import { CloudBuild, ObjectStore, parseGrpcEndpoint, VertexPipelines } from '@conveyor/gcp';
import { workflowUiUrl } from '@conveyor/platform';
import { formatOf, Printer, type OutputFlags } from './output.ts';
import { describeTarget, requireProject, resolveTarget, type Target, type TargetFlags } from './target.ts';

/** A command's connection to its target. */
export interface Session {
  readonly target: Target;
  readonly printer: Printer;
  /** The Temporal client (connects on first call). */
  temporal(): Promise<Client>;
  /** Cloud Storage (fake GCS when CONVEYOR_STORAGE_ENDPOINT is set). */
  store(): ObjectStore;
  /** Cloud Build (the emulator when CONVEYOR_CLOUDBUILD_ENDPOINT is set). */
  builds(): CloudBuild;
  /** Vertex AI Pipelines (the emulator when CONVEYOR_AIPLATFORM_ENDPOINT is set). */
  vertex(): VertexPipelines;
  /** Pub/Sub (the emulator when PUBSUB_EMULATOR_HOST is set; never universeDomain there). */
  pubsub(): PubSub;
  /** The Web UI link of a workflow, when the UI is known. */
  uiUrl(workflowId: string): string | undefined;
}

/** Flags of a command that talks to a target. */
export type SessionFlags = TargetFlags & OutputFlags;

/**
 * Runs `fn` with a session on the target the flags and environment name, after printing the line
 * that names it (stderr, text mode only), and closes every client it made.
 */
export async function withSession<T>(flags: SessionFlags, fn: (session: Session) => Promise<T>): Promise<T> {
  const printer = new Printer(formatOf(flags));
  const target = await resolveTarget(flags);
  printer.note(`conveyor → ${describeTarget(target)}`);
  const google = target.google;
  // Emulators: without this the Google auth library probes the GCE metadata server (and warns).
  if (google.storageEndpoint || google.pubsubEmulatorHost || google.cloudBuildEndpoint)
    process.env['METADATA_SERVER_DETECTION'] ??= 'none';
  const closers: (() => Promise<void>)[] = [];
  const once = <C>(make: () => C, close: (c: C) => Promise<void>): (() => C) => {
    let made: C | undefined;
    return () => {
      if (made === undefined) {
        const c = make();
        made = c;
        closers.push(() => close(c));
      }
      return made;
    };
  };
  const temporal = once(
    async () => {
      const connection = await Connection.connect(target.temporal.connection);
      closers.push(() => connection.close());
      return new Client({ connection, namespace: target.temporal.namespace });
    },
    async () => undefined,
  );
  const session: Session = {
    target,
    printer,
    temporal,
    store: once(
      () => new ObjectStore({ projectId: requireProject(target), endpoint: google.storageEndpoint }),
      async () => undefined,
    ),
    builds: once(
      () =>
        new CloudBuild({
          projectId: requireProject(target),
          endpoint: parseGrpcEndpoint(google.cloudBuildEndpoint),
        }),
      (c) => c.close(),
    ),
    vertex: once(
      () =>
        new VertexPipelines({
          projectId: requireProject(target),
          region: google.region,
          endpoint: parseGrpcEndpoint(google.aiplatformEndpoint),
        }),
      (c) => c.close(),
    ),
    pubsub: once(
      () =>
        google.pubsubEmulatorHost
          ? new PubSub({
              projectId: requireProject(target),
              apiEndpoint: google.pubsubEmulatorHost,
              emulatorMode: true,
            })
          : new PubSub({ projectId: requireProject(target) }),
      (c) => c.close(),
    ),
    uiUrl: (workflowId) =>
      target.temporal.uiBaseUrl
        ? workflowUiUrl(target.temporal.uiBaseUrl, target.temporal.namespace, workflowId)
        : undefined,
  };
  try {
    return await fn(session);
  } finally {
    for (const close of closers.reverse()) await close().catch(() => undefined);
  }
}
