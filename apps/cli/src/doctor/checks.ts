// `conveyor doctor`: checks the chosen target and says what is wrong, naming the variable or the
// permission. Each check has a time limit, so a service that never answers is reported, not waited on.
import { setTimeout as sleep } from 'node:timers/promises';
import { Connection } from '@temporalio/client';
import proto from '@temporalio/proto';
import { GrpcCodes, SearchAttributes, messageOf, numericCodeOf } from '@conveyor/contracts';
import { GcpError } from '@conveyor/gcp/errors';
import { parseGcsBucket } from '@conveyor/gcp/uris';
import type { Session } from '../common/session.ts';

/** One check's outcome. */
export interface Check {
  readonly name: string;
  readonly status: 'ok' | 'fail' | 'warn' | 'skip';
  /** What was found, or what is wrong and what to set. */
  readonly detail: string;
  /** The failure is a service not answering (exit 3) rather than a setting (exit 78). */
  readonly unreachable?: boolean;
}

/** A check that outlives this has no answer coming: the Google clients retry for minutes. */
const CHECK_TIMEOUT_MS = 10_000;
/** Temporal's own connect timeout for the first check: a reachable server answers in milliseconds. */
const CONNECT_TIMEOUT_MS = 5_000;

const ok = (name: string, detail: string): Check => ({ name, status: 'ok', detail });
const fail = (name: string, detail: string, unreachable = false): Check => ({
  name,
  status: 'fail',
  detail,
  ...(unreachable ? { unreachable } : {}),
});

class NoAnswer extends Error {}

async function bounded<T>(work: Promise<T>): Promise<T> {
  // Unref: a limit that was not needed must not keep the process alive.
  const timer = sleep(CHECK_TIMEOUT_MS, undefined, { ref: false }).then(() => {
    throw new NoAnswer(`no answer within ${CHECK_TIMEOUT_MS / 1000} s`);
  });
  return Promise.race([work, timer]);
}

/** gRPC codes by name, for the failures a check explains (the one table in contracts). */
const Code = { ...GrpcCodes, DEADLINE: GrpcCodes.DEADLINE_EXCEEDED } as const;

/** A Google call's failure as a check: the permission it needs, the variable naming a missing thing. */
function googleFailure(name: string, e: unknown, missing: string, permission: string, where: string): Check {
  const kind = e instanceof GcpError ? e.kind : undefined;
  const code = numericCodeOf(e);
  if (e instanceof NoAnswer || kind === 'transient' || code === Code.UNAVAILABLE || code === Code.DEADLINE)
    return fail(name, `${where} does not answer: ${messageOf(e)}`, true);
  if (kind === 'permission-denied' || code === Code.PERMISSION_DENIED || code === Code.UNAUTHENTICATED)
    return fail(name, `permission denied: the caller needs ${permission} (or the API is not enabled)`);
  if (kind === 'not-found' || code === Code.NOT_FOUND) return fail(name, missing);
  return fail(name, messageOf(e));
}

async function temporalChecks(session: Session): Promise<Check[]> {
  const t = session.target.temporal;
  let connection: Connection;
  try {
    connection = await Connection.connect({ ...t.connection, connectTimeout: CONNECT_TIMEOUT_MS });
  } catch (e: unknown) {
    return [
      fail(
        'temporal',
        `cannot reach Temporal at ${t.address}: ${messageOf(e)} (set TEMPORAL_ADDRESS or --address; TLS: TEMPORAL_API_KEY, TEMPORAL_TLS_CLIENT_CERT_PATH/KEY_PATH)`,
        true,
      ),
      { name: 'namespace', status: 'skip', detail: 'Temporal is not reachable' },
      { name: 'search attributes', status: 'skip', detail: 'Temporal is not reachable' },
    ];
  }
  const checks: Check[] = [ok('temporal', `reachable at ${t.address}`)];
  try {
    const ns = await bounded(connection.workflowService.describeNamespace({ namespace: t.namespace }));
    const days = Number(ns.config?.workflowExecutionRetentionTtl?.seconds ?? 0) / 86_400;
    checks.push(ok('namespace', `${t.namespace}${days ? ` (retention ${days} d)` : ''}`));
  } catch (e: unknown) {
    const code = numericCodeOf(e);
    checks.push(
      code === Code.NOT_FOUND
        ? fail(
            'namespace',
            `namespace '${t.namespace}' does not exist on ${t.address} (set TEMPORAL_NAMESPACE or --namespace)`,
          )
        : code === Code.PERMISSION_DENIED || code === Code.UNAUTHENTICATED
          ? fail(
              'namespace',
              `the credentials may not use namespace '${t.namespace}' (TEMPORAL_API_KEY or the mTLS certificate)`,
            )
          : fail('namespace', messageOf(e), e instanceof NoAnswer),
    );
  }
  try {
    const listed = await bounded(connection.operatorService.listSearchAttributes({ namespace: t.namespace }));
    const custom = listed.customAttributes ?? {};
    const keyword = proto.temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD;
    const missing = Object.values(SearchAttributes).filter((name) => custom[name] !== keyword);
    checks.push(
      missing.length === 0
        ? ok('search attributes', Object.values(SearchAttributes).join(', '))
        : fail(
            'search attributes',
            `not registered as Keyword: ${missing.join(', ')} (temporal operator search-attribute create --namespace ${t.namespace} ${missing.map((m) => `--name ${m}`).join(' ')} --type Keyword)`,
          ),
    );
  } catch (e: unknown) {
    checks.push({
      name: 'search attributes',
      status: 'warn',
      detail: `cannot list them (${messageOf(e)}); on Temporal Cloud check the namespace's search attributes`,
    });
  }
  await connection.close();
  return checks;
}

