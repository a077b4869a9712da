import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PUBLIC_ACCESS, type TReaderAccess } from '@/lib/audiences';
import { parseConfig } from '@/lib/config';
import { searchDocsRanked } from '@/lib/docs/search/search';
import { createDocsSources } from '@/lib/docs/sources';
import type { TCodeReport } from '@/lib/docs/sources/code';
import { createLogger } from '@/lib/log';
import { makeTempDir } from '@/scripts/lib/temp-dir';
import { GO, PYTHON, RUST } from '../helpers/code-fixtures';
import { PASTE_SOURCE_CORPUS_DIR } from '../helpers/corpus.mts';
import { startFakeGithub, type TFakeGithub } from '../helpers/fake-github';
import { createTestDb } from '../helpers/pglite-template';

// GITHUB_CODE_REPOS (issue 70): repositories' code read through GitHub's REST API (a repository, the commit its ref is
// at, that commit's tree, each changed file's blob) from a fake GitHub on 127.0.0.1 that serves the shared corpus of
// the Paste source and a small repository in three languages. A re-sync fetches only the files whose blob changed; a
// private repository's code is indexed only with GITHUB_INCLUDE_PRIVATE=on, and then only for GITHUB_PRIVATE_AUDIENCE.

const log = createLogger({ level: 'silent' });
const dir = makeTempDir('pa-code-github-');
const STAFF: TReaderAccess = { audiences: ['staff'], isMaintainer: false };
let github: TFakeGithub;

function filesOf(root: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (relative: string) => {
    for (const entry of readdirSync(path.join(root, relative), { withFileTypes: true })) {
      const child = relative === '' ? entry.name : `${relative}/${entry.name}`;
      if (entry.isDirectory()) walk(child);
      else files[child] = readFileSync(path.join(root, child), 'utf8');
    }
  };
  walk('');
  return files;
}

const SMALL = {
  'python/pyproject.toml': '[project]\nname = "toaster"\n',
  'python/toaster/core.py': PYTHON,
  'go/go.mod': 'module github.com/acme/toast\n',
  'go/toast.go': GO,
  'rust/Cargo.toml': '[package]\nname = "toaster-rs"\n',
  'rust/src/lib.rs': RUST,
  'rust/tests/it.rs': 'fn it() {}\n',
};

beforeAll(async () => {
  github = await startFakeGithub({
    repos: {
      'twilio-labs/paste': { issues: [], comments: {}, git: { branch: 'main', files: filesOf(PASTE_SOURCE_CORPUS_DIR) } },
      'acme/toast': { issues: [], comments: {}, git: { branch: 'main', files: SMALL } },
      'acme/vault': { isPrivate: true, issues: [], comments: {}, git: { branch: 'main', files: { 'src/vault.py': '# Rotates the glimmerquartz keys.\ndef rotate_glimmerquartz_keys(every_days=30):\n    return every_days\n' } } },
    },
  });
});

afterAll(async () => {
  await github?.close();
});

const sourceOf = (env: Record<string, string>) => {
  const source = createDocsSources(parseConfig({ DOCS_DIR: '', GITHUB_API_URL: github.url, GITHUB_TOKEN: 'ghp_test', ...env }, dir)).find((entry) => entry.kind === 'code');
  expect(source).toBeDefined();
  return source!;
};

async function search(db: Awaited<ReturnType<typeof createTestDb>>, prompt: string, access: TReaderAccess = PUBLIC_ACCESS) {
  const { results } = await searchDocsRanked({ deps: { db, log, embedder: null }, prompt, limit: 5, source: 'site', access, isRecorded: false, sources: ['code'] });
  return results;
}

