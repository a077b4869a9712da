import { ConfigError, defineSettings, optionalString, optionalUrl } from '../../settings';

// Where drafted docs fixes are opened (./drafts.ts): DOCS_REPO (owner/name), the folder of DOCS_DIR in it
// (DOCS_REPO_PATH, e.g. content/docs) and the base branch (DOCS_REPO_BRANCH), with GITHUB_TOKEN and GITHUB_API_URL
// (which the GitHub source kind reads too, lib/docs/sources/github/settings.ts).

export type TDocsRepoConfig = {
  owner: string;
  name: string;
  /** The folder of DOCS_DIR in the repository ('' : its root), without slashes at either end. */
  path: string;
  branch: string;
  /** GITHUB_TOKEN: never logged nor sent to a client. */
  token: string | null;
  apiUrl: string;
};

export const docsRepoSettings = defineSettings(
  {
    DOCS_REPO: optionalString.refine((value) => value === undefined || /^[A-Za-z0-9][A-Za-z0-9-]{0,38}\/[A-Za-z0-9._-]{1,100}$/.test(value), {
      message: 'DOCS_REPO must be owner/name',
    }),
    DOCS_REPO_PATH: optionalString.refine((value) => value === undefined || !/(^|\/)\.\.(\/|$)/.test(value), { message: 'DOCS_REPO_PATH must stay inside the repository' }),
    DOCS_REPO_BRANCH: optionalString,
    GITHUB_TOKEN: optionalString,
    GITHUB_API_URL: optionalUrl('GITHUB_API_URL'),
  },
  (env): { docsRepo: TDocsRepoConfig | null } => {
    if (env.DOCS_REPO === undefined) {
      for (const name of ['DOCS_REPO_PATH', 'DOCS_REPO_BRANCH'] as const) {
        if (env[name] !== undefined) throw new ConfigError(`${name} is set but DOCS_REPO is missing: name the docs repository (owner/name)`);
      }
      return { docsRepo: null };
    }
    const [owner = '', name = ''] = env.DOCS_REPO.split('/');
    return {
      docsRepo: {
        owner,
        name,
        path: (env.DOCS_REPO_PATH ?? '').replace(/^\/+|\/+$/g, ''),
        branch: env.DOCS_REPO_BRANCH ?? 'main',
        token: env.GITHUB_TOKEN ?? null,
        apiUrl: (env.GITHUB_API_URL ?? 'https://api.github.com').replace(/\/+$/, ''),
      },
    };
  },
);
