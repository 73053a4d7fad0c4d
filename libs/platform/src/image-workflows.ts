import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import {
  MemoKeys,
  SearchAttributeKeys,
  Signals,
  WorkflowTypes,
  type ImageWorkflows,
} from '@conveyor/contracts';

/**
 * Attaches runs to `imageBuild` workflows with signal-with-start: the signal reaches the running
 * build of the key, or starts one (a closed one — success or failure — is started anew: a success is
 * then adopted by the lookup, a failure is built again).
 */
export function imageWorkflowClient(client: Client, taskQueue: string): ImageWorkflows {
  return {
    async subscribe(workflowId, input, subscriber) {
      const handle = await client.workflow.signalWithStart(WorkflowTypes.imageBuild, {
        workflowId,
        taskQueue,
        args: [input],
        signal: Signals.imageSubscribe,
        signalArgs: [subscriber],
        workflowIdReusePolicy: 'ALLOW_DUPLICATE',
        memo: { [MemoKeys.request]: input },
        typedSearchAttributes: [
          { key: SearchAttributeKeys.pipeline, value: input.pipeline },
          { key: SearchAttributeKeys.commit, value: input.source.commit },
        ],
        staticSummary: `image · ${input.pipeline} · ${input.source.commit.slice(0, 12)}${input.rebuild ? ' · rebuild' : ''}`,
      });
      return { runId: handle.signaledRunId };
    },
    async unsubscribe(workflowId, subscriber) {
      try {
        await client.workflow.getHandle(workflowId).signal(Signals.imageUnsubscribe, subscriber);
      } catch (e: unknown) {
        // Already closed: it needs no telling.
        if (!(e instanceof WorkflowNotFoundError)) throw e;
      }
    },
  };
}
