import { appendFileSync, cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listDocsSectionsForRanking } from '@/lib/db/docs-index';
import { createPgliteDb } from '@/lib/db/pglite';
import type { TDb } from '@/lib/db/types';
import { indexDocs } from '@/lib/docs/sources/single-kinds';
import { buildRankIndex, type TRankIndex } from '@/lib/docs/search/ranking/build';
import { rankSections } from '@/lib/docs/search/ranking/rank';
import { getRankIndex } from '@/lib/docs/search/ranking/store';
import { DEFAULT_RANK_WEIGHTS } from '@/lib/docs/search/ranking/weights';
import { makeTempDir } from '@/scripts/lib/temp-dir';
import { loadQuestionSet } from '../../scripts/lib/search-eval';
import { PASTE_CORPUS_DIR } from '../helpers/corpus.mts';
import { rankIndexShape } from '../helpers/rank-index-shape';
import { MAINTAINER_ACCESS } from '@/lib/audiences';

// Re-indexing a few pages of the real Paste corpus applies the change to the held ranking index in place
// (lib/docs/search/ranking/delta.ts), and the index it gives ranks every eval question exactly as a full build of
// the sections stored afterwards: the same first five sections, in the same order, with the same scores. Pages are
// edited (a new word, a section dropped), added (one beside an existing page, one naming a component) and removed.

const EVALS = path.resolve(import.meta.dirname, '../../evals');
const QUESTIONS = ['paste-real', 'paste-docs', 'own-docs'].flatMap((name) => loadQuestionSet(path.join(EVALS, `${name}.json`)).questions.map((question) => question.q));
const REMOVED = ['components/alert-dialog/index.mdx', 'components/anchor/api.mdx'];

const firstFive = (index: TRankIndex) =>
  QUESTIONS.map((question) =>
    rankSections(index, question, { access: MAINTAINER_ACCESS, weights: DEFAULT_RANK_WEIGHTS, limit: 5 }).map((hit) => `${index.sections[hit.section]!.id}:${hit.score}`),
  );

let docsDir: string;
let db: TDb;

beforeAll(async () => {
  docsDir = path.join(makeTempDir('rank-delta-corpus-'), 'docs');
  cpSync(PASTE_CORPUS_DIR, docsDir, { recursive: true });
  db = await createPgliteDb({ dataDir: 'memory://' });
  await indexDocs({ db, docsDir });
});

afterAll(async () => {
  await db?.close();
  rmSync(path.dirname(docsDir), { recursive: true, force: true });
});

describe('a change to the Paste corpus applied to the ranking index in place', () => {
  it('ranks every eval question as a full build of the changed docs does, and the removed pages never come back', async () => {
    const held = await getRankIndex(db);
    expect(held.index.sections.some((section) => REMOVED.includes(section.path))).toBe(true);

    appendFileSync(path.join(docsDir, 'components/button/index.mdx'), '\n\n## Quokka buttons\n\nA quokkafrobnicator button for the marsupial theme.\n');
    const spinner = path.join(docsDir, 'components/spinner/index.mdx');
    const source = readFileSync(spinner, 'utf8');
    // The spinner page without its last section.
    writeFileSync(spinner, source.slice(0, source.lastIndexOf('\n## ')));
    mkdirSync(path.join(docsDir, 'components/throbber'), { recursive: true });
    writeFileSync(
      path.join(docsDir, 'components/throbber/index.mdx'),
      '---\ntitle: Throbber\ndescription: A pulsing indicator that content is loading.\n---\n\n## About Throbber\n\nA throbber pulses while a page waits for data. Use it instead of a spinner in dense tables.\n',
    );
    writeFileSync(path.join(docsDir, 'components/spinner/changelog.mdx'), '---\ntitle: Spinner changelog\n---\n\n## 2.0.0\n\nThe spinner spins faster.\n');
    for (const removed of REMOVED) rmSync(path.join(docsDir, removed));
    const report = await indexDocs({ db, docsDir });
    expect(report.removed.sort()).toEqual([...REMOVED].sort());

    const changed = await getRankIndex(db);
    expect(changed.buildKind).toBe('delta');
    const full = buildRankIndex(await listDocsSectionsForRanking({ db }));
    expect(rankIndexShape(changed.index)).toEqual(rankIndexShape(full));
    const fromDelta = firstFive(changed.index);
    expect(fromDelta).toEqual(firstFive(full));
    expect(fromDelta.filter((hits) => hits.length > 0).length).toBeGreaterThan(QUESTIONS.length * 0.9);

    const removedIds = new Set(held.index.sections.filter((section) => REMOVED.includes(section.path)).map((section) => section.id));
    expect(changed.index.sections.some((section) => REMOVED.includes(section.path) || removedIds.has(section.id))).toBe(false);
    const top = rankSections(changed.index, 'quokkafrobnicator marsupial', { access: MAINTAINER_ACCESS, weights: DEFAULT_RANK_WEIGHTS, limit: 1 });
    expect(changed.index.sections[top[0]!.section]!.path).toBe('components/button/index.mdx');
  });
});
