// How a Conveyor workflow shows up in the Temporal Web UI and in visibility queries. Every way of
// starting a run (client, schedule, sweep child) uses these, so every run looks the same.
import { defineSearchAttributeKey, SearchAttributeType, type SearchAttributePair } from '@temporalio/common';
import { summarizeRun } from './ids.ts';
import { MemoKeys, SearchAttributes } from './names.ts';

/** Typed keys of Conveyor's search attributes (all Keyword). */
export const SearchAttributeKeys = {
  pipeline: defineSearchAttributeKey(SearchAttributes.pipeline, SearchAttributeType.KEYWORD),
  trigger: defineSearchAttributeKey(SearchAttributes.trigger, SearchAttributeType.KEYWORD),
  commit: defineSearchAttributeKey(SearchAttributes.commit, SearchAttributeType.KEYWORD),
  sweep: defineSearchAttributeKey(SearchAttributes.sweep, SearchAttributeType.KEYWORD),
} as const;

/** Memo, search attributes and summary of a workflow start. */
export interface WorkflowVisibility {
  readonly memo: Record<string, unknown>;
  readonly typedSearchAttributes: SearchAttributePair[];
  readonly staticSummary: string;
}

/**
 * A run's memo (the request), search attributes (`ConveyorPipeline`, `ConveyorTrigger`, and
 * `ConveyorSweep` for a sweep's trials) and one-line summary, e.g.
 * `penguins · learning_rate=0.01 num_epochs=3 · pubsub`.
 */
export function runVisibility(
  request: { pipeline: string; parameters: Record<string, unknown>; trigger: { kind: string } },
  extra: { sweepId?: string | undefined } = {},
): WorkflowVisibility {
  const typedSearchAttributes: SearchAttributePair[] = [
    { key: SearchAttributeKeys.pipeline, value: request.pipeline },
    { key: SearchAttributeKeys.trigger, value: request.trigger.kind },
  ];
  if (extra.sweepId) typedSearchAttributes.push({ key: SearchAttributeKeys.sweep, value: extra.sweepId });
  return {
    memo: { [MemoKeys.request]: request },
    typedSearchAttributes,
    staticSummary: summarizeRun(request),
  };
}

/** A sweep's memo, search attributes (its own id as `ConveyorSweep`, so `= id` finds it and its trials) and summary. */
export function sweepVisibility(
  request: { pipeline: string; grid: Record<string, readonly unknown[]>; trigger: { kind: string } },
  sweepId: string,
): WorkflowVisibility {
  const grid = Object.keys(request.grid)
    .sort()
    .map((name) => `${name}∈{${(request.grid[name] ?? []).map(String).join(',')}}`)
    .join(' ');
  return {
    memo: { [MemoKeys.request]: request },
    typedSearchAttributes: [
      { key: SearchAttributeKeys.pipeline, value: request.pipeline },
      { key: SearchAttributeKeys.trigger, value: request.trigger.kind },
      { key: SearchAttributeKeys.sweep, value: sweepId },
    ],
    staticSummary: `${request.pipeline} sweep · ${grid} · ${request.trigger.kind}`,
  };
}
