// The demo's example schedule: the original system's Cloud Scheduler job as a paused Temporal Schedule.
import { ScheduleAlreadyRunning, type Client } from '@temporalio/client';
import { ScheduleOverlapPolicy } from '@temporalio/client';
import { scheduleRequest, trainingRunAction } from '../schedule/options.ts';

/** Id of the example schedule. */
export const EXAMPLE_SCHEDULE_ID = 'penguins-every-3-min';

/** Creates the paused example schedule unless it exists; returns whether it created it and its state. */
export async function ensureExampleSchedule(
  client: Client,
  options: { repoUrl: string; branch: string; taskQueue: string },
): Promise<{ created: boolean; paused: boolean }> {
  const request = scheduleRequest(
    {
      pipeline: 'penguins',
      params: { num_epochs: '3', learning_rate: '0.01' },
      repoUrl: options.repoUrl,
      branch: options.branch,
    },
    EXAMPLE_SCHEDULE_ID,
    new Date(),
  );
  try {
    await client.schedule.create({
      scheduleId: EXAMPLE_SCHEDULE_ID,
      spec: { cronExpressions: ['*/3 * * * *'] },
      action: trainingRunAction(request, EXAMPLE_SCHEDULE_ID, options.taskQueue),
      // Skip: a run still training when the next slot comes is not doubled. 10 min catch-up: a
      // laptop waking up does not replay a night of runs.
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '10m' },
      state: { paused: true, note: 'created by conveyor demo: unpause to retrain every 3 minutes' },
    });
    return { created: true, paused: true };
  } catch (e: unknown) {
    if (!(e instanceof ScheduleAlreadyRunning)) throw e;
    const description = await client.schedule.getHandle(EXAMPLE_SCHEDULE_ID).describe();
    return { created: false, paused: description.state.paused };
  }
}

/** The commands that enable it, with the `temporal` CLI and with `conveyor`. */
export function enableCommands(temporalCli: string, address: string, namespace: string): string[] {
  return [
    `${temporalCli} schedule toggle --address ${address} --namespace ${namespace} --schedule-id ${EXAMPLE_SCHEDULE_ID} --unpause --reason "enable retraining"`,
    `npx conveyor schedule unpause ${EXAMPLE_SCHEDULE_ID}`,
  ];
}
