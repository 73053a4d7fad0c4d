// docker-compose.yml must stay wired like local mode. These checks read the YAML; the real Docker
// Compose validates and resolves the file in tools/stack/tests/compose.test.ts.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { SearchAttributes } from '@conveyor/contracts';
import { repoPath, repoRoot } from '@conveyor/platform/repo-root';
import {
  dynamicConfigArgs,
  localEnvironment,
  stackConfigFromEnv,
  STACK_DYNAMIC_CONFIG,
  STACK_SEARCH_ATTRIBUTES,
} from '@conveyor/stack';

interface ComposeService {
  image?: string;
  build?: string | { context: string; dockerfile: string };
  command?: string[];
  environment?: Record<string, string>;
  network_mode?: string;
  ports?: string[];
  depends_on?: Record<string, { condition: string }>;
}

const compose = parse(readFileSync(repoPath('docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, ComposeService>;
};
const services = compose.services;
const local = localEnvironment(stackConfigFromEnv({}, repoRoot));

/** Where each Conveyor service's variables are declared (its zod schema). */
const configSources: Record<string, string[]> = {
  worker: ['apps/worker/src/config.ts', 'libs/platform/src/config.ts'],
  bridge: ['apps/bridge/src/config.ts', 'libs/platform/src/config.ts'],
  'gcp-emulator': ['apps/gcp-emulator/src/config.ts'],
};

describe('docker-compose.yml', () => {
  it('has the six services of the stack', () => {
    expect(Object.keys(services).sort()).toEqual([
      'bridge',
      'gcp-emulator',
      'gcs',
      'pubsub',
      'temporal',
      'worker',
    ]);
  });

  it('gives the emulator, worker and bridge exactly the local-mode variables', () => {
    for (const name of ['gcp-emulator', 'worker', 'bridge']) {
      const env = services[name]?.environment ?? {};
      for (const [key, value] of Object.entries(local)) {
        expect({ service: name, key, value: env[key] }).toEqual({ service: name, key, value });
      }
    }
  });

  it('sets no variable the app does not read (a typo would be silently ignored)', () => {
    for (const [name, files] of Object.entries(configSources)) {
      const source = files.map((f) => readFileSync(repoPath(f), 'utf8')).join('\n');
      const extra = Object.keys(services[name]?.environment ?? {}).filter(
        (key) =>
          !(key in local) && !key.startsWith('GIT_CONFIG_') && !new RegExp(`\\b${key}\\b`).test(source),
      );
      expect({ service: name, unknown: extra }).toEqual({ service: name, unknown: [] });
    }
  });

  it('shares one network namespace so 127.0.0.1 addresses work, and publishes the stack ports on loopback', () => {
    for (const [name, service] of Object.entries(services)) {
      if (name !== 'temporal')
        expect({ name, mode: service.network_mode }).toEqual({ name, mode: 'service:temporal' });
    }
    const config = stackConfigFromEnv({}, repoRoot);
    const published = (services['temporal']?.ports ?? []).map((p) => p.split(' ')[0]);
    for (const port of [...Object.values(config.ports), 8080]) {
      expect(published).toContain(`127.0.0.1:${port}:${port}`);
    }
  });

  it('starts the Temporal dev server on all interfaces with the Conveyor search attributes', () => {
    const args = services['temporal']?.command ?? [];
    expect(args.slice(0, 4)).toEqual(['server', 'start-dev', '--ip', '0.0.0.0']);
    const attributes = args.flatMap((a, i) => (args[i - 1] === '--search-attribute' ? [a] : [])).sort();
    expect(attributes).toEqual(
      Object.entries(STACK_SEARCH_ATTRIBUTES)
        .map(([k, v]) => `${k}=${v}`)
        .sort(),
    );
    expect(Object.keys(STACK_SEARCH_ATTRIBUTES).sort()).toEqual(Object.values(SearchAttributes).sort());
  });

  it('starts the Temporal dev server with the dynamic config of the local stack', () => {
    const args = services['temporal']?.command ?? [];
    const values = args.flatMap((a, i) => (args[i - 1] === '--dynamic-config-value' ? [a] : []));
    expect(values).toEqual(
      dynamicConfigArgs(STACK_DYNAMIC_CONFIG).filter((a) => a !== '--dynamic-config-value'),
    );
  });

  it('runs fake-gcs-server with the flags of the local stack', () => {
    const args = services['gcs']?.command ?? [];
    const flags = args.filter((a) => a.startsWith('-'));
    expect(flags).toEqual([
      '-scheme',
      '-host',
      '-port',
      '-backend',
      '-filesystem-root',
      '-external-url',
      '-public-host',
      '-log-level',
    ]);
    const value = (flag: string): string | undefined => args[args.indexOf(flag) + 1];
    expect(value('-external-url')).toBe(local['CONVEYOR_STORAGE_ENDPOINT']);
    expect(value('-backend')).toBe('filesystem');
  });

  it('builds worker, bridge, emulator and Pub/Sub emulator from Dockerfiles that exist', () => {
    for (const name of ['worker', 'bridge', 'gcp-emulator']) {
      const build = services[name]?.build;
      expect(typeof build === 'object' && build.context).toBe('.');
      const dockerfile = typeof build === 'object' ? build.dockerfile : '';
      expect(readFileSync(repoPath(dockerfile), 'utf8')).toMatch(/^FROM /m);
    }
    expect(readFileSync(repoPath(String(services['pubsub']?.build), 'Dockerfile'), 'utf8')).toMatch(
      /^FROM golang/m,
    );
  });
});
