import path from 'node:path';
import type { GcsClient } from '../context.ts';
import type { LocalImageStore } from '../images/image-store.ts';
import { gcloudCommand, gsutilCommand } from './local-gsutil.ts';
import { messageOf } from '../rpc-error.ts';

/** What an inline tool gets: its args, the step's working directory, and a log line sink. */
export interface InlineToolContext {
  args: string[];
  cwd: string;
  signal: AbortSignal;
  log(line: string): void;
  images: LocalImageStore;
  gcs: GcsClient;
}

/** Runs a tool the emulator performs itself; resolves to the exit code (0 = success). */
export async function runInlineTool(
  tool: 'docker' | 'gsutil' | 'gcloud',
  ctx: InlineToolContext,
): Promise<number> {
  try {
    if (tool === 'docker') return await localDocker(ctx);
    if (tool === 'gsutil') return await gsutilCommand(ctx);
    return await gcloudCommand(ctx);
  } catch (e: unknown) {
    ctx.log(`ERROR: ${tool}: ${messageOf(e)}`);
    return 1;
  }
}

/** `docker build|push|tag|pull` against the local image store (no engine). */
async function localDocker(ctx: InlineToolContext): Promise<number> {
  const [command, ...rest] = ctx.args;
  switch (command) {
    case 'build':
    case 'buildx':
      return dockerBuild(command === 'buildx' ? rest.slice(1) : rest, ctx);
    case 'push': {
      const ref = rest.filter((a) => !a.startsWith('-'))[0];
      if (!ref) throw new Error('docker push needs an image reference');
      const image = await ctx.images.resolve(ref);
      if (!image) {
        ctx.log(`An image does not exist locally with the tag: ${ref}`);
        return 1;
      }
      ctx.log(`${ref}: digest: ${image.digest} (local image store; nothing uploaded)`);
      return 0;
    }
    case 'pull': {
      const ref = rest.filter((a) => !a.startsWith('-'))[0] ?? '';
      const image = await ctx.images.resolve(ref);
      ctx.log(
        image
          ? `${ref}: found in the local image store (${image.digest})`
          : `pull of ${ref} is not possible without a Docker engine`,
      );
      return image ? 0 : 1;
    }
    case 'tag': {
      const [source, target] = rest;
      if (!source || !target) throw new Error('usage: docker tag SOURCE TARGET');
      if (await ctx.images.tag(source, target)) return 0;
      ctx.log(`Error response from daemon: No such image: ${source}`);
      return 1;
    }
    default:
      ctx.log(
        `docker ${command ?? ''} is not available: no Docker engine answers, and without one the emulator handles only ` +
          'docker build, push, tag and pull (against its local image store)',
      );
      return 1;
  }
}

/** Flags of `docker build` that take a value (ignored unless handled). */
const VALUE_FLAGS = new Set([
  '--build-arg',
  '--cache-from',
  '--network',
  '--platform',
  '--target',
  '--label',
  '--secret',
  '--progress',
  '--iidfile',
  '--ssh',
  '--add-host',
]);

async function dockerBuild(args: string[], ctx: InlineToolContext): Promise<number> {
  const tags: string[] = [];
  const positional: string[] = [];
  let dockerfile: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    const [flag, inlineValue] =
      arg.startsWith('--') && arg.includes('=')
        ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
        : [arg, undefined];
    const value = (): string => inlineValue ?? args[++i] ?? '';
    if (flag === '-t' || flag === '--tag') tags.push(value());
    else if (flag === '-f' || flag === '--file') dockerfile = value();
    else if (VALUE_FLAGS.has(flag)) value();
    else if (flag.startsWith('-')) continue;
    else positional.push(arg);
  }
  const contextArg = positional[0];
  if (!contextArg) throw new Error('"docker build" requires exactly 1 argument (the build context)');
  const contextDir = path.resolve(ctx.cwd, contextArg);
  const dockerfilePath = dockerfile ? path.resolve(ctx.cwd, dockerfile) : undefined;
  ctx.log(`Sending build context ${contextDir} to the local image store (no Docker engine)`);
  const result = await ctx.images.build(contextDir, tags, dockerfilePath);
  for (const line of result.ignored)
    ctx.log(`WARNING: local image store (not executed or not kept): ${line}`);
  ctx.log(`Snapshot of ${result.files} files`);
  ctx.log(`Successfully built ${result.digest}`);
  for (const tag of tags) ctx.log(`Successfully tagged ${tag}`);
  return 0;
}