describe('GITHUB_CODE_REPOS', () => {
  it('indexes the Paste source as the API serves it, as a checkout of it would be, cited at the commit', async () => {
    const db = await createTestDb();
    try {
      const report = (await sourceOf({ GITHUB_CODE_REPOS: 'twilio-labs/paste@main' }).load({ db, log, embedder: null })) as TCodeReport;
      const commit = github.requests('GET /repos/twilio-labs/paste/commits/main')[0];
      expect(commit?.hasToken).toBe(true);
      expect(report.failed).toEqual([]);
      expect(report.files).toBeGreaterThan(700);
      expect(report.indexed).toBe(report.files);
      expect(report.repos).toMatchObject([{ repo: 'twilio-labs/paste', isPrivate: false, files: report.files }]);
      const sha = report.repos[0]!.commit!;
      const found = await search(db, 'useToaster push toast');
      expect(found[0]?.url).toMatch(new RegExp(`^https://github\\.com/twilio-labs/paste/blob/${sha}/packages/paste-core/components/toast/src/useToaster\\.ts(x)?#L\\d+-L\\d+$`));
      expect(found[0]?.title).toContain('@twilio-paste/toast');
    } finally {
      await db.close();
    }
  }, 180_000);

  it('reads Python, Go and Rust, and on a re-sync fetches only the files whose blob changed', async () => {
    const db = await createTestDb();
    try {
      const source = sourceOf({ GITHUB_CODE_REPOS: 'acme/toast' });
      const first = (await source.load({ db, log, embedder: null })) as TCodeReport;
      expect(first).toMatchObject({ files: 3, indexed: 3, failed: [] });
      const firstCommit = first.repos[0]!.commit!;
      expect((await search(db, 'NewToaster keeps limit toasts'))[0]?.url).toBe(`https://github.com/acme/toast/blob/${firstCommit}/go/toast.go#L28-L31`);

      github.commitFile('acme/toast', 'main', 'go/toast.go', GO.replace('// NewToaster makes a toaster that keeps limit toasts.', '// NewToaster makes a toaster that keeps at most limit toasts, dropping the oldest.'));
      const blobsBefore = github.requests('/git/blobs/').length;
      const second = (await source.load({ db, log, embedder: null })) as TCodeReport;
      expect(second).toMatchObject({ files: 3, indexed: 1, unchanged: 2, read: 1 });
      expect(github.requests('/git/blobs/').length - blobsBefore).toBe(1);
      const secondCommit = second.repos[0]!.commit!;
      expect(secondCommit).not.toBe(firstCommit);
      expect((await search(db, 'toaster dropping the oldest'))[0]?.url).toBe(`https://github.com/acme/toast/blob/${secondCommit}/go/toast.go#L28-L31`);
      // An unchanged file is still cited at the commit it was read at, whose lines are the indexed ones.
      expect((await search(db, 'toaster push dismiss after seconds'))[0]?.url).toBe(`https://github.com/acme/toast/blob/${firstCommit}/python/toaster/core.py#L19-L21`);

      // A file deleted on the branch leaves the index.
      github.commitFile('acme/toast', 'main', 'rust/src/lib.rs', null);
      const third = (await source.load({ db, log, embedder: null })) as TCodeReport;
      expect(third).toMatchObject({ files: 2, removed: 1 });
    } finally {
      await db.close();
    }
  });

  it('indexes a private repository only with GITHUB_INCLUDE_PRIVATE=on, for GITHUB_PRIVATE_AUDIENCE, on the site’s own page', async () => {
    const db = await createTestDb();
    try {
      const off = (await sourceOf({ GITHUB_CODE_REPOS: 'acme/vault' }).load({ db, log, embedder: null })) as TCodeReport;
      expect(off).toMatchObject({ files: 0, indexed: 0, repos: [{ repo: 'acme/vault', isPrivate: true, skipped: expect.stringContaining('GITHUB_INCLUDE_PRIVATE') }] });
      expect(await search(db, 'rotate glimmerquartz keys', STAFF)).toEqual([]);

      const on = (await sourceOf({ GITHUB_CODE_REPOS: 'acme/vault', GITHUB_INCLUDE_PRIVATE: 'on', GITHUB_PRIVATE_AUDIENCE: 'staff' }).load({ db, log, embedder: null })) as TCodeReport;
      expect(on).toMatchObject({ files: 1, indexed: 1 });
      expect(await search(db, 'rotate glimmerquartz keys', PUBLIC_ACCESS)).toEqual([]);
      const found = await search(db, 'rotate glimmerquartz keys', STAFF);
      expect(found[0]?.url).toBe('/docs/source/acme/vault/src/vault.py#L1-L3');

      // Private again without the setting: its code leaves.
      const offAgain = (await sourceOf({ GITHUB_CODE_REPOS: 'acme/vault' }).load({ db, log, embedder: null })) as TCodeReport;
      expect(offAgain).toMatchObject({ removed: 1 });
      expect(await search(db, 'rotate glimmerquartz keys', STAFF)).toEqual([]);
    } finally {
      await db.close();
    }
  });
});
