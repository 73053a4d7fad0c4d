import type { Stage } from '@conveyor/contracts';

const ORDER: readonly Stage[] = [
  'validating',
  'resolving',
  'building',
  'compiling',
  'uploading',
  'submitting',
  'running',
  'collecting',
];

/** A run's stage timings in the order the stages ran. */
export function orderedStages(timings: Partial<Record<Stage, number>>): [Stage, number][] {
  return ORDER.flatMap((stage): [Stage, number][] => {
    const ms = timings[stage];
    return ms === undefined ? [] : [[stage, ms]];
  });
}
