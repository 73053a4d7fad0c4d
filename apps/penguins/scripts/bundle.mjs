/**
 * Bundles the app into dist/: penguins.js (src/main.ts + @tensorflow/tfjs, one ESM file),
 * penguins.json (the built-in dataset), a package.json saying ESM, and the Dockerfile, so dist/ alone is the image's build
 * context and its local snapshot holds nothing else. Run with `npm run bundle -w @conveyor/penguins`.
 * Plain JavaScript (not TypeScript) so it runs on whatever Node a build step has, 20 included.
 */
import { build } from 'esbuild';
import { copyFile, mkdir, rm, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const appDir = join(dirname(fileURLToPath(import.meta.url)), '..');
// An optional argument bundles elsewhere (the bundle test uses a temporary directory).
const dist = resolve(process.argv[2] ?? join(appDir, 'dist'));
await rm(dist, { recursive: true, force: true });
await mkdir(dist, { recursive: true });

await build({
  entryPoints: [join(appDir, 'src/main.ts')],
  outfile: join(dist, 'penguins.js'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node22',
  minify: true,
  // Keep function and class names readable in stack traces.
  keepNames: true,
  legalComments: 'none',
  logLevel: 'warning',
  // tfjs ships CommonJS that calls require() for Node built-ins; ESM output needs a real require.
  banner: {
    js: "import { createRequire as __penguinsCreateRequire } from 'node:module'; const require = __penguinsCreateRequire(import.meta.url);",
  },
});

// vega-datasets exports only its JS entry: find the data folder next to it.
const vegaEntry = createRequire(join(appDir, 'package.json')).resolve('vega-datasets');
await copyFile(join(dirname(vegaEntry), '..', 'data', 'penguins.json'), join(dist, 'penguins.json'));
await copyFile(join(appDir, 'Dockerfile'), join(dist, 'Dockerfile'));
// Marks penguins.js as ESM so Node loads it without guessing the module type.
await writeFile(join(dist, 'package.json'), `${JSON.stringify({ type: 'module', private: true })}\n`);

for (const name of ['penguins.js', 'penguins.json', 'package.json', 'Dockerfile']) {
  const { size } = await stat(join(dist, name));
  console.log(`${join(dist, name)} ${(size / 1024).toFixed(0)} KiB`);
}
