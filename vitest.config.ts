import { defineConfig } from 'vitest/config';

// Two projects: `unit` (*.spec.ts beside the code, no services) and `integration`
// (<project>/tests/**/*.test.ts, against the real local stack brought up by the global setup).
export default defineConfig({
  test: {
    env: {
      // Without this the Google clients probe the GCE metadata server even when pointed at emulators.
      METADATA_SERVER_DETECTION: 'none',
    },
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['{apps,libs,tools,bench}/**/src/**/*.spec.ts'],
          testTimeout: 30_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['{apps,libs,tools,bench}/**/tests/**/*.test.ts'],
          globalSetup: ['./libs/testing/src/global-setup.ts'],
          // Integration tests drive real servers and real builds; they own their deadlines.
          testTimeout: 180_000,
          hookTimeout: 300_000,
        },
      },
    ],
    // Two cores: one test file per core keeps the stack responsive.
    maxWorkers: 2,
  },
});
