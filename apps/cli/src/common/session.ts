// One command's connection to its target: the Temporal client and the Google clients, made on first
// use and closed at the end, the printer for its output, and the line naming what it talks to.
// The Google client libraries are imported on first use too: loading them costs about a second of
// start-up, which commands that only talk to Temporal (most of them) should not pay.
import type { PubSub } from '@google-cloud/pubsub';
import { Client, Connection } from '@temporalio/client';
import type { CloudBuild, ObjectStore, VertexPipelines } from '@conveyor/gcp';
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
  store(): Promise<ObjectStore>;
  /** Cloud Build (the emulator when CONVEYOR_CLOUDBUILD_ENDPOINT is set). */
  builds(): Promise<CloudBuild>;
  /** Vertex AI Pipelines (the emulator when CONVEYOR_AIPLATFORM_ENDPOINT is set). */
  vertex(): Promise<VertexPipelines>;
  /** Pub/Sub (the emulator when PUBSUB_EMULATOR_HOST is set; never universeDomain there). */
  pubsub(): Promise<PubSub>;
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
  // Each client is made once, on first call; concurrent first calls share the one being made.
  const once = <C>(make: () => Promise<C>, close: (c: C) => Promise<void>): (() => Promise<C>) => {
    let made: Promise<C> | undefined;
    return () => {
      made ??= make().then((c) => {
        closers.push(() => close(c));
        return c;
      });
      return made;
    };
  };
  const gcp = () => import('@conveyor/gcp');
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
      async () =>
        new (await gcp()).ObjectStore({
          projectId: requireProject(target),
          endpoint: google.storageEndpoint,
        }),
      async () => undefined,
    ),
    builds: once(
      async () => {
        const { CloudBuild, parseGrpcEndpoint } = await gcp();
        return new CloudBuild({
          projectId: requireProject(target),
          endpoint: parseGrpcEndpoint(google.cloudBuildEndpoint),
        });
      },
      (c) => c.close(),
    ),
    vertex: once(
      async () => {
        const { VertexPipelines, parseGrpcEndpoint } = await gcp();
        return new VertexPipelines({
          projectId: requireProject(target),
          region: google.region,
          endpoint: parseGrpcEndpoint(google.aiplatformEndpoint),
        });
      },
      (c) => c.close(),
    ),
    pubsub: once(
      async () => {
        const { PubSub } = await import('@google-cloud/pubsub');
        return google.pubsubEmulatorHost
          ? new PubSub({
              projectId: requireProject(target),
              apiEndpoint: google.pubsubEmulatorHost,
              emulatorMode: true,
            })
          : new PubSub({ projectId: requireProject(target) });
      },
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
