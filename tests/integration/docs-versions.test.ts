import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TApp } from '@/lib/app';
import { createThreadForCaller, sendMessageForCaller, updateThreadForCaller } from '@/lib/assistant/service';
import { runToolCall } from '@/lib/assistant/tools';
import { listDocsSectionsForRanking, searchDocsSectionsByEmbedding, setDocsSectionEmbeddings } from '@/lib/db/docs-index';
import { listMessagesByThread } from '@/lib/db/messages';
import { searchDocs } from '@/lib/docs/search/search';
import { isAppError } from '@/lib/errors';
import { readFolderNav } from '@/lib/docs/gate/folder-nav';
import { getDocNav } from '@/lib/docs/gate/folder-nav';
import { getHealth } from '@/lib/health';
import { createTestApp } from '../helpers/app';
import { copyVersionedDocsFixture } from '../helpers/versioned-docs';
import { PUBLIC_ACCESS } from '@/lib/audiences';

// Versioned docs answered version by version (issue 38), on a real database: a Docusaurus-shaped folder
// (tests/fixtures/versioned-docs: `docs/` is the current version, 2.x; `versioned_docs/version-1.x/` the 1.x
// release; `blog/` belongs to no version) published at DOCS_BASE_URL. The two versions say different things about
// the same topics (1.x: `.quillboxrc`, `quillbox print --pdf`; current: `quillbox.config.ts`,
// `quillbox export --format pdf`), so a result or an answer of the wrong version shows.

const FIXTURE = copyVersionedDocsFixture();
const BASE = 'https://quill.example/docs';
const OWNER = 'reader-versions';
let app: TApp;

beforeAll(async () => {
  app = await createTestApp({ env: { DOCS_DIR: FIXTURE, DOCS_BASE_URL: BASE } });
});
afterAll(async () => {
  await app.db.close();
});

const site = (prompt: string, version?: string) => searchDocs({ access: PUBLIC_ACCESS, deps: app, prompt, limit: 8, source: 'site', version });

async function refusal(work: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await work;
  } catch (error) {
    if (isAppError(error)) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('expected a refusal');
}

async function answer(threadId: string, text: string) {
  const { run } = await sendMessageForCaller({ access: PUBLIC_ACCESS, deps: app, owner: OWNER, threadId, text });
  expect(run.status).toBe('completed');
  const messages = (await listMessagesByThread({ db: app.db, owner: OWNER, threadId, limit: 10, order: 'desc' })).data;
  const reply = messages.find((message) => message.role === 'assistant' && message.run_id === run.id)?.content[0]?.text;
  return { run, text: reply?.value ?? '', urls: (reply?.annotations ?? []).map((annotation) => annotation.url) };
}

