// The demo's clients on the local stack it brought up: Pub/Sub, Temporal, and the Google emulators
// for the report. Always the embedded stack's addresses: the demo is the local stack's.
import { PubSub } from '@google-cloud/pubsub';
import { Client, Connection } from '@temporalio/client';
import { TaskQueues } from '@conveyor/contracts';
import { ObjectStore } from '@conveyor/gcp';
import { webUiBaseUrl, workflowUiUrl } from '@conveyor/platform';
import type { StackConfig } from '@conveyor/stack';
import type { DemoSetup } from './setup.ts';

/** The demo's connections and the names it uses. */
export interface DemoClients {
  readonly pubsub: PubSub;
  readonly client: Client;
  readonly topic: string;
  readonly subscription: string;
  readonly taskQueue: string;
  /** Pipeline of messages without a `pipeline` attribute (the bridge's default). */
  readonly pipeline: string;
  /** The stack's Web UI. */
  readonly ui: string;
  /** The Web UI link of a run. */
  uiUrl(workflowId: string): string;
  /** Storage, to copy the run's stored report. */
  reportClients(): { store: ObjectStore };
  close(): Promise<void>;
}

/** Connects to the stack `setup` brought up. */
export async function connectDemo(config: StackConfig, setup: DemoSetup): Promise<DemoClients> {
  const env = setup.env;
  const project = config.projectId;
  // Local mode: without this the Google clients probe the GCE metadata server (and warn).
  process.env['METADATA_SERVER_DETECTION'] ??= 'none';
  const pubsub = new PubSub({
    projectId: project,
    apiEndpoint: env['PUBSUB_EMULATOR_HOST'],
    emulatorMode: true,
  });
  const address = `${config.host}:${config.ports.temporal}`;
  const connection = await Connection.connect({ address });
  const client = new Client({ connection, namespace: config.namespace });
  const ui = webUiBaseUrl(`http://${config.host}:${config.ports.temporalUi}`, address) ?? '';
  return {
    pubsub,
    client,
    topic: env['CONVEYOR_TOPIC'] || 'conveyor-training',
    subscription: env['CONVEYOR_SUBSCRIPTION'] || 'conveyor-training-bridge',
    taskQueue: env['CONVEYOR_TASK_QUEUE'] || TaskQueues.training,
    pipeline: env['CONVEYOR_DEFAULT_PIPELINE'] || 'penguins',
    ui,
    uiUrl: (workflowId) => workflowUiUrl(ui, config.namespace, workflowId),
    reportClients: () => ({
      store: new ObjectStore({ projectId: project, endpoint: env['CONVEYOR_STORAGE_ENDPOINT'] }),
    }),
    close: async () => {
      await connection.close();
      await pubsub.close();
    },
  };
}
