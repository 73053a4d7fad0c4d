import { describe, expect, it } from 'vitest';
import type { GithubPushEventInput } from '@conveyor/contracts';
import { branchMatches, decidePush, isSameRepository, repositoryIdentity, type PushRules } from './github.ts';

const HEAD = 'a'.repeat(40);
const rules: PushRules = {
  repoUrl: 'https://github.com/acme/models.git',
  branches: ['main'],
  pipelines: ['penguins'],
};

function push(over: Partial<GithubPushEventInput> = {}): GithubPushEventInput {
  const commit = (id: string, timestamp: string) => ({
    id,
    message: 'm',
    timestamp,
    author: { name: 'a', email: 'a@example.com' },
    committer: { name: 'a', email: 'a@example.com' },
  });
  return {
    ref: 'refs/heads/main',
    before: 'b'.repeat(40),
    after: HEAD,
    commits: [commit('c'.repeat(40), '2026-01-02T03:00:00+01:00'), commit(HEAD, '2026-01-02T04:05:06+01:00')],
    head_commit: commit(HEAD, '2026-01-02T04:05:06+01:00'),
    repository: {
      full_name: 'acme/models',
      clone_url: 'https://github.com/acme/models.git',
      ssh_url: 'git@github.com:acme/models.git',
      html_url: 'https://github.com/acme/models',
    },
    ...over,
  };
}

describe('decidePush', () => {
  it('trains the head commit once per pipeline, keyed by the delivery, with the head commit time', () => {
    const d = decidePush(push(), 'd-1', { ...rules, pipelines: ['penguins', 'tiny'] });
    if (d.kind !== 'start') throw new Error(JSON.stringify(d));
    expect(d.runs.map((r) => r.workflowId)).toEqual(['penguins-git-d-1', 'tiny-git-d-1']);
    expect(d.runs[0]?.request).toEqual({
      pipeline: 'penguins',
      parameters: {},
      source: { repoUrl: rules.repoUrl, branch: 'main', commit: HEAD },
      trigger: { kind: 'git', id: 'd-1', at: '2026-01-02T03:05:06.000Z' },
      labels: {},
      rebuild: false,
      promote: true,
    });
  });

  it('uses now when the head commit is missing or its time unreadable', () => {
    const now = Date.parse('2026-05-06T07:08:09Z');
    for (const over of [
      { head_commit: null },
      { head_commit: { ...push().head_commit!, timestamp: 'soon' } },
    ]) {
      const d = decidePush(push(over), 'd', rules, now);
      expect(d.kind === 'start' && d.runs[0]?.request.trigger.at).toBe('2026-05-06T07:08:09.000Z');
    }
  });

  it.each([
    ['a tag', { ref: 'refs/tags/v1' }, 'refs/tags/v1 is not a branch'],
    [
      'a deleted branch',
      { deleted: true, after: '0'.repeat(40), head_commit: null },
      'branch main was deleted',
    ],
    ['zeros after, without deleted', { after: '0'.repeat(40) }, 'branch main was deleted'],
    ['another branch', { ref: 'refs/heads/dev' }, 'branch dev is not one this bridge trains (main)'],
    [
      'another repository',
      {
        repository: {
          full_name: 'acme/other',
          clone_url: 'https://github.com/acme/other.git',
          html_url: 'https://github.com/acme/other',
        },
      },
      'push to acme/other, not to the repository this bridge builds (CONVEYOR_REPO_URL)',
    ],
  ])('ignores %s', (_, over, reason) => {
    expect(decidePush(push(over as Partial<GithubPushEventInput>), 'd', rules)).toEqual({
      kind: 'ignored',
      reason,
    });
  });

  it('names what is wrong with a payload that is not a push', () => {
    const d = decidePush({ zen: 'hi' }, 'd', rules);
    expect(d.kind).toBe('invalid');
    expect(d.kind === 'invalid' && d.detail).toMatch(/^ref: .*; before: .*; after: .*; repository: /);
    const bad = decidePush(push({ after: 'not-a-sha' }), 'd', rules);
    expect(bad).toEqual({ kind: 'invalid', detail: 'source.commit: commit must be a hexadecimal SHA' });
  });
});

describe('branchMatches', () => {
  it.each([
    ['main', ['main'], true],
    ['main', ['master'], false],
    ['release/1.2', ['release/*'], true],
    ['release/1.2/hotfix', ['release/*'], false],
    ['release/1.2/hotfix', ['release/**'], true],
    ['feature-x', ['main', 'feature-*'], true],
  ])('%s in %j: %s', (branch, patterns, expected) => {
    expect(branchMatches(branch, patterns)).toBe(expected);
  });
});

describe('repository matching', () => {
  it.each([
    'https://github.com/acme/models.git',
    'https://github.com/Acme/Models',
    'git@github.com:acme/models.git',
    'ssh://git@github.com:22/acme/models.git',
    'git://github.com/acme/models.git',
  ])('one GitHub repository, however it is spelt: %s', (url) => {
    expect(repositoryIdentity(url)).toBe('github.com/acme/models');
  });

  it('matches by any URL the payload carries, or by full name on github.com', () => {
    const repository = { full_name: 'acme/models', ssh_url: 'git@github.com:acme/models.git' };
    expect(isSameRepository('https://github.com/acme/models.git', repository)).toBe(true);
    expect(isSameRepository('https://github.com/acme/models', { full_name: 'acme/models' })).toBe(true);
    expect(isSameRepository('https://github.com/acme/models-fork', repository)).toBe(false);
    expect(isSameRepository('https://ghe.example.com/acme/models', { full_name: 'acme/models' })).toBe(false);
  });

  it('matches a local repository by the path in clone_url (bare, work tree or file:// URL)', () => {
    expect(
      isSameRepository('/srv/git/models.git', {
        full_name: 'local/models',
        clone_url: '/srv/git/models.git',
      }),
    ).toBe(true);
    expect(
      isSameRepository('/srv/git/models.git/', {
        full_name: 'local/models',
        clone_url: 'file:///srv/git/models.git',
      }),
    ).toBe(true);
    expect(
      isSameRepository('/home/me/models', { full_name: 'local/models', clone_url: '/home/me/models/.git' }),
    ).toBe(true);
    expect(
      isSameRepository('/srv/git/models.git', { full_name: 'local/models', clone_url: '/srv/git/other.git' }),
    ).toBe(false);
    expect(
      isSameRepository('/srv/git/models.git', {
        full_name: 'acme/models',
        clone_url: 'https://github.com/acme/models.git',
      }),
    ).toBe(false);
  });
});
