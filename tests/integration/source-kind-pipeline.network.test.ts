import { createHash } from 'node:crypto';
import os from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PUBLIC_ACCESS, type TReaderAccess } from '@/lib/audiences';
import { parseConfig } from '@/lib/config';
import { listDocsSectionsByPath } from '@/lib/db/docs-index';
import { listDocsPageChecksumsByKind } from '@/lib/db/docs-sources';
import { createEmbedder, type TEmbedder } from '@/lib/docs/index/embeddings';
import { searchDocsRanked } from '@/lib/docs/search/search';
import { createDocsSources, type TDocsSource, type TKindDocuments, type TSourceKind, type TSourcesConfig } from '@/lib/docs/sources';
import type { TDocument, TSourceItem } from '@/lib/docs/sources/types';
import { createLogger } from '@/lib/log';
import { defineSettings, optionalString } from '@/lib/settings';
import { hashedWordVector, startFakeEmbeddings, type TFakeEmbeddings } from '../helpers/fake-embeddings';
import { createTestDb } from '../helpers/pglite-template';
import { querySql } from '../helpers/stores';

// Adding a source kind (issue 68, item 3) as a newcomer would: a folder with its settings and a document generator,
// and one registry line. Here the kind is defined in the test: "notes", read from a variable of its own, yields a
// page per note and has not one line about audiences, the index's writes or embeddings. The registry makes it a
// source like any other, and the one write pipeline gives its pages the audiences DOCS_AUDIENCES says, writes what
// changed, removes what it no longer yields, keeps what failed, follows a rule change even on a poll that yields
// nothing, and embeds its sections (a fake OpenAI-compatible server on 127.0.0.1). The database is real (PGlite).

type TTestDb = Awaited<ReturnType<typeof createTestDb>>;
type TNote = { name: string; text: string };
type TNotesSettings = { notes?: { names: string[] } | null };

/** What the kind's source reads: notes by name (a test's stand-in for a remote), and what its next poll yields. */
const store = new Map<string, string>();
let pollItems: TSourceItem[] = [];
let isBroken = false;

// ——— the kind, as its folder would have it ———

/** lib/docs/sources/notes/settings.ts: NOTES, the names of the notes to index. */
const notesSettings = defineSettings({ NOTES: optionalString }, (env): TNotesSettings => ({ notes: env.NOTES ? { names: env.NOTES.split(',') } : null }));

const notePage = ({ name, text }: TNote): TDocument => ({
  path: `note:${name}`,
  slug: `https://notes.example.test/${name}`,
  title: `Note ${name}`,
  description: '',
  sections: [{ heading: `Note ${name}`, heading_path: [`Note ${name}`], anchor: '', content: text }],
  checksum: createHash('sha256').update(text).digest('hex'),
  updatedAt: '2026-11-20T10:00:00Z',
});

/** lib/docs/sources/notes/index.ts: its documents: every note on a load; on a poll, what the note store says changed. */
function notesDocuments(names: string[]): TKindDocuments<{ notes: number }, { notes: number; indexed: string[]; removed: string[]; failed: string[] }> {
  return {
    kind: 'notes',
    async *load() {
      let notes = 0;
      for (const name of names) {
        if (isBroken && name === 'broken') throw new Error('the notes store went away');
        const text = store.get(name);
        if (text === undefined) continue;
        notes += 1;
        if (text === '<unreadable>') yield { path: `note:${name}`, status: 'failed', reason: 'the note is unreadable' };
        else yield notePage({ name, text });
      }
      return { notes };
    },
    async *poll() {
      yield* pollItems;
      return { notes: 0 };
    },
    listIds: async () => names.filter((name) => store.has(name)).map((name) => `note:${name}`),
    report: ({ result, written }) => ({ notes: result.notes, indexed: written.indexed, removed: written.removed.map((entry) => entry.path), failed: written.failed.map((entry) => entry.path) }),
    summarise: (outcome) => ('result' in outcome ? { notes: outcome.result.notes } : { error: 'the notes were not read' }),
    sync: { everySeconds: 60, checkSeconds: 60, leaseSeconds: 60 },
  };
}

/** The registry's line: { kind, settings, fromConfig }. */
const notesKind: TSourceKind<TNotesReport, TNotesSettings> = {
  kind: 'notes',
  settings: notesSettings,
  fromConfig: ({ docsSources }) => {
    const { notes } = docsSources as TNotesSettings;
    return notes ? notesDocuments(notes.names) : null;
  },
};

// ——— the test ———

const log = createLogger({ level: 'silent' });
const DIMENSIONS = 16;
let db: TTestDb;
let fake: TFakeEmbeddings;
let embedder: TEmbedder;

/** The configuration as lib/config.ts composes it, with the notes kind's settings read from the same environment. */
function configOf(env: Record<string, string>): TSourcesConfig {
  const config = parseConfig({ NODE_ENV: 'test', DOCS_DIR: '', DATA_DIR: os.tmpdir(), ...env });
  const notes = notesSettings.parse(env, { cwd: process.cwd(), source: env });
  return { docsDir: config.docsDir, docsSources: { ...config.docsSources, ...notes } };
}
type TNotesReport = ReturnType<ReturnType<typeof notesDocuments>['report']>;
const notesSource = (env: Record<string, string>) => {
  const [source, ...others] = createDocsSources(configOf(env), [notesKind]);
  expect(others).toEqual([]);
  return source as TDocsSource<TNotesReport>;
};
const deps = () => ({ db, log, embedder });
const paths = async () => Object.keys(await listDocsPageChecksumsByKind({ db, kind: 'notes' })).sort();
const metaOf = async (name: string) =>
  (await querySql<{ meta: Record<string, unknown>; last_error: string | null }>(db, 'select meta, last_error from docs_page where path = $1', [`note:${name}`])).rows[0];
