// `conveyor doctor`: is the chosen target ready for Conveyor? Exit 0 when every check passes (warnings
// allowed), 3 when a service does not answer, 78 when something is set up or configured wrong.
import type { Command } from 'commander';
import { runChecks, type Check } from '../doctor/checks.ts';
import { ExitCodes } from '../common/errors.ts';
import { addOutputOption } from '../common/output.ts';
import { withSession, type SessionFlags } from '../common/session.ts';
import { addTargetOptions, describeTarget, type Target } from '../common/target.ts';
import { formatTable } from '../common/table.ts';

/** `doctor -o json`. */
export interface DoctorReport {
  readonly target: {
    readonly name: Target['name'];
    readonly chosenBy: string;
    readonly temporal: {
      readonly address: string;
      readonly namespace: string;
      readonly profile?: string | undefined;
    };
    readonly google: Target['google'];
  };
  /** True when no check failed. */
  readonly ok: boolean;
  readonly checks: readonly Check[];
}

const MARK: Record<Check['status'], string> = { ok: 'ok', fail: 'FAIL', warn: 'warn', skip: '-' };

/** `conveyor doctor`. */
export function registerDoctor(program: Command): void {
  const command = program
    .command('doctor')
    .description(
      'check the target: Temporal, namespace, search attributes, Pub/Sub topic and subscription, bucket, Cloud Build, Vertex AI, service account',
    )
    .action(async (flags: SessionFlags) =>
      withSession(flags, async (session) => {
        const checks = await runChecks(session);
        const { target } = session;
        const failed = checks.filter((c) => c.status === 'fail');
        const report: DoctorReport = {
          target: {
            name: target.name,
            chosenBy: target.chosenBy,
            temporal: {
              address: target.temporal.address,
              namespace: target.temporal.namespace,
              profile: target.temporal.profile,
            },
            google: target.google,
          },
          ok: failed.length === 0,
          checks,
        };
        session.printer.result(report, () =>
          [
            `target ${describeTarget(target)} (${target.chosenBy})`,
            '',
            formatTable(
              ['CHECK', '', 'DETAIL'],
              checks.map((c) => [c.name, MARK[c.status], c.detail]),
            ),
          ].join('\n'),
        );
        if (failed.length > 0)
          process.exitCode = failed.some((c) => c.unreachable) ? ExitCodes.unhealthy : ExitCodes.config;
      }),
    );
  addTargetOptions(addOutputOption(command));
}
