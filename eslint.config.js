// Lint rules for the whole workspace. `npm run lint` lints every project once from the root, type-aware
// over the one workspace program (tsconfig.json); a project's own `lint` target (`eslint src`) uses the same.
import nx from '@nx/eslint-plugin';
import importX from 'eslint-plugin-import-x';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/.data/**', '**/dist/**', '**/fixtures/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { project: './tsconfig.json', tsconfigRootDir: import.meta.dirname },
    },
    plugins: { 'import-x': importX, '@nx': nx },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'import-x/no-cycle': ['error', { maxDepth: 10 }],
      'no-console': 'error',
      // Architecture boundaries, by the tags in each project.json.
      '@nx/enforce-module-boundaries': [
        'error',
        {
          allow: [],
          depConstraints: [
            { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:lib'] },
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:lib'] },
            { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
            { sourceTag: 'scope:platform', onlyDependOnLibsWithTags: ['scope:shared'] },
            {
              sourceTag: 'scope:core',
              onlyDependOnLibsWithTags: ['scope:shared', 'scope:core', 'scope:platform'],
            },
            { sourceTag: 'scope:tooling', onlyDependOnLibsWithTags: ['scope:shared', 'scope:platform'] },
            {
              sourceTag: 'scope:testing',
              onlyDependOnLibsWithTags: ['scope:shared', 'scope:platform', 'scope:tooling'],
            },
            // The emulators stand in for Google: sharing our understanding would hide our bugs.
            { sourceTag: 'scope:emulator', onlyDependOnLibsWithTags: [] },
            { sourceTag: 'scope:training', onlyDependOnLibsWithTags: [] },
            {
              sourceTag: 'scope:cli',
              onlyDependOnLibsWithTags: ['scope:shared', 'scope:core', 'scope:platform', 'scope:tooling'],
            },
            {
              sourceTag: 'scope:worker',
              onlyDependOnLibsWithTags: ['scope:shared', 'scope:core', 'scope:platform'],
            },
            { sourceTag: 'scope:bridge', onlyDependOnLibsWithTags: ['scope:shared', 'scope:platform'] },
            {
              sourceTag: 'scope:bench',
              onlyDependOnLibsWithTags: [
                'scope:shared',
                'scope:core',
                'scope:platform',
                'scope:testing',
                'scope:tooling',
              ],
            },
          ],
        },
      ],
    },
  },
  {
    // Tests and benchmarks may print and may use the testing lib.
    files: ['**/tests/**/*.ts', '**/*.spec.ts', 'bench/**/*.ts'],
    rules: { 'no-console': 'off', '@nx/enforce-module-boundaries': 'off' },
  },
  {
    // Command-line programs talk to people through stdout.
    files: ['apps/cli/src/**/*.ts', 'tools/**/*.ts', 'apps/penguins/src/**/*.ts'],
    rules: { 'no-console': 'off' },
  },
  {
    // Workflow code is replayed: it must be deterministic and free of I/O.
    files: ['libs/workflows/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltins.map((name) => ({ name, message: 'Workflow code may not use Node built-ins.' })),
          patterns: [
            {
              group: ['@temporalio/*', '!@temporalio/workflow', '!@temporalio/common'],
              message: 'Workflows import only @temporalio/workflow.',
            },
            {
              group: [
                '@google-cloud/*',
                '@grpc/*',
                'pino',
                'google-*',
                '@conveyor/activities',
                '@conveyor/gcp',
                '@conveyor/platform',
              ],
              message: 'Workflows may not do I/O: import activities as types only.',
              allowTypeImports: true,
            },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'setTimeout', message: 'Use sleep() from @temporalio/workflow.' },
        { name: 'setInterval', message: 'Use sleep() from @temporalio/workflow.' },
        { name: 'process', message: 'Workflows may not read the process environment.' },
      ],
    },
  },
  {
    // Libraries receive config through factories; only apps read the environment.
    files: ['libs/**/src/**/*.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        {
          object: 'process',
          property: 'env',
          message: 'Libraries never read process.env: take config as a parameter.',
        },
      ],
    },
  },
  {
    // The vitest global setup is a composition root: it reads the environment like an app's main.
    files: ['libs/testing/src/global-setup.ts'],
    rules: { 'no-restricted-properties': 'off', 'no-console': 'off' },
  },
  {
    // Activities never import the workflow API.
    files: ['libs/activities/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: '@temporalio/workflow', message: 'Activities never import @temporalio/workflow.' }],
        },
      ],
    },
  },
  prettier,
);
