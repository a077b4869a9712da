import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { AUDIENCE_NAME } from '../../../audiences';
import { ConfigError, defineSettings, intInRange, optionalString, optionalUrl } from '../../../settings';

// The code kind's settings (issue 70). DOCS_CODE_DIR: a checkout whose source is indexed, one section per symbol.
// DOCS_CODE_INCLUDE / DOCS_CODE_EXCLUDE: globs (relative to the checkout, separated by commas) of the files read;
// the exclusions add to defaults that skip tests, stories, fixtures, mocks, build output, type declarations and
// vendored code. TypeScript, JavaScript, Python, Go and Rust files are read by default. DOCS_CODE_REPO (owner/name) and DOCS_CODE_REF (a commit, tag or branch) say where the code is
// published, so that a citation opens the lines on GitHub at the indexed commit; without DOCS_CODE_REF the checkout's
// .git says which commit it is. Without DOCS_CODE_REPO the code is cited on the site's own source page.
// GITHUB_CODE_REPOS (owner/name@ref, separated by commas; no @ref: the default branch): repositories read through
// GitHub's API (./github.ts) with the GitHub kind's token and API URL, re-read every GITHUB_SYNC_INTERVAL_MINUTES, with
// the same globs; a private one only with GITHUB_INCLUDE_PRIVATE=on, its code for GITHUB_PRIVATE_AUDIENCE (else the
// maintainers), as its threads are. Those variables are the GitHub kind's (../github/settings.ts), read with the same rules.

export const DEFAULT_CODE_INCLUDE = ['**/*.{ts,tsx,mts,cts,js,jsx,mjs,cjs,py,go,rs}'];

/** What no index of a repository's source wants: tests, stories, fixtures, mocks, build output, declarations, vendored code. */
export const DEFAULT_CODE_EXCLUDE = [
  '**/node_modules/**',
  '**/.git/**',
  '**/{dist,build,out,lib-cjs,esm,cjs,coverage,.next,.turbo,.cache,target,__pycache__,.venv,venv,.tox,site-packages}/**',
  '**/{vendor,vendors,third_party,third-party,external}/**',
  '**/{test,tests,__tests__,spec,__specs__,__mocks__,mocks,fixtures,__fixtures__,stories,__stories__,e2e,cypress,testdata,benches}/**',
  '**/*.{test,spec,stories,story,fixture,bench}.*',
  '**/{test_*.py,*_test.py,conftest.py,*_test.go}',
  '**/*.d.ts',
  '**/*.min.js',
  '**/*.generated.*',
];

export type TCodeConfig = {
  /** The checkout, absolute. */
  dir: string;
  include: string[];
  exclude: string[];
  /** owner/name on GitHub; null: cited on the site's own source page. */
  repo: { owner: string; name: string } | null;
  /** The commit, tag or branch the links name; null: the checkout's .git HEAD (else the site's own page). */
  ref: string | null;
  /** A file larger than this is not parsed (generated code, bundles). */
  maxFileBytes: number;
  intervalMinutes: number;
};

/** Repositories whose code is read through GitHub's API (GITHUB_CODE_REPOS). */
export type TGithubCodeConfig = {
  repos: { owner: string; name: string; ref: string | null }[];
  include: string[];
  exclude: string[];
  maxFileBytes: number;
  /** Never logged nor sent to a client: only lib/github/client.ts reads it. */
  token: string | null;
  apiUrl: string;
  intervalMinutes: number;
  isPrivateIncluded: boolean;
  /** The audience a private repository's code has; null: maintainers only. */
  privateAudience: string | null;
};

/**
 * A repository's source as a docs source: a checkout (DOCS_CODE_DIR), repositories on GitHub (GITHUB_CODE_REPOS);
 * each null (or absent) when unset.
 */
export type TCodeSettings = { code?: TCodeConfig | null; codeRepos?: TGithubCodeConfig | null };

/** Whether any code is indexed from this configuration: a checkout or a GitHub repository (what read_file reads). */
export function hasCodeSource(settings: TCodeSettings): boolean {
  return Boolean(settings.code || settings.codeRepos);
}

const REPO_NAME = /^[A-Za-z0-9][A-Za-z0-9-]{0,38}\/[A-Za-z0-9._-]{1,100}$/;
const REF_NAME = /^[A-Za-z0-9._/-]{1,200}$/;

const globList = (value: string | undefined) => (value ?? '').split(',').map((glob) => glob.trim()).filter((glob) => glob !== '');

