import type { Command } from 'commander';
import { pubsubClient, triggerEnv } from '../schedule/clients.ts';
import { FlagError } from '../schedule/options.ts';

interface PublishFlags {
  readonly topic?: string;
  readonly attr?: string[];
  readonly json?: boolean;
}

/** gRPC NOT_FOUND: the topic does not exist. */
const NOT_FOUND = 5;

const collect = (value: string, previous: string[] = []) => [...previous, value];

/**
 * `conveyor publish [--topic T] '<json>' [--attr k=v ...] [--json]`: the `gcloud pubsub topics
 * publish` of local mode. The body goes as given (the bridge validates it, as it would any
 * publisher's); only JSON syntax is checked here so a typo fails before it reaches the topic.
 */
export function registerPublish(program: Command): void {
  program
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
    .option('--json', 'print {messageId, topic} as JSON')
    .action(async (body: string, flags: PublishFlags) => {
      try {
        JSON.parse(body);
      } catch (e: unknown) {
        throw new FlagError('<json>', `not JSON: ${e instanceof Error ? e.message : String(e)}`);
      }
      const attributes: Record<string, string> = {};
      for (const a of flags.attr ?? []) {
        const i = a.indexOf('=');
        if (i <= 0) throw new FlagError('--attr', `'${a}' is not key=value`);
        attributes[a.slice(0, i)] = a.slice(i + 1);
      }
      const env = triggerEnv();
      const topic = flags.topic ?? env.CONVEYOR_TOPIC;
      const pubsub = pubsubClient(env);
      try {
        const messageId = await pubsub.topic(topic).publishMessage({ data: Buffer.from(body), attributes });
        console.log(flags.json ? JSON.stringify({ messageId, topic }) : messageId);
      } catch (e: unknown) {
        if (typeof e === 'object' && e !== null && (e as { code?: unknown }).code === NOT_FOUND) {
          throw new Error(
            `topic '${topic}' does not exist: start the bridge with CONVEYOR_ENSURE_RESOURCES=true (local stack) or create it`,
            { cause: e },
          );
        }
        throw e;
      } finally {
        await pubsub.close();
      }
    });
}
