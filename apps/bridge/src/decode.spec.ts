import { describe, expect, it } from 'vitest';
import { TriggerKeyNamespaces } from '@conveyor/contracts';
import { listPipelines } from '@conveyor/pipelines';
import { decodeMessage, type DecodeOptions } from './decode.ts';
import type { IncomingMessage } from './message.ts';

const options: DecodeOptions = {
  defaultPipeline: 'penguins',
  maxMessageBytes: 1024,
  repoUrl: '/repo',
  defaultBranch: 'main',
  triggerKind: 'pubsub',
};

function msg(body: string, attributes: Record<string, string> = {}): IncomingMessage {
  return { id: '42', data: Buffer.from(body), attributes, publishTime: new Date('2026-01-02T03:04:05Z') };
}

describe('decodeMessage', () => {
  it.each([
    ['numbers', '{"num_epochs": 3, "learning_rate": 1e-2}'],
    ['numeric strings', '{"num_epochs": "3", "learning_rate": "1e-2"}'],
  ])('types the original system’s %s', (_, body) => {
    const r = decodeMessage(msg(body), options);
    if (!r.ok) throw new Error(r.detail);
    expect(r.request.parameters).toEqual({ num_epochs: 3, learning_rate: 0.01 });
    // The message's order, so the run summary reads "penguins · num_epochs=3 learning_rate=0.01 · pubsub".
    expect(Object.keys(r.request.parameters)).toEqual(['num_epochs', 'learning_rate']);
    expect(r.request.pipeline).toBe('penguins');
    expect(r.request.trigger).toEqual({ kind: 'pubsub', id: '42', at: '2026-01-02T03:04:05.000Z' });
    expect(r.request.source).toEqual({ repoUrl: '/repo', branch: 'main' });
    expect(r.workflowId).toBe('penguins-msg-42');
  });

  it('keys emulator messages by id and publish time, since the emulator reuses ids after a restart', () => {
    const emulator = { ...options, messageIdsRestart: true };
    const first = decodeMessage(msg('{}'), emulator);
    const redelivered = decodeMessage(msg('{}'), emulator);
    const afterRestart = decodeMessage(
      { ...msg('{}'), publishTime: new Date('2026-01-03T00:00:00Z') },
      emulator,
    );
    if (!first.ok || !redelivered.ok || !afterRestart.ok) throw new Error('rejected');
    expect(first.workflowId).toBe(
      `penguins-msg-42-${new Date('2026-01-02T03:04:05Z').getTime().toString(36)}`,
    );
    expect(redelivered.workflowId).toBe(first.workflowId);
    expect(afterRestart.workflowId).not.toBe(first.workflowId);
    // A runKey stays the whole key: it is the user's idempotency key.
    const keyed = decodeMessage(msg('{}', { runKey: 'k1' }), emulator);
    expect(keyed.ok && keyed.workflowId).toBe('penguins-key-k1');
  });

  it('uses runKey, branch, commit and spec attributes', () => {
    const r = decodeMessage(
      msg('{}', {
        runKey: 'nightly/2026-01-02',
        branch: 'dev',
        commit: 'abcdef1',
        spec: 'gs://bkt/spec.json',
      }),
      { ...options, specPrefixes: ['gs://bkt/'] },
    );
    if (!r.ok) throw new Error(r.detail);
    if (r.kind !== 'run') throw new Error('not a run');
    expect(r.workflowId).toMatch(/^penguins-key-nightly-2026-01-02-[0-9a-f]{16}$/);
    expect(r.request.source).toEqual({ repoUrl: '/repo', branch: 'dev', commit: 'abcdef1' });
    expect(r.request.spec).toBe('gs://bkt/spec.json');
  });

  it.each([
    ['too-large', 'x'.repeat(2000), {}],
    ['not-json', '{num_epochs: 3}', {}],
    ['not-object', '[3]', {}],
    ['not-object', 'null', {}],
    ['not-object', '3', {}],
    ['invalid-parameters', '{"num_epochs": 3.5}', {}],
    ['invalid-parameters', '{"num_epochs": "abc"}', {}],
    ['invalid-parameters', '{"epochs": 3}', {}],
    ['unknown-pipeline', '{}', { pipeline: 'nope' }],
    ['invalid-request', '{}', { commit: 'not-a-sha' }],
  ])('rejects %s: %s', (reason, body, attributes) => {
    const r = decodeMessage(msg(body, attributes), options);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.reason).toBe(reason);
      expect(r.detail.length).toBeGreaterThan(0);
    }
  });

  it.each([
    ['{"num_epochs": 1e9}', 'num_epochs: expected at most 1000 (max), got 1000000000'],
    ['{"num_epochs": "-3"}', 'num_epochs: expected at least 1 (min), got "-3"'],
    ['{"learning_rate": 0}', 'learning_rate: expected more than 0 (exclusiveMin), got 0'],
    ['{"learning_rate": "2"}', 'learning_rate: expected at most 1 (max), got "2"'],
  ])('refuses hyperparameters outside their declared bounds: %s', (body, detail) => {
    expect(decodeMessage(msg(body), options)).toEqual({ ok: false, reason: 'invalid-parameters', detail });
  });

  it.each(['serving_root', 'data_uri', 'threshold'])(
    'refuses a message that sets the operator setting %s',
    (name) => {
      const value = name === 'threshold' ? 0.1 : 'gs://attacker-bucket/x';
      const r = decodeMessage(msg(JSON.stringify({ num_epochs: 3, [name]: value })), options);
      expect(r).toMatchObject({ ok: false, reason: 'invalid-parameters' });
      expect(r.ok ? '' : r.detail).toBe(
        `${name}: is an operator setting: a run may not set it (operators set it in the worker configuration)`,
      );
    },
  );

  it('refuses the spec attribute unless operators enabled it', () => {
    expect(decodeMessage(msg('{}', { spec: 'gs://bkt/specs/s.json' }), options)).toEqual({
      ok: false,
      reason: 'spec-not-allowed',
      detail:
        'the spec attribute is disabled on this bridge (operators enable it with CONVEYOR_SPEC_PREFIXES)',
    });
  });

  it.each([
    ['gs://bkt/specs/s.json', undefined],
    ['gs://bkt/specs', undefined],
    [
      'gs://bkt/other/s.json',
      'spec: gs://bkt/other/s.json is outside the allowed locations (gs://bkt/specs/)',
    ],
    [
      'gs://bkt/specs-evil/s.json',
      'spec: gs://bkt/specs-evil/s.json is outside the allowed locations (gs://bkt/specs/)',
    ],
    [
      'gs://bkt/specs/../other/s.json',
      'spec: a URI may not contain "..", got "gs://bkt/specs/../other/s.json"',
    ],
    ['http://b/specs/s.json', 'spec: expected a gs://bucket/object URI, got "http://b/specs/s.json"'],
  ])('with CONVEYOR_SPEC_PREFIXES, takes only specs under them: %s', (spec, detail) => {
    const r = decodeMessage(msg('{}', { spec }), { ...options, specPrefixes: ['gs://bkt/specs'] });
    if (detail === undefined) expect(r.ok && r.kind === 'run' && r.request.spec).toBe(spec);
    else expect(r).toEqual({ ok: false, reason: 'spec-not-allowed', detail });
  });

  it('reads the body as strict UTF-8', () => {
    // {"num_epochs": 3, "x\xff": 1}: a lenient decoder would turn the byte into U+FFFD and go on.
    const data = Buffer.concat([
      Buffer.from('{"num_epochs": 3, "x'),
      Buffer.from([0xff]),
      Buffer.from('": 1}'),
    ]);
    expect(decodeMessage({ ...msg(''), data }, options)).toEqual({
      ok: false,
      reason: 'not-json',
      detail: 'body is not valid UTF-8',
    });
  });

  it('says where the JSON breaks without quoting the body', () => {
    const r = decodeMessage(msg('{"token": "s3cr3t-value", oops}'), options);
    expect(r).toMatchObject({ ok: false, reason: 'not-json' });
    expect(r.ok ? '' : r.detail).toMatch(/^body is not JSON \(at position \d+\)$/);
    expect(decodeMessage(msg('{"a": '), options)).toMatchObject({
      detail: 'body is not JSON (unexpected end)',
    });
  });

  it('lists at most the first 20 problems and counts the rest', () => {
    const body = Object.fromEntries(
      Array.from({ length: 500 }, (_, i) => [`p${String(i).padStart(3, '0')}`, 1]),
    );
    const r = decodeMessage(msg(JSON.stringify(body)), { ...options, maxMessageBytes: 64 * 1024 });
    const detail = r.ok ? '' : r.detail;
    expect(detail.match(/unknown parameter/g)).toHaveLength(20);
    expect(detail).toMatch(/^p000: unknown parameter; .*; p019: unknown parameter; .*; and 480 more$/);
    expect(detail).not.toContain('p020');
  });

  it('names the bad parameter', () => {
    const r = decodeMessage(msg('{"num_epochs": 3.5}'), options);
    expect(r.ok ? '' : r.detail).toMatch(/^num_epochs: expected an integer/);
  });

  it.each([
    [{ rebuild: 'true' }, true],
    [{ rebuild: 'false' }, false],
    [{}, false],
  ])('takes rebuild from the attribute: %j', (attributes, rebuild) => {
    const r = decodeMessage(msg('{"num_epochs": 3}', attributes), options);
    expect(r.ok && r.request.rebuild).toBe(rebuild);
  });

  it.each([
    [{ rebuild: 'yes' }, 'rebuild: expected true or false'],
    [{ rebuild: 'TRUE' }, 'rebuild: expected true or false'],
    [{ kind: 'train' }, 'kind: expected run or sweep'],
  ])('refuses a bad attribute, naming it: %j', (attributes, detail) => {
    expect(decodeMessage(msg('{}', attributes), options)).toEqual({
      ok: false,
      reason: 'invalid-request',
      detail,
    });
  });

  it('keeps run keys and message ids apart: runKey=42 and message 42 are two runs', () => {
    const byId = decodeMessage(msg('{}'), options);
    const byKey = decodeMessage({ ...msg('{}', { runKey: '42' }), id: '43' }, options);
    expect(byId.ok && byId.workflowId).toBe('penguins-msg-42');
    expect(byKey.ok && byKey.workflowId).toBe('penguins-key-42');
  });

  it('can trust pipeline names to keep ids apart: no registered name is another one plus a namespace', () => {
    // `<pipeline>-<namespace>-<key>` is unambiguous as long as no pipeline is called, say, `penguins-key`.
    const names = listPipelines();
    const namespaces = Object.values(TriggerKeyNamespaces).map((n) => n.split('-')[0]);
    for (const a of names) {
      for (const b of names) {
        for (const ns of namespaces) expect(b.startsWith(`${a}-${ns}`)).toBe(false);
      }
    }
  });
});
