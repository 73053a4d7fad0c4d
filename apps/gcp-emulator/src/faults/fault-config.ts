import { z } from 'zod';

/** One fault rule. */
export const faultRuleSchema = z.object({
  /** gRPC status to answer with, by name (`UNAVAILABLE`) or number; absent = only add latency. */
  code: z.union([z.string(), z.number().int()]).optional(),
  /** Chance that a call fails, 0..1. @default 1 when `code` is set */
  probability: z.number().min(0).max(1).optional(),
  /** Latency added before the call is handled (or fails), in milliseconds. @default 0 */
  delayMs: z.number().int().min(0).optional(),
  /** Error details sent to the client. @default 'injected fault' */
  message: z.string().optional(),
});

/**
 * Fault rules keyed by `Service/Method` (e.g. `CloudBuild/CreateBuild`, `Operations/GetOperation`,
 * `PipelineService/GetPipelineJob`), `Service/*`, or `*`; the most specific key wins.
 */
export const faultConfigSchema = z.record(z.string(), faultRuleSchema);

/** See `faultRuleSchema`. */
export type FaultRule = z.infer<typeof faultRuleSchema>;
/** See `faultConfigSchema`. */
export type FaultConfig = z.infer<typeof faultConfigSchema>;
