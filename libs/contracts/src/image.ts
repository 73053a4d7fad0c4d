import { z } from 'zod';
import { SourceSchema } from './request.ts';

/** Input of the `imageBuild` workflow. */
export const ImageBuildInputSchema = z.object({
  pipeline: z.string().min(1),
  /** Where to build from; `commit` is the full SHA the key names. */
  source: SourceSchema.extend({ commit: z.string().regex(/^[0-9a-f]{40}([0-9a-f]{24})?$/) }),
  /** Hex SHA-256 of the build config at that commit. */
  configSha256: z.string().regex(/^[0-9a-f]{64}$/),
  /** The image repository the build pushes to (part of the key). */
  repository: z.string().min(1),
  /** Skip the lookup of an existing image and build anew. */
  rebuild: z.boolean().default(false),
});
/** Input of the `imageBuild` workflow. */
export type ImageBuildInput = z.infer<typeof ImageBuildInputSchema>;

/** A workflow execution waiting for an image. */
export interface ImageSubscriber {
  readonly workflowId: string;
  readonly runId: string;
}

/**
 * The Temporal calls the image activities make: attach a run to the one `imageBuild` of its key
 * (signal-with-start), and detach it. A narrow seam: libs/platform implements it over
 * `@temporalio/client`, unit tests record the calls.
 */
export interface ImageWorkflows {
  /** Signals `imageBuild` `workflowId` that `subscriber` needs the image, starting it when not running. */
  subscribe(
    workflowId: string,
    input: ImageBuildInput,
    subscriber: ImageSubscriber,
  ): Promise<{ runId: string }>;
  /** Tells the `imageBuild` that `subscriber` no longer needs it; a closed one needs no telling. */
  unsubscribe(workflowId: string, subscriber: ImageSubscriber): Promise<void>;
}

/** The image a build produced (or an earlier build had produced, when `reused`). */
export interface BuiltImage {
  readonly uri: string;
  readonly digest: string;
  readonly buildId: string;
  readonly logUrl: string;
  /** True when no build ran: an earlier SUCCESS build's image was adopted. */
  readonly reused: boolean;
  /** Build duration in ms when this execution built it. */
  readonly durationMs?: number | undefined;
}

/** What `imageBuild` signals each subscriber: the image, or the failure (type from `ErrorTypes`). */
export type ImageAnswer =
  | { readonly ok: true; readonly image: BuiltImage }
  | { readonly ok: false; readonly type: string; readonly message: string };
