/**
 * Where and how a container task's image runs here: a well-known image (python:*, alpine, node, …)
 * on its local toolchain from the shared table, any other image from the local image store with its
 * snapshot as working directory, Docker semantics for ENTRYPOINT / CMD either way.
 */
import { mkdir } from 'node:fs/promises';
import type { EmulatorContext } from '../context.ts';
import { inImage } from '../images/image-store.ts';
import { SUPPORTED_IMAGES, toolchainFor } from '../toolchains/images.ts';
import { prepareToolchain } from '../toolchains/runtime.ts';
import { AttemptError } from './task-exec.ts';
import { messageOf } from '../rpc-error.ts';

/** How a task's process starts, whatever its image is. */
export interface TaskRuntime {
  image: string;
  /** Working directory: the image snapshot (its WORKDIR), or an empty per-task directory. */
  cwd: string;
  entrypoint: string[];
  cmd: string[];
  /** The image's ENV (local images) or the toolchain's (a venv's VIRTUAL_ENV, …). */
  env: Record<string, string>;
  /** Directories before the host PATH. */
  pathPrefix: string[];
  /** What the log says about it. */
  note: string;
  /** Maps an argument as the image sees it (`/app/task.js`) onto this machine. */
  inImage: (arg: string) => string;
}

/**
 * @param workDir an empty directory standing in for the working directory of a toolchain image
 * @throws AttemptError naming the image and the kinds the emulator runs when it is neither
 */
export async function resolveTaskRuntime(
  context: EmulatorContext,
  image: string,
  workDir: string,
): Promise<TaskRuntime> {
  const toolchain = toolchainFor(image);
  if (toolchain) {
    let prepared;
    try {
      prepared = await prepareToolchain(toolchain, context.toolchains);
    } catch (e: unknown) {
      throw new AttemptError(messageOf(e), false, { cause: e });
    }
    await mkdir(workDir, { recursive: true });
    return { image, cwd: workDir, ...prepared, inImage: (arg) => arg };
  }
  const local = await context.images.resolve(image);
  if (!local) {
    throw new AttemptError(
      `image "${image}" is not in the local image store and is none of the images the emulator runs with a ` +
        `local toolchain. Supported: ${SUPPORTED_IMAGES}. Build it first (Cloud Build \`docker build -t ${image} .\`).`,
    );
  }
  return {
    image,
    cwd: local.rootDir,
    entrypoint: local.entrypoint,
    cmd: local.cmd,
    env: local.env,
    pathPrefix: [],
    note: `${image} is ${local.digest} from the local image store`,
    inImage: (arg) => inImage(local, arg),
  };
}
