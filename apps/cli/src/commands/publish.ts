import type { Command } from 'commander';
import { messageOf } from '@conveyor/contracts';
import { FlagError } from '../common/errors.ts';
import { collect, parsePairs } from '../common/flags.ts';
import { addOutputOption } from '../common/output.ts';
import { withSession, type SessionFlags } from '../common/session.ts';
import { addTargetOptions } from '../common/target.ts';

interface PublishFlags extends SessionFlags {
  readonly topic?: string;
  readonly attr?: string[];
}

/** gRPC NOT_FOUND: the topic does not exist. */
const NOT_FOUND = 5;

/**
 * `conveyor publish [--topic T] '<json>' [--attr k=v ...]`: `gcloud pubsub topics publish` on the
 * chosen target. The body goes as given (the bridge validates it, as it would any publisher's); only
 * JSON syntax is checked here so a typo fails before it reaches the topic.
 */
export function registerPublish(program: Command): void {
  const command = program
    .command('publish')
    .description(
      'publish a training message (hyperparameters JSON) to the Conveyor topic; prints the message id',
    )
    .argument('<json>', 'message body, e.g. \'{"num_epochs": 3, "learning_rate": 1e-2}\'')
    .option('--topic <name>', 'topic (default CONVEYOR_TOPIC or conveyor-training)')
    .option(
      '--attr <key=value>',
      'message attribute: pipeline, runKey, branch, commit, spec, … (repeatable)',
      collect,
    )
    .action(async (body: string, flags: PublishFlags) => {
      try {
        JSON.parse(body);
      } catch (e: unknown) {
        throw new FlagError('<json>', `not JSON: ${messageOf(e)}`);
      }
      const attributes = parsePairs(flags.attr, '--attr');
      await withSession(flags, async (s) => {
        const topic = flags.topic ?? s.target.google.topic;
        try {
          const messageId = await (
            await s.pubsub()
          )
            .topic(topic)
            .publishMessage({ data: Buffer.from(body), attributes });
          s.printer.result({ messageId, topic }, () => messageId);
        } catch (e: unknown) {
          if (typeof e === 'object' && e !== null && (e as { code?: unknown }).code === NOT_FOUND) {
            throw new Error(
              `topic '${topic}' does not exist in project ${s.target.google.projectId}: start the bridge with CONVEYOR_ENSURE_RESOURCES=true (local stack) or create it`,
              { cause: e },
            );
          }
          throw e;
        }
      });
    });
  addTargetOptions(addOutputOption(command));
}
