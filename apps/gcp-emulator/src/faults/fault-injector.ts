import { setTimeout as sleep } from 'node:timers/promises';
import type { FaultInjector } from '../context.ts';
import { RpcError, parseStatus } from '../rpc-error.ts';
import { faultConfigSchema, type FaultConfig, type FaultRule } from './fault-config.ts';

/** Picks the rule for `Service/Method`: exact key, then `Service/*`, then `*`. */
export function ruleFor(config: FaultConfig, method: string): FaultRule | undefined {
  const service = method.split('/')[0] ?? method;
  return config[method] ?? config[`${service}/*`] ?? config['*'];
}

/**
 * Creates the fault injector. `random` is injectable so tests can make probabilities deterministic.
 * @throws ZodError / Error when the configuration is invalid (unknown status name included).
 */
export function createFaultInjector(
  initial: FaultConfig = {},
  random: () => number = Math.random,
): FaultInjector {
  let config = validate(initial);
  return {
    async apply(method: string): Promise<void> {
      const rule = ruleFor(config, method);
      if (!rule) return;
      if (rule.delayMs) await sleep(rule.delayMs);
      if (rule.code === undefined) return;
      if (random() < (rule.probability ?? 1)) {
        throw new RpcError(parseStatus(rule.code), rule.message ?? `injected fault on ${method}`);
      }
    },
    set(next: FaultConfig): void {
      config = validate(next);
    },
    get(): FaultConfig {
      return structuredClone(config);
    },
  };
}

function validate(config: FaultConfig): FaultConfig {
  const parsed = faultConfigSchema.parse(config);
  for (const rule of Object.values(parsed)) if (rule.code !== undefined) parseStatus(rule.code);
  return parsed;
}
