import { WorkingStages, type Stage } from '@conveyor/contracts';

/** A run's stage timings in the order the stages ran (the order contracts declares). */
export function orderedStages(timings: Partial<Record<Stage, number>>): [Stage, number][] {
  return WorkingStages.flatMap((stage): [Stage, number][] => {
    const ms = timings[stage];
    return ms === undefined ? [] : [[stage, ms]];
  });
}
