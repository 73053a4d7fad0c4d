/** A Pub/Sub message as both the pull subscriber and the push envelope deliver it. */
export interface IncomingMessage {
  /** Pub/Sub message id (unique per topic). */
  readonly id: string;
  readonly data: Buffer;
  readonly attributes: Readonly<Record<string, string>>;
  /** When Pub/Sub accepted the message. */
  readonly publishTime: Date;
  /** 1-based attempt when the subscription has a dead-letter policy, else 0. */
  readonly deliveryAttempt?: number | undefined;
}

/** Why a message was dead-lettered; the `reason` attribute of the dead letter. */
export const RejectReasons = {
  tooLarge: 'too-large',
  notJson: 'not-json',
  notObject: 'not-object',
  unknownPipeline: 'unknown-pipeline',
  invalidParameters: 'invalid-parameters',
  invalidRequest: 'invalid-request',
  /** A `spec` attribute while the bridge takes none, or one outside CONVEYOR_SPEC_PREFIXES. */
  specNotAllowed: 'spec-not-allowed',
} as const;

/** One of {@link RejectReasons}. */
export type RejectReason = (typeof RejectReasons)[keyof typeof RejectReasons];

/** Message attributes the bridge reads. */
export const Attributes = {
  pipeline: 'pipeline',
  runKey: 'runKey',
  branch: 'branch',
  commit: 'commit',
  spec: 'spec',
  /** `true` forces a new image build even when one exists for the commit. */
  rebuild: 'rebuild',
  /** `run` (the default) or `sweep`: what the body describes. */
  kind: 'kind',
} as const;

/** Values of the `kind` attribute. */
export const MessageKinds = {
  /** The body is a run's hyperparameters. */
  run: 'run',
  /** The body is a sweep: `{grid, parameters?, random?, parallel?, metric?, goal?}`. */
  sweep: 'sweep',
} as const;