const found = async (prompt: string, access: TReaderAccess) =>
  (await searchDocsRanked({ deps: { db, log, embedder: null }, prompt, limit: 5, source: 'site', access, isRecorded: false })).results.map((result) => result.path);

beforeAll(async () => {
  fake = await startFakeEmbeddings({ vectorOf: (text) => hashedWordVector(text, DIMENSIONS) });
  embedder = createEmbedder(parseConfig({ NODE_ENV: 'test', EMBEDDINGS_BASE_URL: fake.url, EMBEDDINGS_MODEL: 'notes-vectors', DATA_DIR: os.tmpdir() }))!;
  db = await createTestDb();
});

afterAll(async () => {
  await db?.close();
  await fake?.close();
});

describe('a kind of source of its own, through the registry and the one write pipeline', () => {
  const env = { NOTES: 'harbour,vault,broken', DOCS_AUDIENCES: 'staff=note:vault' };

  it('is configured from its own variable, and unconfigured without it', () => {
    expect(createDocsSources(configOf({}), [notesKind])).toEqual([]);
    expect(notesSource(env)).toMatchObject({ kind: 'notes', sync: { everySeconds: 60 }, isLoadedAtStart: false });
  });

  it('its pages get the audiences DOCS_AUDIENCES gives their paths, and search keeps them from other readers', async () => {
    store.set('harbour', 'The harbour ferries leave the quayside every hour.');
    store.set('vault', 'Rotate the glimmerquartz vault keys through the plinthwhistle console.');
    const report = await notesSource(env).load(deps());
    expect(report).toEqual({ notes: 2, indexed: ['note:harbour', 'note:vault'], removed: [], failed: [] });
    expect(await metaOf('vault')).toEqual({ meta: { audiences: ['staff'], updatedAt: '2026-11-20T10:00:00Z' }, last_error: null });
    expect(await metaOf('harbour')).toEqual({ meta: { updatedAt: '2026-11-20T10:00:00Z' }, last_error: null });
    expect(await found('glimmerquartz vault keys', PUBLIC_ACCESS)).not.toContain('note:vault');
    expect(await found('glimmerquartz vault keys', { audiences: ['staff'], isMaintainer: false })).toContain('note:vault');
    // Its sections were embedded, as every kind's are when embeddings are on.
    expect(fake.requests.flatMap((request) => request.input).some((input) => input.includes('glimmerquartz'))).toBe(true);
    expect((await listDocsSectionsByPath({ db, path: 'note:vault' })).every((section) => section.has_embedding)).toBe(true);
  });

  it('writes only what changed, removes what a load no longer yields, and keeps a page it could not read, marked failed', async () => {
    store.set('harbour', 'The harbour ferries leave the quayside every half hour.');
    store.set('broken', 'A note that reads today.');
    expect(await notesSource(env).load(deps())).toMatchObject({ indexed: ['note:harbour', 'note:broken'], removed: [] });
    store.delete('harbour');
    store.set('broken', '<unreadable>');
    const report = await notesSource(env).load(deps());
    expect(report).toEqual({ notes: 2, indexed: [], removed: ['note:harbour'], failed: ['note:broken'] });
    expect(await paths()).toEqual(['note:broken', 'note:vault']);
    expect(await metaOf('broken')).toMatchObject({ last_error: 'the note is unreadable' });
    expect(await listDocsSectionsByPath({ db, path: 'note:broken' })).toHaveLength(1);
    // Readable again with the text it had: written again, which clears the mark.
    store.set('broken', 'A note that reads today.');
    expect(await notesSource(env).load(deps())).toMatchObject({ indexed: ['note:broken'], failed: [] });
    expect(await metaOf('broken')).toMatchObject({ last_error: null });
  });

  it('a load that fails keeps the index: nothing it did not yield leaves', async () => {
    isBroken = true;
    try {
      await expect(notesSource(env).load(deps())).rejects.toThrow('the notes store went away');
    } finally {
      isBroken = false;
    }
    expect(await paths()).toEqual(['note:broken', 'note:vault']);
  });

  it('a changed rule re-writes the pages it changes, even on a poll that yields nothing', async () => {
    pollItems = [];
    const moved = { ...env, DOCS_AUDIENCES: 'beta=note:broken' };
    const report = await notesSource(moved).poll(deps(), new Date());
    // The poll became a load: the unchanged notes were yielded again and re-stamped.
    expect(report.indexed.sort()).toEqual(['note:broken', 'note:vault']);
    expect((await metaOf('vault'))?.meta).not.toHaveProperty('audiences');
    expect((await metaOf('broken'))?.meta).toMatchObject({ audiences: ['beta'] });
    expect(await found('glimmerquartz vault keys', PUBLIC_ACCESS)).toContain('note:vault');
    // Under the same rules, a poll is a poll: what it yields, and no more.
    expect(await notesSource(moved).poll(deps(), new Date())).toMatchObject({ indexed: [], removed: [] });
  });

  it('a poll removes what it yields gone, and nothing else', async () => {
    pollItems = [{ path: 'note:broken', status: 'gone', reason: 'deleted' }];
    const report = await notesSource({ ...env, DOCS_AUDIENCES: 'beta=note:broken' }).poll(deps(), new Date());
    expect(report).toMatchObject({ indexed: [], removed: ['note:broken'] });
    expect(await paths()).toEqual(['note:vault']);
  });
});
