import { RpcError } from '../rpc-error.ts';
import { status } from '@grpc/grpc-js';

/** User-defined substitution keys must look like this (Cloud Build's rule). */
export const USER_KEY = /^_[A-Z0-9_]+$/;

/** Built-ins a caller may supply values for on a manual build (what a trigger would otherwise fill). */
export const OVERRIDABLE_BUILT_INS = [
  'COMMIT_SHA',
  'SHORT_SHA',
  'REVISION_ID',
  'BRANCH_NAME',
  'TAG_NAME',
  'REF_NAME',
  'REPO_NAME',
  'REPO_FULL_NAME',
  'TRIGGER_NAME',
  'TRIGGER_BUILD_CONFIG_PATH',
] as const;

/** Every built-in substitution; the ones a manual build does not know expand to ''. */
export const BUILT_INS = [
  'PROJECT_ID',
  'PROJECT_NUMBER',
  'BUILD_ID',
  'LOCATION',
  'SERVICE_ACCOUNT_EMAIL',
  'SERVICE_ACCOUNT',
  ...OVERRIDABLE_BUILT_INS,
] as const;

/** `$$`, `${KEY}` or `$KEY`. */
const REFERENCE = /\$(\$|\{([A-Za-z0-9_]+)\}|([A-Za-z_][A-Za-z0-9_]*))/g;

/** What a build supplies. */
export interface SubstitutionInput {
  builtIns: {
    PROJECT_ID: string;
    PROJECT_NUMBER: string;
    BUILD_ID: string;
    LOCATION: string;
    SERVICE_ACCOUNT?: string;
  };
  /** `build.substitutions` as sent. */
  user: Record<string, string>;
  /** `options.substitutionOption`. */
  mode: 'MUST_MATCH' | 'ALLOW_LOOSE';
}

/** The substituter for one build: `apply` expands a template; `checkAllUsed` enforces MUST_MATCH. */
export interface Substituter {
  /** The full key → value map in force (built-ins + user values). */
  readonly values: Readonly<Record<string, string>>;
  /** Expands a template. @throws RpcError INVALID_ARGUMENT on an unknown key under MUST_MATCH. */
  apply(template: string): string;
  /** @throws RpcError INVALID_ARGUMENT naming a user key no template used (MUST_MATCH only). */
  checkAllUsed(): void;
}

function invalid(message: string): RpcError {
  return new RpcError(status.INVALID_ARGUMENT, message);
}

/**
 * Validates the keys and builds the substituter, following Cloud Build: user keys match
 * `^_[A-Z0-9_]+$` or are an overridable built-in; `SHORT_SHA` and `REVISION_ID` default from
 * `COMMIT_SHA`; an unknown reference fails under MUST_MATCH and expands to '' under ALLOW_LOOSE.
 * @throws RpcError INVALID_ARGUMENT naming the offending key.
 */
export function createSubstituter(input: SubstitutionInput): Substituter {
  const overridable: readonly string[] = OVERRIDABLE_BUILT_INS;
  for (const key of Object.keys(input.user)) {
    if (!USER_KEY.test(key) && !overridable.includes(key)) {
      throw invalid(
        `invalid substitution key "${key}": user-defined keys must match ^_[A-Z0-9_]+$ (built-ins that may be set: ${OVERRIDABLE_BUILT_INS.join(', ')})`,
      );
    }
  }
  const values: Record<string, string> = Object.fromEntries(BUILT_INS.map((key) => [key, '']));
  Object.assign(values, input.builtIns, input.user);
  const commit = values.COMMIT_SHA ?? '';
  if (commit && !input.user.SHORT_SHA) values.SHORT_SHA = commit.slice(0, 7);
  if (commit && !input.user.REVISION_ID) values.REVISION_ID = commit;
  if (input.builtIns.SERVICE_ACCOUNT)
    values.SERVICE_ACCOUNT_EMAIL = input.builtIns.SERVICE_ACCOUNT.split('/').pop() ?? '';

  const used = new Set<string>();
  return {
    values,
    apply(template: string): string {
      return template.replace(REFERENCE, (whole: string, token: string, braced?: string, bare?: string) => {
        if (token === '$') return '$';
        const key = braced ?? bare ?? '';
        used.add(key);
        const value = values[key];
        if (value !== undefined) return value;
        if (input.mode === 'ALLOW_LOOSE') return '';
        throw invalid(
          `key in the template "${key}" is not a valid built-in substitution and is not matched in the substitution list (escape a literal $ as $$, or set options.substitutionOption ALLOW_LOOSE)`,
        );
      });
    },
    checkAllUsed(): void {
      if (input.mode === 'ALLOW_LOOSE') return;
      for (const key of Object.keys(input.user)) {
        if (USER_KEY.test(key) && !used.has(key)) {
          throw invalid(
            `key "${key}" in the substitution data is not matched in the template (set options.substitutionOption ALLOW_LOOSE to allow unused substitutions)`,
          );
        }
      }
    },
  };
}
