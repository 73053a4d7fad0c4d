import { homedir } from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { faultConfigSchema, type FaultConfig } from './faults/fault-config.ts';
import { messageOf } from './rpc-error.ts';

const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);

/** The emulator's environment, parsed once in main.ts. */
export const envSchema = z.object({
  /**
   * Interface the gRPC and admin servers bind. Loopback by default; `0.0.0.0` in a container, where
   * published ports arrive on the container's own interface.
   */
  CONVEYOR_EMULATOR_HOST: z.string().min(1).default('127.0.0.1'),
  /** gRPC port (Cloud Build, Vertex PipelineService, Operations). */
  CONVEYOR_EMULATOR_PORT: port(8090),
  /** Admin HTTP port (GET/PUT /faults, /healthz). */
  CONVEYOR_EMULATOR_ADMIN_PORT: port(8091),
  /** The emulator's data directory (workspaces, logs, images, state); the stack passes `.data/emulator`. */
  CONVEYOR_DATA_DIR: z.string().min(1).default('.data/emulator'),
  /** Per-machine cache (Python venvs of python:* images); the stack passes its own. Default below. */
  CONVEYOR_CACHE_DIR: z.string().min(1).optional(),
  XDG_CACHE_HOME: z.string().min(1).optional(),
  /** GCS JSON API endpoint (fake-gcs-server). */
  CONVEYOR_STORAGE_ENDPOINT: z.url().default('http://127.0.0.1:4443'),
  GOOGLE_CLOUD_PROJECT: z.string().min(1).default('conveyor-local'),
  /** Fault rules as JSON, e.g. `{"CloudBuild/CreateBuild":{"code":"UNAVAILABLE","probability":0.2}}`. */
  CONVEYOR_EMULATOR_FAULTS: z
    .string()
    .default('{}')
    .transform((text, ctx): FaultConfig => {
      try {
        const parsed = faultConfigSchema.safeParse(JSON.parse(text));
        if (parsed.success) return parsed.data;
        ctx.addIssue({ code: 'custom', message: `invalid fault config: ${parsed.error.message}` });
      } catch (e: unknown) {
        ctx.addIssue({ code: 'custom', message: `not JSON: ${messageOf(e)}` });
      }
      return z.NEVER;
    }),
  /** Keep finished builds and jobs across restarts ('false' to disable). */
  CONVEYOR_EMULATOR_PERSIST: z
    .enum(['true', 'false', '1', '0'])
    .default('true')
    .transform((v) => v === 'true' || v === '1'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']).default('info'),
});

/** Parsed configuration. */
export type EmulatorEnv = z.infer<typeof envSchema>;

/**
 * Parses the environment; every problem is reported at once, each naming its variable. `cacheDir`:
 * CONVEYOR_CACHE_DIR, else `$XDG_CACHE_HOME/conveyor`, else `~/.cache/conveyor` (as the stack's).
 * @throws Error
 */
export function parseEnv(env: NodeJS.ProcessEnv): EmulatorEnv & { dataDir: string; cacheDir: string } {
  const result = envSchema.safeParse(env);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`invalid emulator configuration:\n${problems.join('\n')}`);
  }
  const { CONVEYOR_CACHE_DIR, XDG_CACHE_HOME } = result.data;
  return {
    ...result.data,
    dataDir: path.resolve(result.data.CONVEYOR_DATA_DIR),
    cacheDir: path.resolve(
      CONVEYOR_CACHE_DIR ?? path.join(XDG_CACHE_HOME ?? path.join(homedir(), '.cache'), 'conveyor'),
    ),
  };
}
