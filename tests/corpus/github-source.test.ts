import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listDocsSectionsByPath } from '@/lib/db/docs-index';
import { listDocsPageChecksumsByKind } from '@/lib/db/docs-sources';
import type { TDb } from '@/lib/db/types';
import { searchDocsRanked } from '@/lib/docs/search/search';
import { createGithubSource } from '@/lib/docs/sources/single-kinds';
import { createGithubClient } from '@/lib/github/client';
import { createLogger } from '@/lib/log';
import { PASTE_GITHUB_CORPUS_DIR } from '../helpers/corpus.mts';
import { startFakeGithub, type TFakeGithub } from '../helpers/fake-github';
import { createTestDb } from '../helpers/pglite-template';
import { PUBLIC_ACCESS } from '@/lib/audiences';

// The GitHub source on the real threads of twilio-labs/paste (../shared/corpora/paste-github: 272 issues and pull
// requests, 318 comments), served by the fake GitHub API whose first listing meets a secondary rate limit: the
// first sync reads every thread after waiting it out, a second one reads no comments again, and search finds a
// thread from a reader's description of its problem, in other words than its title.

if (!existsSync(PASTE_GITHUB_CORPUS_DIR)) {
  throw new Error(`The GitHub corpus is not at ${PASTE_GITHUB_CORPUS_DIR}: put shared/corpora/paste-github beside the checkout or set PASTE_GITHUB_CORPUS_DIR.`);
}
const read = (name: string) => JSON.parse(readFileSync(path.join(PASTE_GITHUB_CORPUS_DIR, name), 'utf8'));
const log = createLogger({ level: 'silent' });

// A reader's words for a problem, and the thread that answers it.
const PROBLEMS: [string, number][] = [
  ['toasts with dismissAfter do not all close by themselves when several are shown', 3936],
  ['the tooltip z-index cannot be changed, it is fixed in the component', 4030],
  ['clicking copy on a code block crashes the Flex app', 3839],
  ['focus does not move into the side modal when it opens', 3275],
  ['combobox options are cut off inside a modal body', 2630],
  ['dropping a file of another type on the file uploader dropzone is not blocked', 4377],
];

let db: TDb;
let fake: TFakeGithub;
const deps = () => ({ db, log, embedder: null });

beforeAll(async () => {
  db = await createTestDb();
  fake = await startFakeGithub({ repos: { 'twilio-labs/paste': { issues: read('issues.json'), comments: read('comments.json') } } });
});
afterAll(async () => {
  await fake?.close();
  await db?.close();
});

describe('the GitHub source on the Paste repository', () => {
  const client = () => createGithubClient({ apiUrl: fake.url, token: 'corpus-token', log, retryAfterBaseMs: 10 });
  const source = () =>
    createGithubSource(
      { repos: [{ owner: 'twilio-labs', name: 'paste' }], token: 'corpus-token', apiUrl: fake.url, intervalMinutes: 30, isPrivateIncluded: false, privacy: { isMasking: true, extraPatterns: [] } },
      { client: client() },
    );

  it('syncs every thread after a secondary rate limit, and a second sync reads no comments again', async () => {
    fake.secondaryRateLimit({ match: 'GET /repos/twilio-labs/paste/issues', status: 403, retryAfter: 1 });
    const first = await source().load(deps());
    expect(first.requests.secondaryRateLimited).toBe(1);
    expect(first.threads).toBe(272);
    expect(first.indexed).toHaveLength(272);
    expect(Object.keys(await listDocsPageChecksumsByKind({ db, kind: 'github' }))).toHaveLength(272);
    const before = fake.log.length;
    const second = await source().load(deps());
    expect(second.unchanged).toBe(272);
    expect(second.indexed).toEqual([]);
    expect(fake.log.slice(before).filter((entry) => entry.path.endsWith('/comments'))).toEqual([]);
    // A maintainer's answer comes right after the question.
    const toast = await listDocsSectionsByPath({ db, path: 'github:twilio-labs/paste#3936' });
    expect(toast[1]?.heading).toMatch(/^Maintainers' answer/);
  });

  it('finds the thread from a description of its problem', async () => {
    const misses: string[] = [];
    for (const [question, number] of PROBLEMS) {
      const { results } = await searchDocsRanked({ access: PUBLIC_ACCESS, deps: deps(), prompt: question, limit: 5, source: 'site' });
      const urls = results.map((result) => result.url.replace(/#.*$/, ''));
      if (!urls.includes(`https://github.com/twilio-labs/paste/issues/${number}`)) misses.push(`${question} → ${urls.join(' ')}`);
    }
    expect(misses).toEqual([]);
  });
});
