// "Handle one message": decode → dead-letter or start → an outcome the transport turns into
// ack/nack (pull) or an HTTP status (push). I/O comes in through MessageHandlerDeps so tests pass fakes.
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { MAX_LISTED_PROBLEMS } from '@conveyor/pipeline/spec';
import { DeadLetterRefusedError } from './dead-letter.ts';
import { decodeMessage, type DecodeOptions, type Decoded } from './decode.ts';
import type { IncomingMessage, RejectReason } from './message.ts';
import type { BridgeStats } from './stats.ts';
import { cutUtf8 } from './utf8.ts';

/** A logged detail is cut like the dead letter's own `detail` attribute. */
export const LOGGED_DETAIL_BYTES = 1024;

/**
 * What happened to a message; `retry` means give it back to Pub/Sub. `dropped`: invalid, and Pub/Sub
 * refused even a minimal dead letter for it, so retrying could never help (logged as an error).
 */
export type Outcome = 'started' | 'duplicate' | 'dead-lettered' | 'dropped' | 'retry';

/** Minimal logger (pino's shape). */
export interface HandlerLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/** The outside world of the handler. */
export interface MessageHandlerDeps {
  /**
   * Starts the run or sweep (startTrainingRun / startTrainingSweep); throws
   * WorkflowExecutionAlreadyStartedError on a finished duplicate.
   */
  readonly start: (decoded: Decoded) => Promise<unknown>;
  /** Publishes the message to the dead-letter topic with the reason; throws when that fails. */
  readonly deadLetter: (message: IncomingMessage, reason: RejectReason, detail: string) => Promise<unknown>;
  readonly stats: BridgeStats;
  readonly log: HandlerLog;
  readonly options: Omit<DecodeOptions, 'triggerKind'>;
  /** @default Date.now */
  readonly now?: () => number;
}

/** Handles one message for a trigger kind. */
export type MessageHandler = (
  message: IncomingMessage,
  kind: DecodeOptions['triggerKind'],
) => Promise<Outcome>;

/** An error for a log line: its name and message, and its cause's message (the SDK wraps gRPC errors). */
export function describeError(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  // The SDK wraps gRPC errors ("Failed to start Workflow"); the cause says what really happened.
  const cause = e.cause instanceof Error ? ` (${e.cause.message})` : '';
  return `${e.name}: ${e.message}${cause}`;
}

/**
 * Builds the handler. It never throws: every failure maps to an outcome. A message is acked only
 * after a start returned, a duplicate was proven, or the dead letter was published.
 */
export function createMessageHandler(deps: MessageHandlerDeps): MessageHandler {
  const now = deps.now ?? Date.now;
  const { stats, log } = deps;
  return async (message, kind) => {
    stats.received++;
    stats.inFlight++;
    try {
      const decoded = decodeMessage(message, { ...deps.options, triggerKind: kind });
      if (!decoded.ok) {
        try {
          await deps.deadLetter(message, decoded.reason, decoded.detail);
        } catch (e: unknown) {
          if (e instanceof DeadLetterRefusedError) {
            stats.dropped++;
            log.error(
              { messageId: message.id, reason: decoded.reason, error: describeError(e) },
              'invalid message dropped: Pub/Sub refused its dead letter, even a minimal one',
            );
            return 'dropped';
          }
          stats.nacked++;
          log.warn(
            { messageId: message.id, reason: decoded.reason, error: describeError(e) },
            'dead-letter publish failed; will retry',
          );
          return 'retry';
        }
        stats.deadLettered++;
        // Bounded and value-free: attribute values and the body are the publisher's, not the log's.
        const names = Object.keys(message.attributes);
        log.warn(
          {
            messageId: message.id,
            reason: decoded.reason,
            detail: cutUtf8(decoded.detail, LOGGED_DETAIL_BYTES),
            attributeNames: names.slice(0, MAX_LISTED_PROBLEMS),
            attributeCount: names.length,
          },
          'invalid message dead-lettered',
        );
        return 'dead-lettered';
      }
      const t0 = now();
      try {
        await deps.start(decoded);
      } catch (e: unknown) {
        if (e instanceof WorkflowExecutionAlreadyStartedError) {
          stats.duplicates++;
          log.info(
            { messageId: message.id, workflowId: decoded.workflowId },
            'duplicate: run already exists',
          );
          return 'duplicate';
        }
        stats.nacked++;
        log.warn(
          { messageId: message.id, workflowId: decoded.workflowId, error: describeError(e) },
          'start failed; will retry',
        );
        return 'retry';
      }
      stats.started++;
      stats.recordStartLatency(now() - t0);
      log.info(
        { messageId: message.id, workflowId: decoded.workflowId, kind, workflow: decoded.kind },
        decoded.kind === 'sweep' ? 'sweep started' : 'run started',
      );
      return 'started';
    } finally {
      stats.inFlight--;
    }
  };
}
