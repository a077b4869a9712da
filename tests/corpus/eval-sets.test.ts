import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadQuestionSet } from '../../scripts/lib/search-eval';
import { PASTE_CORPUS_DIR, PASTE_GITHUB_CORPUS_DIR, PASTE_SOURCE_CORPUS_DIR, PNPM_CORPUS_DIR, VITE_CORPUS_DIR } from '../helpers/corpus.mts';

// The blind sets of issues 69, 70 and 71 name what answers each question: pages of Vite's, pnpm's and Paste's docs,
// Paste's threads by number, files of Paste's source with the lines that answer. Each must exist in its corpus, and
// each line range must lie in its file with the symbol it names declared by then, or a scorer would count a miss
// for a question nothing could answer. (Their structure and splits: tests/unit/eval-sets.test.ts.)

const CORPORA = { 'vite-docs': VITE_CORPUS_DIR, 'pnpm-docs': PNPM_CORPUS_DIR, 'paste-docs': PASTE_CORPUS_DIR, 'paste-source': PASTE_SOURCE_CORPUS_DIR, 'paste-github': PASTE_GITHUB_CORPUS_DIR };
for (const [name, dir] of Object.entries(CORPORA)) {
  if (!existsSync(dir)) throw new Error(`The ${name} corpus is not at ${dir}: put shared/corpora/${name} beside the checkout or set its variable (tests/helpers/corpus.mts).`);
}

type TCodeQuestion = { id: string; expected: string[]; symbol: string; lines: [number, number]; docsPage?: string };
type TResearchQuestion = { id: string; parts: { pages?: string[]; threads?: number[]; files?: string[] }[] };
type TBugReport = { id: string; corpus: 'vite-docs' | 'pnpm-docs'; expected: string[] };

const readJson = <T>(file: string): T => JSON.parse(readFileSync(path.resolve(file), 'utf8')) as T;
const missingIn = (dir: string, paths: string[]): string[] => paths.filter((file) => !existsSync(path.join(dir, file)));

describe('the blind sets name what exists in their corpora', () => {
  it.each([
    ['evals/vite-real.json', VITE_CORPUS_DIR],
    ['evals/pnpm-real.json', PNPM_CORPUS_DIR],
    ['evals/pnpm-fresh.json', PNPM_CORPUS_DIR],
    ['evals/pnpm-fresh-2.json', PNPM_CORPUS_DIR],
    ['evals/vite-fresh.json', VITE_CORPUS_DIR],
    ['evals/vite-fresh-2.json', VITE_CORPUS_DIR],
    ['evals/pnpm-fresh-3.json', PNPM_CORPUS_DIR],
    ['evals/pnpm-fresh-4.json', PNPM_CORPUS_DIR],
    ['evals/pnpm-dev.json', PNPM_CORPUS_DIR],
    ['evals/vite-dev.json', VITE_CORPUS_DIR],
  ])('%s: every expected page', (file, dir) => {
    const missing = loadQuestionSet(file).questions.flatMap((question) => missingIn(dir, question.pages).map((page) => `${question.id}: ${page}`));
    expect(missing).toEqual([]);
  });

  it.each(['evals/bug-reports/vite-pnpm.json', 'evals/bug-reports/vite-pnpm-fresh.json', 'evals/bug-reports/vite-pnpm-fresh-2.json', 'evals/bug-reports/vite-pnpm-fresh-3.json', 'evals/bug-reports/vite-pnpm-fresh-4.json', 'evals/bug-reports/vite-pnpm-dev-2.json'])('%s: every expected page, in its report’s corpus', (file) => {
    const { reports } = readJson<{ reports: TBugReport[] }>(file);
    const missing = reports.flatMap((report) => missingIn(CORPORA[report.corpus], report.expected).map((page) => `${report.id}: ${page}`));
    expect(missing).toEqual([]);
  });

  it('code/paste-source.json: every file, each line range inside its file after its symbol, every docs page', () => {
    const { questions } = readJson<{ questions: TCodeQuestion[] }>('evals/code/paste-source.json');
    const problems: string[] = [];
    for (const question of questions) {
      for (const file of missingIn(PASTE_SOURCE_CORPUS_DIR, question.expected)) problems.push(`${question.id}: ${file}`);
      if (question.docsPage && !existsSync(path.join(PASTE_CORPUS_DIR, question.docsPage))) problems.push(`${question.id}: ${question.docsPage}`);
      const [main = ''] = question.expected;
      if (!existsSync(path.join(PASTE_SOURCE_CORPUS_DIR, main))) continue;
      const lines = readFileSync(path.join(PASTE_SOURCE_CORPUS_DIR, main), 'utf8').split('\n');
      const [from, to] = question.lines;
      const symbolLine = lines.findIndex((line) => line.includes(question.symbol)) + 1;
      if (to > lines.length) problems.push(`${question.id}: lines ${from}-${to} past the end of ${main} (${lines.length})`);
      if (symbolLine === 0 || symbolLine > to) problems.push(`${question.id}: ${question.symbol} not in ${main} by line ${to}`);
    }
    expect(problems).toEqual([]);
  });

  it('research/heldout.json: every page, thread and file each part names', () => {
    const { questions } = readJson<{ questions: TResearchQuestion[] }>('evals/research/heldout.json');
    const threads = new Set(readJson<{ number: number }[]>(path.join(PASTE_GITHUB_CORPUS_DIR, 'issues.json')).map((thread) => thread.number));
    const problems = questions.flatMap((question) =>
      question.parts.flatMap((part) => [
        ...missingIn(PASTE_CORPUS_DIR, part.pages ?? []),
        ...missingIn(PASTE_SOURCE_CORPUS_DIR, part.files ?? []),
        ...(part.threads ?? []).filter((thread) => !threads.has(thread)).map((thread) => `#${thread}`),
      ].map((missing) => `${question.id}: ${missing}`)),
    );
    expect(problems).toEqual([]);
  });
});