describe('a Docusaurus folder with a 1.x and a current version', () => {
  it('gives each page its version, and each version its published URLs', async () => {
    expect(app.docsIndex.lastReport?.versions).toEqual({ names: ['current', '1.x'], current: 'current', problems: [] });
    const byPath = new Map((await listDocsSectionsForRanking({ db: app.db })).map((section) => [section.path, section]));
    expect(byPath.get('versioned_docs/version-1.x/configuration.md')).toMatchObject({ slug: `${BASE}/1.x/configuration`, meta: { version: '1.x' } });
    expect(byPath.get('docs/configuration.md')).toMatchObject({ slug: `${BASE}/configuration`, meta: { version: 'current' } });
    expect(byPath.get('blog/community-call.md')?.meta).toEqual({});
  });

  it('the site\'s navigation on a page of one version lists that version\'s pages and those of no version', () => {
    const paths = (version: string | null) => readFolderNav({ docsDir: FIXTURE, rules: {}, version, access: PUBLIC_ACCESS }).pages.map((page) => page.path).sort();
    expect(getDocNav(FIXTURE, {}).pages).toHaveLength(7);
    expect(paths('1.x')).toEqual(['blog/community-call.md', 'versioned_docs/version-1.x/configuration.md', 'versioned_docs/version-1.x/guides/export.md', 'versioned_docs/version-1.x/intro.md']);
    expect(paths(null)).toEqual(['blog/community-call.md', 'docs/configuration.md', 'docs/guides/export.md', 'docs/intro.md']);
    expect(paths('current')).toEqual(paths(null));
  });

  it('searches the current version when none is asked, and only 1.x when 1.x is asked: never both', async () => {
    const current = await site('configuration file');
    expect(current[0]).toMatchObject({ url: `${BASE}/configuration#the-configuration-file`, version: 'current' });
    expect(current.map((result) => result.version)).not.toContain('1.x');
    expect(current.map((result) => result.content).join('\n')).not.toContain('.quillboxrc');

    const old = await site('configuration file', '1.x');
    expect(old[0]).toMatchObject({ url: `${BASE}/1.x/configuration#the-configuration-file`, version: '1.x' });
    expect(old[0]?.content).toContain('.quillboxrc');
    expect(old.map((result) => result.version)).not.toContain('current');
    expect(old.map((result) => result.content).join('\n')).not.toContain('quillbox.config.ts');

    // Docusaurus calls the current version "Next" in its menus: asked by that name, it is the current one.
    expect((await site('export pdf', 'next'))[0]?.content).toContain('quillbox export --format pdf');
  });

  it('pages of no version answer every version', async () => {
    for (const version of [undefined, '1.x']) {
      const [first] = await site('monthly community call', version);
      expect(first).toMatchObject({ url: `${BASE}/blog/community-call` });
      expect(first?.version).toBeUndefined();
    }
  });

  it('refuses an unknown version, naming the known ones', async () => {
    expect(await refusal(site('export', '3.x'))).toEqual({ code: 'bad_request', message: 'unknown version "3.x"; the versions are current, 1.x' });
    const tool = JSON.parse(
      await runToolCall({ access: PUBLIC_ACCESS, deps: app, call: { id: 'call_1', type: 'function', function: { name: 'get_relevant_docs', arguments: '{"prompt":"export","sources":null,"version":"3.x"}' } } }),
    );
    expect(tool).toEqual({ error: 'unknown version "3.x"; the versions are current, 1.x' });
  });

  it('the nearest sections by embedding are of the asked version and of none', async () => {
    const sections = await listDocsSectionsForRanking({ db: app.db });
    await setDocsSectionEmbeddings({ db: app.db, model: 'test-model', embeddings: sections.map((section) => ({ id: section.id, embedding: [1, 0, 0] })) });
    const versionOf = new Map(sections.map((section) => [section.id, section.meta.version ?? null]));
    const nearest = await searchDocsSectionsByEmbedding({ db: app.db, embedding: [1, 0, 0], model: 'test-model', limit: 50, versions: ['1.x'] });
    expect(nearest.length).toBeGreaterThan(0);
    expect(new Set(nearest.map((hit) => versionOf.get(hit.id)))).toEqual(new Set(['1.x', null]));
    const every = await searchDocsSectionsByEmbedding({ db: app.db, embedding: [1, 0, 0], model: 'test-model', limit: 50 });
    expect(every).toHaveLength(sections.length);
  });

  it('a conversation takes its version from where it starts, and its answers cite that version only', async () => {
    const old = await createThreadForCaller({ access: PUBLIC_ACCESS, deps: app, owner: OWNER, metadata: { version: '1.x' } });
    expect(old.metadata).toMatchObject({ version: '1.x' });
    const first = await answer(old.id, 'How do I export a booklet to PDF?');
    expect(first.run.metadata).toMatchObject({ version: '1.x' });
    expect(first.text).toContain('quillbox print --pdf');
    expect(first.text).not.toContain('quillbox export');
    expect(first.urls.length).toBeGreaterThan(0);
    for (const url of first.urls) expect(url).toMatch(new RegExp(`^${BASE}/(1\\.x|blog)/`));
    // Every run of the conversation searches that version.
    const second = await answer(old.id, 'Where does the configuration file go?');
    expect(second.text).toContain('.quillboxrc');
    expect(second.text).not.toContain('quillbox.config.ts');

    const current = await createThreadForCaller({ access: PUBLIC_ACCESS, deps: app, owner: OWNER });
    const latest = await answer(current.id, 'How do I export a booklet to PDF?');
    expect(latest.text).toContain('quillbox export --format pdf');
    expect(latest.urls.some((url) => url.startsWith(`${BASE}/guides/export`))).toBe(true);
    for (const url of latest.urls) expect(url).not.toContain('/1.x/');
  });

  it('the embed\'s host page gives the version by its address; an unknown version is a 400', async () => {
    const fromUrl = await createThreadForCaller({ access: PUBLIC_ACCESS, deps: app, owner: OWNER, pageUrl: `${BASE}/1.x/guides/export` });
    expect(fromUrl.metadata.version).toBe('1.x');
    const elsewhere = await createThreadForCaller({ access: PUBLIC_ACCESS, deps: app, owner: OWNER, pageUrl: 'https://quill.example/pricing' });
    expect(elsewhere.metadata.version).toBeUndefined();
    expect(await refusal(createThreadForCaller({ access: PUBLIC_ACCESS, deps: app, owner: OWNER, metadata: { version: '0.1' } }))).toEqual({
      code: 'bad_request',
      message: 'unknown version "0.1"; the versions are current, 1.x',
    });
    expect(await refusal(updateThreadForCaller({ access: PUBLIC_ACCESS, deps: app, owner: OWNER, threadId: elsewhere.id, metadata: { version: '0.1' } }))).toMatchObject({ code: 'bad_request' });
  });

  it('/api/health lists the versions and the current one', async () => {
    const health = await getHealth(app);
    expect(health.docs.versions).toEqual({ known: ['current', '1.x'], current: 'current', problems: [] });
  });
});
