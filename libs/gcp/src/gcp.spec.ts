import { status as GrpcStatus } from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { GrpcCodes } from '@conveyor/contracts';
import { buildFromConfig } from './build-config.ts';
import { toBuildInfo } from './cloud-build.ts';
import { gapicClientOptions, parseGrpcEndpoint } from './endpoints.ts';
import { translateGrpcError, translateHttpError } from './errors.ts';
import { parseGsUri } from './uris.ts';
import { toPipelineJobInfo } from './vertex.ts';

describe('endpoints', () => {
  it('unset means Google Cloud (regional Vertex host), host:port an insecure emulator without metadata probe', () => {
    expect(parseGrpcEndpoint(undefined)).toEqual({ kind: 'google' });
    expect(gapicClientOptions({ kind: 'google' }, 'p', 'europe-west4-aiplatform.googleapis.com')).toEqual({
      apiEndpoint: 'europe-west4-aiplatform.googleapis.com',
      projectId: 'p',
    });
    const emulator = gapicClientOptions(parseGrpcEndpoint('127.0.0.1:8090'), 'p');
    expect(emulator).toMatchObject({
      apiEndpoint: '127.0.0.1',
      port: 8090,
      universeDomain: 'googleapis.com',
    });
    expect(emulator.sslCreds).toBeDefined();
    expect(() => parseGrpcEndpoint('nonsense')).toThrow(/host:port/);
  });
});

describe('buildFromConfig', () => {
  it('camel-cases fields, converts durations, keeps substitution names verbatim', () => {
    const build = buildFromConfig({
      steps: [{ name: 'bash', wait_for: ['-'], timeout: '90s', env: ['A_B=1'] }],
      substitutions: { _MY_VAR: 'x' },
      options: { substitution_option: 'ALLOW_LOOSE' },
      timeout: '1200s',
    });
    expect(build.steps?.[0]).toEqual({
      name: 'bash',
      waitFor: ['-'],
      timeout: { seconds: 90, nanos: 0 },
      env: ['A_B=1'],
    });
    expect(build.substitutions).toEqual({ _MY_VAR: 'x' });
    expect(build.options).toEqual({ substitutionOption: 'ALLOW_LOOSE' });
    expect(build.timeout).toEqual({ seconds: 1200, nanos: 0 });
  });
});

describe('normalisation', () => {
  it('reads build status numbers (operations) and names (getBuild) alike', () => {
    expect(toBuildInfo({ id: 'a', status: 3 }).status).toBe('SUCCESS');
    expect(toBuildInfo({ id: 'a', status: 'FAILURE', steps: [{ name: 'bash', status: 4 }] }).steps).toEqual([
      { id: 'bash', status: 'FAILURE' },
    ]);
  });

  it('drops the root DAG task and decodes artifact metadata and output parameters', () => {
    const job = toPipelineJobInfo({
      name: 'j',
      state: 4,
      jobDetail: {
        taskDetails: [
          { taskId: 1, taskName: 'pipe', state: 'SUCCEEDED' },
          {
            taskId: 2,
            parentTaskId: 1,
            taskName: 'train',
            state: 3,
            outputs: {
              metrics: {
                artifacts: [
                  {
                    uri: 'gs://m',
                    schemaTitle: 'system.Metrics',
                    metadata: { fields: { accuracy: { numberValue: 0.9 } } },
                  },
                ],
              },
            },
            execution: { metadata: { fields: { 'output:pushed_uri': { stringValue: 'gs://model' } } } },
          },
        ],
      },
    });
    expect(job.state).toBe('PIPELINE_STATE_SUCCEEDED');
    expect(job.tasks.map((t) => [t.name, t.state])).toEqual([['train', 'SUCCEEDED']]);
    expect(job.tasks[0]?.outputs['metrics']?.[0]?.metadata).toEqual({ accuracy: 0.9 });
    expect(job.tasks[0]?.executionMetadata).toEqual({ 'output:pushed_uri': 'gs://model' });
  });
});

describe('error translation', () => {
  it('classifies gRPC and HTTP errors, keeping the cause', () => {
    const cause = Object.assign(new Error('x'), { code: 14, details: 'try later' });
    const e = translateGrpcError('CloudBuild.getBuild', cause);
    expect(e).toMatchObject({
      kind: 'transient',
      code: 'UNAVAILABLE',
      retryable: true,
      operation: 'CloudBuild.getBuild',
    });
    expect(e.cause).toBe(cause);
    expect(translateGrpcError('x', { code: 7, details: 'no' })).toMatchObject({
      kind: 'permission-denied',
      retryable: false,
    });
    expect(translateGrpcError('x', { code: 6 })).toMatchObject({ kind: 'already-exists' });
    expect(translateHttpError('Storage.save', { code: 412, message: 'precondition' })).toMatchObject({
      kind: 'failed-precondition',
      code: '412',
    });
    expect(translateHttpError('Storage.save', { code: 503 })).toMatchObject({ retryable: true });
  });

  it('reads gRPC codes by the same numbers as grpc-js', () => {
    for (const [name, code] of Object.entries(GrpcCodes))
      expect(GrpcStatus[name as keyof typeof GrpcStatus]).toBe(code);
  });
});

describe('parseGsUri', () => {
  it('splits bucket and object', () => {
    expect(parseGsUri('gs://b/a/c.json')).toEqual({ bucket: 'b', object: 'a/c.json' });
    expect(() => parseGsUri('s3://b/x')).toThrow(/gs:\/\//);
  });
});