const CODE_ENV = {
  DOCS_CODE_DIR: optionalString,
  DOCS_CODE_INCLUDE: optionalString,
  DOCS_CODE_EXCLUDE: optionalString,
  DOCS_CODE_REPO: optionalString.refine((value) => value === undefined || REPO_NAME.test(value), {
    message: 'DOCS_CODE_REPO must be owner/name',
  }),
  DOCS_CODE_REF: optionalString.refine((value) => value === undefined || REF_NAME.test(value), {
    message: 'DOCS_CODE_REF must be a commit, tag or branch name',
  }),
  DOCS_CODE_MAX_FILE_BYTES: intInRange(400_000, 1_000, 20_000_000),
  DOCS_CODE_INTERVAL_MINUTES: intInRange(60, 1, 10_080),
  GITHUB_CODE_REPOS: optionalString
    .transform((value) => (value === undefined ? [] : value.split(',').map((repo) => repo.trim()).filter((repo) => repo !== '')))
    .refine((repos) => repos.every((repo) => /^[^@]+(@[^@]+)?$/.test(repo) && REPO_NAME.test(repo.split('@')[0]!) && (!repo.includes('@') || REF_NAME.test(repo.split('@')[1]!))), {
      message: 'GITHUB_CODE_REPOS must be owner/name@ref entries (the @ref optional) separated by commas',
    }),
  // The GitHub kind's variables (../github/settings.ts), read here with the same rules for GITHUB_CODE_REPOS.
  GITHUB_TOKEN: optionalString,
  GITHUB_API_URL: optionalUrl('GITHUB_API_URL'),
  GITHUB_SYNC_INTERVAL_MINUTES: intInRange(30, 1, 10_080),
  GITHUB_INCLUDE_PRIVATE: z.enum(['on', 'off']).default('off').or(z.literal('').transform(() => 'off' as const)),
  GITHUB_PRIVATE_AUDIENCE: optionalString.refine((value) => value === undefined || AUDIENCE_NAME.test(value), {
    message: 'GITHUB_PRIVATE_AUDIENCE must be an audience name (letters, digits and ._:-)',
  }),
};

type TCodeEnv = z.output<z.ZodObject<typeof CODE_ENV>>;

export const codeSettings = defineSettings(
  CODE_ENV,
  (env, { cwd }): TCodeSettings => {
    const include = globList(env.DOCS_CODE_INCLUDE);
    const globs = { include: include.length > 0 ? include : DEFAULT_CODE_INCLUDE, exclude: [...DEFAULT_CODE_EXCLUDE, ...globList(env.DOCS_CODE_EXCLUDE)] };
    const codeRepos = githubCodeOf(env, globs);
    if (env.DOCS_CODE_DIR === undefined) {
      for (const name of ['DOCS_CODE_REPO', 'DOCS_CODE_REF', ...(codeRepos ? [] : (['DOCS_CODE_INCLUDE', 'DOCS_CODE_EXCLUDE'] as const))] as const) {
        if (env[name] !== undefined) throw new ConfigError(`${name} is set but DOCS_CODE_DIR is missing: name the checkout whose source is indexed`);
      }
      return { code: null, ...(codeRepos ? { codeRepos } : {}) };
    }
    const dir = path.resolve(cwd, env.DOCS_CODE_DIR);
    if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new ConfigError(`DOCS_CODE_DIR: ${env.DOCS_CODE_DIR} is not a folder`);
    const [owner = '', name = ''] = env.DOCS_CODE_REPO?.split('/') ?? [];
    if (env.DOCS_CODE_REPO && codeRepos?.repos.some((repo) => `${repo.owner}/${repo.name}`.toLowerCase() === env.DOCS_CODE_REPO?.toLowerCase())) {
      throw new ConfigError(`GITHUB_CODE_REPOS names ${env.DOCS_CODE_REPO}, which DOCS_CODE_DIR already is: index it one way`);
    }
    return {
      code: {
        dir,
        ...globs,
        repo: env.DOCS_CODE_REPO ? { owner, name } : null,
        ref: env.DOCS_CODE_REF ?? null,
        maxFileBytes: env.DOCS_CODE_MAX_FILE_BYTES,
        intervalMinutes: env.DOCS_CODE_INTERVAL_MINUTES,
      },
      ...(codeRepos ? { codeRepos } : {}),
    };
  },
);

function githubCodeOf(env: TCodeEnv, globs: { include: string[]; exclude: string[] }): TGithubCodeConfig | null {
  if (env.GITHUB_CODE_REPOS.length === 0) return null;
  if (env.GITHUB_INCLUDE_PRIVATE === 'on' && env.GITHUB_TOKEN === undefined) {
    throw new ConfigError('GITHUB_INCLUDE_PRIVATE is on but GITHUB_TOKEN is missing: private repositories are read only with a token');
  }
  const repos = new Map<string, TGithubCodeConfig['repos'][number]>();
  for (const entry of env.GITHUB_CODE_REPOS) {
    const [full = '', ref] = entry.split('@');
    const [owner = '', name = ''] = full.split('/');
    if (repos.has(full.toLowerCase())) throw new ConfigError(`GITHUB_CODE_REPOS names ${full} twice: one ref a repository`);
    repos.set(full.toLowerCase(), { owner, name, ref: ref ?? null });
  }
  return {
    repos: [...repos.values()],
    ...globs,
    maxFileBytes: env.DOCS_CODE_MAX_FILE_BYTES,
    token: env.GITHUB_TOKEN ?? null,
    apiUrl: (env.GITHUB_API_URL ?? 'https://api.github.com').replace(/\/+$/, ''),
    intervalMinutes: env.GITHUB_SYNC_INTERVAL_MINUTES,
    isPrivateIncluded: env.GITHUB_INCLUDE_PRIVATE === 'on',
    privateAudience: env.GITHUB_PRIVATE_AUDIENCE ?? null,
  };
}
