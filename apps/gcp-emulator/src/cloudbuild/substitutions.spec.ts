import { describe, expect, it } from 'vitest';
import { createSubstituter, type SubstitutionInput } from './substitutions.ts';

const builtIns: SubstitutionInput['builtIns'] = {
  PROJECT_ID: 'p1',
  PROJECT_NUMBER: '123',
  BUILD_ID: 'b-1',
  LOCATION: 'global',
};

describe('createSubstituter', () => {
  it('expands built-ins and user keys in both forms, keeps $$ as $', () => {
    const s = createSubstituter({
      builtIns,
      user: { _TAG: 'v1', COMMIT_SHA: 'abcdef0123' },
      mode: 'MUST_MATCH',
    });
    expect(s.apply('gcr.io/$PROJECT_ID/app:${_TAG}-$SHORT_SHA $$HOME ${BUILD_ID}x')).toBe(
      'gcr.io/p1/app:v1-abcdef0 $HOME b-1x',
    );
    expect(s.apply('$BRANCH_NAME|$REVISION_ID')).toBe('|abcdef0123');
    s.checkAllUsed();
  });

  it('rejects a user key that breaks the naming rule, naming it', () => {
    expect(() => createSubstituter({ builtIns, user: { _lower: 'x' }, mode: 'MUST_MATCH' })).toThrow(
      /"_lower"/,
    );
    expect(() => createSubstituter({ builtIns, user: { FOO: 'x' }, mode: 'ALLOW_LOOSE' })).toThrow(/"FOO"/);
  });

  it('MUST_MATCH fails on an unknown reference and on an unused key; ALLOW_LOOSE does not', () => {
    const strict = createSubstituter({ builtIns, user: { _UNUSED: 'x' }, mode: 'MUST_MATCH' });
    expect(() => strict.apply('echo $_MISSING')).toThrow(/"_MISSING"/);
    expect(() => strict.checkAllUsed()).toThrow(/"_UNUSED"/);
    const loose = createSubstituter({ builtIns, user: { _UNUSED: 'x' }, mode: 'ALLOW_LOOSE' });
    expect(loose.apply('a${_MISSING}b')).toBe('ab');
    expect(() => loose.checkAllUsed()).not.toThrow();
  });
});
