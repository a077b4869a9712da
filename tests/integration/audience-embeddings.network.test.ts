import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAudienceRules, PUBLIC_ACCESS, type TAudienceRule, type TReaderAccess } from '@/lib/audiences';
import { parseConfig } from '@/lib/config';
import { createEmbedder, type TEmbedder } from '@/lib/docs/index/embeddings';
import { indexDocs } from '@/lib/docs/sources/single-kinds';
import { searchDocsRanked } from '@/lib/docs/search/search';
import { createLogger } from '@/lib/log';
import { makeTempDir } from '@/scripts/lib/temp-dir';
import { hashedWordVector, startFakeEmbeddings, type TFakeEmbeddings } from '../helpers/fake-embeddings';
import { createTestDb } from '../helpers/pglite-template';

// Embedding search keeps to the reader's audiences (issue 57): a section that only the embeddings find (the question
// shares no word with it, but its vector is the section's) is found by a reader of its page's audience and by no one
// else. The embeddings come from a fake OpenAI-compatible server on 127.0.0.1.

const DIMENSIONS = 32;
const MODEL = 'test-audience-vectors';
// The runbook's section and the question mean the same to the embeddings, and share no word.
const RUNBOOK_TEXT = 'Page the wombatron rotation through the zorbix pager.';
const QUESTION = 'Who answers the night alarms?';
const MEANING = Array.from({ length: DIMENSIONS }, (_, index) => (index === 7 ? 1 : 0));
const vectorOf = (text: string) => (text.includes('wombatron') || text.includes('night alarms') ? MEANING : hashedWordVector(text, DIMENSIONS).map((value, index) => (index === 7 ? 0 : value)));

const log = createLogger({ level: 'silent' });
let fake: TFakeEmbeddings;
let embedder: TEmbedder;
let db: Awaited<ReturnType<typeof createTestDb>>;

beforeAll(async () => {
  fake = await startFakeEmbeddings({ vectorOf });
  const dir = makeTempDir('audience-embeddings-');
  mkdirSync(path.join(dir, 'internal'));
  writeFileSync(path.join(dir, 'toasts.md'), '---\ntitle: Toasts\n---\n\n## Dismissing\n\nA toast is dismissed after five seconds.\n');
  writeFileSync(path.join(dir, 'internal/runbook.md'), `---\ntitle: Runbook\n---\n\n## Paging\n\n${RUNBOOK_TEXT}\n`);
  embedder = createEmbedder(parseConfig({ NODE_ENV: 'test', EMBEDDINGS_BASE_URL: fake.url, EMBEDDINGS_MODEL: MODEL, DATA_DIR: os.tmpdir() }))!;
  db = await createTestDb();
  await indexDocs({ db, docsDir: dir, embedder, audienceRules: parseAudienceRules('oncall=internal/**') as TAudienceRule[] });
});

afterAll(async () => {
  await db?.close();
  await fake?.close();
});

const found = async (access: TReaderAccess) =>
  (await searchDocsRanked({ deps: { db, log, embedder }, prompt: QUESTION, limit: 5, source: 'site', access, isRecorded: false })).results.map((result) => result.path);

describe('embedding search', () => {
  it('finds a section by its meaning only for a reader who may see its page', async () => {
    // The embeddings are what find it: the question has none of its words.
    expect(await found({ audiences: ['oncall'], isMaintainer: false })).toContain('internal/runbook.md');
    expect(fake.requests.some((request) => request.input.includes(QUESTION))).toBe(true);
    expect(await found(PUBLIC_ACCESS)).not.toContain('internal/runbook.md');
    expect(await found({ audiences: ['staff'], isMaintainer: false })).not.toContain('internal/runbook.md');
  });
});
