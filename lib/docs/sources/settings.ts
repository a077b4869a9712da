import { parseAudienceRules, type TAudienceRule } from '../../audiences';
import { ConfigError, defineSettings, optionalString } from '../../settings';
import { captureGroupCount, MAX_VERSION_CHARS } from '../parse/versions';

// What the sources share, whatever their kind: versioned docs (lib/docs/parse/versions.ts) and the token of the re-index hook.
// Each kind's own variables are in its folder's settings.ts, composed through the registry (./index.ts).

export type TSharedSourcesSettings = {
  /**
   * Versioned docs: `current`, DOCS_CURRENT_VERSION (null: the newest, lib/docs/parse/versions.ts); `pattern`,
   * DOCS_VERSION_PATTERN's source (checked: it compiles and has one capture group), or null. Absent when neither
   * is set.
   */
  versions?: { current: string | null; pattern: string | null };
  /** DOCS_REINDEX_TOKEN: the bearer token of `POST /api/docs/reindex`; null (or absent): the route is off (404). */
  reindexToken?: string | null;
  /** DOCS_AUDIENCES: audiences by index path, for every kind's pages (lib/audiences/paths.ts); absent or []: none. */
  audiences?: readonly TAudienceRule[];
};

export const sharedSourcesSettings = defineSettings(
  {
    // Versioned docs (lib/docs/parse/versions.ts): the version a search with no version asks for, and the pattern
    // (one capture group) that reads a version from a crawled page's URL or the page an embedded assistant is on.
    DOCS_CURRENT_VERSION: optionalString.refine((value) => value === undefined || value.length <= MAX_VERSION_CHARS, {
      message: `DOCS_CURRENT_VERSION must be at most ${MAX_VERSION_CHARS} characters`,
    }),
    DOCS_VERSION_PATTERN: optionalString.superRefine((value, ctx) => {
      const problem = value === undefined ? null : versionPatternProblem(value);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }),
    // `POST /api/docs/reindex` with `Authorization: Bearer <token>` re-reads every source at once (a deploy hook).
    // Unset: the route answers 404.
    DOCS_REINDEX_TOKEN: optionalString.refine((value) => value === undefined || value.length >= 16, {
      message: 'DOCS_REINDEX_TOKEN must be at least 16 characters',
    }),
    // Pages' audiences by index path, any kind: `staff=internal/**,beta=beta/**|preview/**` (lib/audiences/paths.ts).
    DOCS_AUDIENCES: optionalString,
  },
  (env): TSharedSourcesSettings => ({
    reindexToken: env.DOCS_REINDEX_TOKEN ?? null,
    ...audienceRulesOf(env.DOCS_AUDIENCES),
    ...(env.DOCS_CURRENT_VERSION !== undefined || env.DOCS_VERSION_PATTERN !== undefined
      ? { versions: { current: env.DOCS_CURRENT_VERSION ?? null, pattern: env.DOCS_VERSION_PATTERN ?? null } }
      : {}),
  }),
);

/** Why a DOCS_VERSION_PATTERN cannot be used (it does not compile, or has not exactly one capture group), or null. */
function versionPatternProblem(source: string): string | null {
  let pattern: RegExp;
  try {
    pattern = new RegExp(source);
  } catch (error) {
    return `not a regular expression: ${error instanceof Error ? error.message : String(error)}`;
  }
  const groups = captureGroupCount(pattern);
  return groups === 1 ? null : `must have exactly one capture group, the version (it has ${groups}): e.g. /docs/(\\d+\\.x)/`;
}

function audienceRulesOf(value: string | undefined): Pick<TSharedSourcesSettings, 'audiences'> {
  const rules = parseAudienceRules(value);
  if ('error' in rules) throw new ConfigError(`DOCS_AUDIENCES: ${rules.error}`);
  return rules.length > 0 ? { audiences: rules } : {};
}
