import { appendFileSync, cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listDocsSectionsForRanking } from '@/lib/db/docs-index';
import { createPgliteDb } from '@/lib/db/pglite';
import type { TDb } from '@/lib/db/types';
import { indexDocs } from '@/lib/docs/sources/single-kinds';
import { buildRankIndex, isLiveSection, type TRankIndex } from '@/lib/docs/search/ranking/build';
import { mergeOverlay } from '@/lib/docs/search/ranking/overlay';
import { rankSections } from '@/lib/docs/search/ranking/rank';
import { getRankIndex, setRankOverlayPolicy, type TOverlayPolicy } from '@/lib/docs/search/ranking/store';
import { DEFAULT_RANK_WEIGHTS } from '@/lib/docs/search/ranking/weights';
import { makeTempDir } from '@/scripts/lib/temp-dir';
import { loadQuestionSet } from '../../scripts/lib/search-eval';
import { PASTE_CORPUS_DIR } from '../helpers/corpus.mts';
import { rankIndexShape } from '../helpers/rank-index-shape';
import { MAINTAINER_ACCESS } from '@/lib/audiences';

// Changes to the real Paste corpus laid over the held ranking index (lib/docs/search/ranking/overlay.ts, the overlay
// turned on for a corpus this size): after each of several re-indexes in a row (pages edited, added, removed, an
// edited page edited again) every eval question ranks exactly as on a full build of the sections stored then: the
// same first five sections, in the same order, with the same scores; merged, the overlay is the full build's index.

const EVALS = path.resolve(import.meta.dirname, '../../evals');
const QUESTIONS = ['paste-real', 'paste-docs', 'own-docs'].flatMap((name) => loadQuestionSet(path.join(EVALS, `${name}.json`)).questions.map((question) => question.q));

const firstFive = (index: TRankIndex) =>
  QUESTIONS.map((question) =>
    rankSections(index, question, { access: MAINTAINER_ACCESS, weights: DEFAULT_RANK_WEIGHTS, limit: 5 }).map((hit) => `${index.sections[hit.section]!.id}:${hit.score}`),
  );

let docsDir: string;
let db: TDb;
let policyBefore: TOverlayPolicy;

beforeAll(async () => {
  policyBefore = setRankOverlayPolicy({ minBaseSections: 0, mergeQuietMs: 3_600_000 });
  docsDir = path.join(makeTempDir('rank-overlay-corpus-'), 'docs');
  cpSync(PASTE_CORPUS_DIR, docsDir, { recursive: true });
  db = await createPgliteDb({ dataDir: 'memory://' });
  await indexDocs({ db, docsDir });
});

afterAll(async () => {
  setRankOverlayPolicy(policyBefore);
  await db?.close();
  rmSync(path.dirname(docsDir), { recursive: true, force: true });
});

describe('changes to the Paste corpus laid over the ranking index', () => {
  it('rank every eval question as a full build of the changed docs does, change after change, and merge into it', async () => {
    const held = await getRankIndex(db);
    const file = (relative: string) => path.join(docsDir, relative);
    const changes: [string, () => void][] = [
      ['an edit with a new word', () => appendFileSync(file('components/button/index.mdx'), '\n\n## Quokka buttons\n\nA quokkafrobnicator button for the marsupial theme.\n')],
      [
        'a page added beside a component, and a section dropped',
        () => {
          const spinner = file('components/spinner/index.mdx');
          const source = readFileSync(spinner, 'utf8');
          writeFileSync(spinner, source.slice(0, source.lastIndexOf('\n## ')));
          mkdirSync(file('components/throbber'), { recursive: true });
          writeFileSync(
            file('components/throbber/index.mdx'),
            '---\ntitle: Throbber\ndescription: A pulsing indicator that content is loading.\n---\n\n## About Throbber\n\nA throbber pulses while a page waits for data. Use it instead of a spinner in dense tables.\n',
          );
        },
      ],
      [
        'pages removed',
        () => {
          rmSync(file('components/alert-dialog/index.mdx'));
          rmSync(file('components/anchor/api.mdx'));
        },
      ],
      ['the edited page edited again', () => appendFileSync(file('components/button/index.mdx'), '\n\n## Wombat buttons\n\nThe quokkafrobnicator gains a wombat mode.\n')],
    ];
    let last: TRankIndex = held.index;
    for (const [what, change] of changes) {
      change();
      await indexDocs({ db, docsDir });
      const changed = await getRankIndex(db);
      expect([what, changed.buildKind]).toEqual([what, 'overlay']);
      expect(changed.index.overlay?.base).toBe(held.index);
      const full = buildRankIndex(await listDocsSectionsForRanking({ db }));
      const fromOverlay = firstFive(changed.index);
      expect(fromOverlay).toEqual(firstFive(full));
      expect(fromOverlay.filter((hits) => hits.length > 0).length).toBeGreaterThan(QUESTIONS.length * 0.9);
      expect(changed.index.sections.filter((_, at) => isLiveSection(changed.index, at)).map((section) => section.id)).toEqual(full.sections.map((section) => section.id));
      last = changed.index;
    }
    // Something changed that the base alone would rank otherwise.
    expect(firstFive(last)).not.toEqual(firstFive(held.index));
    const top = rankSections(last, 'quokkafrobnicator wombat', { access: MAINTAINER_ACCESS, weights: DEFAULT_RANK_WEIGHTS, limit: 1 });
    expect(last.sections[top[0]!.section]!.path).toBe('components/button/index.mdx');
    expect(rankIndexShape(mergeOverlay(last)!)).toEqual(rankIndexShape(buildRankIndex(await listDocsSectionsForRanking({ db }))));
  });
});
