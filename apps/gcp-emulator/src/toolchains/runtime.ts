/**
 * How a process of a well-known image starts here: what goes first on PATH, the extra environment,
 * and the image's own ENTRYPOINT / CMD (what Docker runs when a caller gives no command).
 */
import { dirname } from 'node:path';
import type { Toolchain } from './images.ts';
import { venvEnv, type PythonVenvs } from './python-venvs.ts';

/** What preparing a toolchain needs. */
export interface ToolchainDeps {
  venvs: PythonVenvs;
  /** The gsutil / gcloud stand-ins (cloud-sdk and cloud-builder images): their directory and env. */
  shims: () => { dir: string; env: Record<string, string> };
}

/** A toolchain ready to run. */
export interface PreparedToolchain {
  /** Directories to put first on PATH (the venv's bin, the stand-ins, the emulator's Node). */
  pathPrefix: string[];
  env: Record<string, string>;
  /** The image's ENTRYPOINT and CMD (Docker semantics). */
  entrypoint: string[];
  cmd: string[];
  /** A line for the task or step log (which interpreter, which venv). */
  note: string;
}

/** @throws Error when the Python venv cannot be made */
export async function prepareToolchain(tc: Toolchain, deps: ToolchainDeps): Promise<PreparedToolchain> {
  const nodeDir = dirname(process.execPath);
  switch (tc.kind) {
    case 'python': {
      const venv = await deps.venvs.ensure(tc.ref, tc.version);
      return {
        pathPrefix: [venv.binDir, nodeDir],
        env: venvEnv(venv),
        entrypoint: [],
        cmd: ['python3'],
        note:
          `${tc.ref} runs on the host's Python ${venv.hostVersion} in the virtualenv ${venv.dir}` +
          (venv.versionNote ? ` (${venv.versionNote})` : ''),
      };
    }
    case 'node':
      return {
        pathPrefix: [nodeDir],
        env: {},
        entrypoint: [],
        cmd: ['node'],
        note: `node runs on Node ${process.versions.node}`,
      };
    case 'shell':
      return {
        pathPrefix: [nodeDir],
        env: {},
        entrypoint: [],
        cmd: [tc.shell],
        note: `the image runs on the local ${tc.shell}`,
      };
    case 'cloud-sdk': {
      const shims = deps.shims();
      return {
        pathPrefix: [shims.dir, nodeDir],
        env: shims.env,
        entrypoint: [],
        cmd: ['bash'],
        note: "gsutil and gcloud are the emulator's stand-ins (through the GCS emulator)",
      };
    }
    case 'cloud-builder': {
      const shims = deps.shims();
      return {
        pathPrefix: [shims.dir, nodeDir],
        env: shims.env,
        entrypoint: [tc.tool],
        cmd: [],
        note: `the image runs the local ${tc.tool}`,
      };
    }
  }
}
