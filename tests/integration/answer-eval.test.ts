import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TDb } from '@/lib/db/types';
import { makeTempDir } from '@/scripts/lib/temp-dir';
import { evaluateOfflineAnswers } from '../../scripts/lib/answer-eval';
import { indexIntoMemory } from '../../scripts/lib/search-eval';

// scripts/lib/answer-eval.ts on a small docs folder indexed into PGlite: the offline answers are composed as a run
// composes them, and the first cited section is checked against each question's expected pages (paths relative to
// the folder, as the question sets write them).
describe('offline answer evaluation', () => {
  let docsDir: string;
  let db: TDb;

  beforeAll(async () => {
    docsDir = makeTempDir('answer-eval-docs-');
    const page = (relative: string, text: string) => {
      mkdirSync(path.dirname(path.join(docsDir, relative)), { recursive: true });
      writeFileSync(path.join(docsDir, relative), text);
    };
    page('components/toast/index.mdx', '---\ntitle: Toast\n---\n\n## Showing a toast\n\nPush a toast with the toaster to confirm that a change was saved.\n');
    page('components/spinner/index.mdx', '---\ntitle: Spinner\n---\n\n## Spinner sizes\n\nA spinner shows that content is loading; pick its size from the icon sizes.\n');
    ({ db } = await indexIntoMemory(docsDir));
  }, 60_000);

  afterAll(async () => {
    await db?.close();
    rmSync(docsDir, { recursive: true, force: true });
  });

  it('counts the answers that lead on a right page, and the searches whose top hit is on one', async () => {
    const result = await evaluateOfflineAnswers({
      db,
      docsDir,
      set: {
        corpus: 'fixture',
        questions: [
          { q: 'How do I push a toast after a change was saved?', pages: ['components/toast/index.mdx'] },
          { q: 'Which sizes does the loading spinner come in?', pages: ['components/spinner/index.mdx'] },
          { q: 'Which sizes does the loading spinner come in, again?', pages: ['components/toast/index.mdx'] },
        ],
      },
    });
    expect(result.questions).toBe(3);
    expect(result.firstCitedRight).toBe(2);
    expect(result.topHitRight).toBe(2);
    expect(result.misses).toEqual([
      { q: 'Which sizes does the loading spinner come in, again?', expected: ['components/toast/index.mdx'], cited: 'components/spinner/index.mdx' },
    ]);
  });
});