async function googleChecks(session: Session): Promise<Check[]> {
  const g = session.target.google;
  const project = g.projectId;
  if (!project)
    return [
      fail(
        'google',
        'GOOGLE_CLOUD_PROJECT is not set: the Pub/Sub, Cloud Storage, Cloud Build and Vertex checks need it',
      ),
    ];
  const checks: Check[] = [];
  const pubsubWhere = g.pubsubEmulatorHost
    ? `the Pub/Sub emulator (PUBSUB_EMULATOR_HOST=${g.pubsubEmulatorHost})`
    : 'Pub/Sub';
  for (const [name, exists, missing, permission] of [
    [
      'topic',
      async () => (await session.pubsub()).topic(g.topic).exists(),
      `topic '${g.topic}' (CONVEYOR_TOPIC) does not exist in project ${project}`,
      'pubsub.topics.get',
    ],
    [
      'subscription',
      async () => (await session.pubsub()).subscription(g.subscription).exists(),
      `subscription '${g.subscription}' (CONVEYOR_SUBSCRIPTION) does not exist in project ${project}`,
      'pubsub.subscriptions.get',
    ],
  ] as const) {
    try {
      const [found] = await bounded(exists());
      checks.push(
        found
          ? ok(name, `${name === 'topic' ? g.topic : g.subscription} in ${project}`)
          : fail(name, missing),
      );
    } catch (e: unknown) {
      checks.push(googleFailure(name, e, missing, permission, pubsubWhere));
    }
  }
  const root = g.pipelineRoot ?? '';
  const bucket = parseGcsBucket(root);
  const bucketMissing = `bucket ${bucket} of the pipeline root ${root} (CONVEYOR_PIPELINE_ROOT) does not exist`;
  try {
    checks.push(
      (await bounded(session.store().then((s) => s.bucketExists(bucket))))
        ? ok('bucket', `gs://${bucket} (pipeline root ${root})`)
        : fail('bucket', bucketMissing),
    );
  } catch (e: unknown) {
    checks.push(
      googleFailure(
        'bucket',
        e,
        bucketMissing,
        `storage.buckets.get on gs://${bucket}`,
        g.storageEndpoint ?? 'Cloud Storage',
      ),
    );
  }
  try {
    await bounded(session.builds().then((b) => b.listBuilds('tags="conveyor-doctor"')));
    checks.push(
      ok(
        'cloud build',
        `answers for project ${project}${g.cloudBuildEndpoint ? ` (emulator ${g.cloudBuildEndpoint})` : ''}`,
      ),
    );
  } catch (e: unknown) {
    checks.push(
      googleFailure(
        'cloud build',
        e,
        'Cloud Build API not found',
        'cloudbuild.builds.list (roles/cloudbuild.builds.viewer)',
        g.cloudBuildEndpoint ?? 'the Cloud Build API',
      ),
    );
  }
  try {
    await bounded(session.vertex().then((v) => v.listPipelineJobs('labels.conveyor_doctor="1"')));
    checks.push(
      ok(
        'vertex ai',
        `answers in ${g.region}${g.aiplatformEndpoint ? ` (emulator ${g.aiplatformEndpoint})` : ''}`,
      ),
    );
  } catch (e: unknown) {
    checks.push(
      googleFailure(
        'vertex ai',
        e,
        `no Vertex AI in region ${g.region} (CONVEYOR_REGION)`,
        'aiplatform.pipelineJobs.list (roles/aiplatform.viewer)',
        g.aiplatformEndpoint ?? 'the Vertex AI API',
      ),
    );
  }
  checks.push(serviceAccountCheck(session));
  return checks;
}

/** The service account pipeline jobs run as (the worker's CONVEYOR_SERVICE_ACCOUNT; set the same here). */
function serviceAccountCheck(session: Session): Check {
  const account = session.target.google.serviceAccount;
  if (session.target.name === 'local' && !account)
    return { name: 'service account', status: 'skip', detail: 'the emulators run jobs as no one' };
  if (!account)
    return {
      name: 'service account',
      status: 'warn',
      detail:
        'CONVEYOR_SERVICE_ACCOUNT is unset: Vertex runs jobs as the Compute Engine default service account; set the worker’s (and this) to a dedicated one',
    };
  if (!/^[a-z0-9-]+@[a-z0-9.-]+\.gserviceaccount\.com$/.test(account))
    return fail(
      'service account',
      `CONVEYOR_SERVICE_ACCOUNT '${account}' is not a service account email (name@project.iam.gserviceaccount.com)`,
    );
  return ok('service account', `${account} (the worker needs iam.serviceAccounts.actAs on it)`);
}

/** Runs every check of the target. */
export async function runChecks(session: Session): Promise<Check[]> {
  return [...(await temporalChecks(session)), ...(await googleChecks(session))];
}
