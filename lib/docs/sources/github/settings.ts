import { z } from 'zod';
import { AUDIENCE_NAME } from '../../../audiences';
import { privacySettings } from '../../../privacy/settings';
import { ConfigError, defineSettings, intInRange, isSet, optionalString, optionalUrl } from '../../../settings';

// The GitHub kind's settings: the repositories whose issues, pull requests and discussions are indexed
// (GITHUB_REPOS: owner/name, several separated by commas), read with GITHUB_TOKEN at GITHUB_API_URL (GitHub
// Enterprise's REST root, https://host/api/v3). The drafted docs fixes use the token and the URL too
// (lib/maintainers/gaps/settings.ts, DOCS_REPO).

export type TGithubConfig = {
  repos: { owner: string; name: string }[];
  /** Never logged nor sent to a client: only lib/github/client.ts reads it. */
  token: string | null;
  apiUrl: string;
  intervalMinutes: number;
  /** Private repositories are indexed only when on; otherwise one that is (or becomes) private leaves the index. */
  isPrivateIncluded: boolean;
  /** The audience a private repository's threads have (GITHUB_PRIVATE_AUDIENCE, lib/audiences); null: maintainers only. */
  privateAudience?: string | null;
  /** The masking readers' messages get (PII_MASKING, PII_EXTRA_PATTERNS), applied to every thread's text. */
  privacy: { isMasking: boolean; extraPatterns: readonly string[] };
};

/** GitHub's issues, pull requests and discussions (GITHUB_REPOS); null when no repository is set. */
export type TGithubSettings = { github: TGithubConfig | null };

export const githubSettings = defineSettings(
  {
    GITHUB_REPOS: optionalString
      .transform((value) => (value === undefined ? [] : value.split(',').map((repo) => repo.trim()).filter((repo) => repo !== '')))
      .refine((repos) => repos.every((repo) => /^[A-Za-z0-9][A-Za-z0-9-]{0,38}\/[A-Za-z0-9._-]{1,100}$/.test(repo)), {
        message: 'GITHUB_REPOS must be owner/name pairs separated by commas',
      }),
    GITHUB_TOKEN: optionalString,
    GITHUB_API_URL: optionalUrl('GITHUB_API_URL'),
    GITHUB_SYNC_INTERVAL_MINUTES: intInRange(30, 1, 10_080),
    GITHUB_INCLUDE_PRIVATE: z.enum(['on', 'off']).default('off').or(z.literal('').transform(() => 'off' as const)),
    // Who may read a private repository's threads (an audience, lib/audiences); unset: maintainers only.
    GITHUB_PRIVATE_AUDIENCE: optionalString.refine((value) => value === undefined || AUDIENCE_NAME.test(value), {
      message: 'GITHUB_PRIVATE_AUDIENCE must be an audience name (letters, digits and ._:-)',
    }),
  },
  (env, context): TGithubSettings => {
    if (env.GITHUB_REPOS.length === 0) {
      for (const name of ['GITHUB_TOKEN', 'GITHUB_API_URL'] as const) {
        // DOCS_REPO (drafted docs fixes) and HANDOFF_GITHUB_REPO (hand-offs, lib/handoff) use them too: then they are
        // no sign of a forgotten GITHUB_REPOS.
        // GITHUB_CODE_REPOS (the code kind, ../code/settings.ts) too.
        if (env[name] !== undefined && !isSet(context.source.DOCS_REPO) && !isSet(context.source.HANDOFF_GITHUB_REPO) && !isSet(context.source.GITHUB_CODE_REPOS)) {
          throw new ConfigError(`${name} is set but GITHUB_REPOS is missing: name the repositories to index (owner/name, separated by commas)`);
        }
      }
      if (env.GITHUB_INCLUDE_PRIVATE === 'on' && !isSet(context.source.GITHUB_CODE_REPOS)) throw new ConfigError('GITHUB_INCLUDE_PRIVATE is on but GITHUB_REPOS is missing');
      return { github: null };
    }
    if (env.GITHUB_INCLUDE_PRIVATE === 'on' && env.GITHUB_TOKEN === undefined) {
      throw new ConfigError('GITHUB_INCLUDE_PRIVATE is on but GITHUB_TOKEN is missing: private repositories are read only with a token');
    }
    return {
      github: {
        repos: [...new Set(env.GITHUB_REPOS)].map((repo) => {
          const [owner = '', name = ''] = repo.split('/');
          return { owner, name };
        }),
        token: env.GITHUB_TOKEN ?? null,
        apiUrl: (env.GITHUB_API_URL ?? 'https://api.github.com').replace(/\/+$/, ''),
        intervalMinutes: env.GITHUB_SYNC_INTERVAL_MINUTES,
        isPrivateIncluded: env.GITHUB_INCLUDE_PRIVATE === 'on',
        privateAudience: env.GITHUB_PRIVATE_AUDIENCE ?? null,
        privacy: privacySettings.parse(context.source, context),
      },
    };
  },
);
