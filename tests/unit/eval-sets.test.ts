import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { loadQuestionSet, type TQuestion } from '../../scripts/lib/search-eval';

// The blind sets of issues 69, 70 and 71, each as its `about` states it: every field a question needs, ids unique,
// and the split fixed when it was written (in file order, every third question is 'test', the rest 'dev'), so an
// edit that moves a question between halves, or drops what a scorer reads, fails here. That their pages, threads and
// files exist in the shared corpora is tests/corpus/eval-sets.test.ts's; this site's own docs are in the checkout, so
// own-docs-heldout's pages and section headings are checked here (rename a heading and the set must follow it).

const OWN_DOCS = path.resolve('content/docs');

const ZSplit = z.enum(['dev', 'test']);
const ZPath = z.string().min(1).refine((value) => !value.startsWith('/') && !value.includes('..'), 'a path relative to its corpus');

const ZBugReport = z.object({
  id: z.string().min(1),
  split: ZSplit,
  corpus: z.enum(['vite-docs', 'pnpm-docs']),
  title: z.string().min(1),
  body: z.string().min(200),
  oneLine: z.string().min(1).refine((value) => !value.includes('\n'), 'one line'),
  expected: z.array(ZPath).min(1),
});

const ZBugReports = z.object({
  about: z.array(z.string().min(1)).min(1),
  reports: z.array(ZBugReport).min(20).max(30),
});

// The fresh twins, written after vite-pnpm.json's test split had been judged: every one held out.
const ZFreshBugReports = z.object({
  about: z.array(z.string().min(1)).min(1),
  reports: z.array(ZBugReport.extend({ split: z.literal('test') })).min(10).max(20),
});

const ZCodeSet = z.object({
  corpus: z.literal('paste-source'),
  about: z.array(z.string().min(1)).min(1),
  questions: z
    .array(
      z
        .object({
          id: z.string().min(1),
          // "fresh", "fresh-2": written after the test split, then "fresh", had been judged (issue 70), held out as test was.
          split: z.enum(['dev', 'test', 'fresh', 'fresh-2']),
          question: z.string().min(1),
          expected: z.array(ZPath).min(1),
          symbol: z.string().min(1),
          lines: z.tuple([z.number().int().positive(), z.number().int().positive()]).refine(([from, to]) => from <= to, 'from ≤ to'),
          docsAlso: z.boolean(),
          docsPage: ZPath.optional(),
          source: z.string().url().optional(),
        })
        .refine((question) => question.docsAlso === (question.docsPage !== undefined), 'docsPage exactly when docsAlso'),
    )
    .min(50)
    .max(100),
});

const ZResearchSet = z.object({
  corpus: z.literal('paste-docs'),
  about: z.array(z.string().min(1)).min(1),
  questions: z
    .array(
      z.object({
        id: z.string().min(1),
        split: ZSplit,
        question: z.string().min(1),
        expected: z.array(ZPath).min(1),
        parts: z
          .array(
            z
              .object({
                part: z.string().min(1),
                pages: z.array(ZPath).min(1).optional(),
                threads: z.array(z.number().int().positive()).min(1).optional(),
                files: z.array(ZPath).min(1).optional(),
              })
              .refine((part) => part.pages ?? part.threads ?? part.files, 'each part names what answers it'),
          )
          .min(2),
      }),
    )
    .length(20),
});

const readJson = (file: string): unknown => JSON.parse(readFileSync(path.resolve(file), 'utf8'));

/** The split the sets state: in file order, positions 3, 6, 9, … (from 1) are 'test'. */
const statedSplits = (count: number): string[] => Array.from({ length: count }, (_, index) => ((index + 1) % 3 === 0 ? 'test' : 'dev'));

const duplicates = (ids: string[]): string[] => ids.filter((id, index) => ids.indexOf(id) !== index);

/** A page's headings as the search reads them: text after the #s, backticks dropped, fenced code left out. */
function headingsOf(file: string): string[] {
  const headings: string[] = [];
  let isInFence = false;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line.trimStart().startsWith('```')) isInFence = !isInFence;
    const match = isInFence ? null : /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (match?.[1]) headings.push(match[1].replaceAll('`', ''));
  }
  return headings;
}

/** Real readers' questions: each quoted from a GitHub thread (its source), its id that thread's `owner/repo#N`, with pages. */
function expectQuotedFromGitHub(questions: TQuestion[]): void {
  for (const question of questions) {
    expect(question.source).toMatch(/^https:\/\/github\.com\/[^/]+\/[^/]+\/(?:issues|pull|discussions)\/\d+$/);
    expect(question.id).toBe(question.source?.replace(/^https:\/\/github\.com\/([^/]+)\/([^/]+)\/\w+\/(\d+)$/, '$1/$2#$3'));
    expect(question.pages.length).toBeGreaterThan(0);
  }
}

describe('the real readers’ sets (issue 69)', () => {
  it.each(['evals/vite-real.json', 'evals/pnpm-real.json'])('%s: quoted with their source, ids unique, split as stated', (file) => {
    const set = loadQuestionSet(file);
    expect(set.corpus).toBe(path.basename(file, '.json').replace('-real', '-docs'));
    expect(set.questions.length).toBeGreaterThanOrEqual(40);
    expect(set.questions.length).toBeLessThanOrEqual(60);
    const ids = set.questions.map((question) => question.id ?? '');
    expect(duplicates(ids)).toEqual([]);
    expect(set.questions.map((question) => question.split)).toEqual(statedSplits(ids.length));
    expectQuotedFromGitHub(set.questions);
  });
});

// Readers' question sets written after the first ones: the fresh held-out sets (every question test, each written after
// the sets before it on its corpus had been judged) and the tuning sets (every question dev). None quotes a thread an
// earlier set quotes.
const TUNING_EARLIER = ['evals/pnpm-real.json', 'evals/pnpm-fresh.json', 'evals/pnpm-fresh-2.json', 'evals/vite-real.json', 'evals/vite-fresh.json'];
const PNPM_BEFORE_FRESH_3 = ['evals/pnpm-real.json', 'evals/pnpm-fresh.json', 'evals/pnpm-fresh-2.json', 'evals/pnpm-dev.json'];
describe.each([
  ['evals/pnpm-fresh.json', 'pnpm-docs', 'test', 20, ['evals/pnpm-real.json']],
  ['evals/pnpm-fresh-2.json', 'pnpm-docs', 'test', 20, ['evals/pnpm-real.json', 'evals/pnpm-fresh.json']],
  ['evals/vite-fresh.json', 'vite-docs', 'test', 20, ['evals/vite-real.json']],
  ['evals/pnpm-fresh-3.json', 'pnpm-docs', 'test', 20, PNPM_BEFORE_FRESH_3],
  ['evals/pnpm-fresh-4.json', 'pnpm-docs', 'test', 20, [...PNPM_BEFORE_FRESH_3, 'evals/pnpm-fresh-3.json']],
  ['evals/vite-fresh-2.json', 'vite-docs', 'test', 20, ['evals/vite-real.json', 'evals/vite-fresh.json', 'evals/vite-dev.json']],
  ['evals/pnpm-dev.json', 'pnpm-docs', 'dev', 15, TUNING_EARLIER],
  ['evals/vite-dev.json', 'vite-docs', 'dev', 15, TUNING_EARLIER],
] as const)('%s: readers’ questions written after the first sets', (file, corpus, split, fewest, earlier) => {
  const set = loadQuestionSet(file);

  it(`has ${fewest} to 30 questions quoted with their source, ids unique, every one ${split}, none from an earlier set`, () => {
    expect(set.corpus).toBe(corpus);
    expect(set.questions.length).toBeGreaterThanOrEqual(fewest);
    expect(set.questions.length).toBeLessThanOrEqual(30);
    const ids = set.questions.map((question) => question.id ?? '');
    expect(duplicates(ids)).toEqual([]);
    expect(set.questions.map((question) => question.split)).toEqual(ids.map(() => split));
    expectQuotedFromGitHub(set.questions);
    const seen = new Set(earlier.flatMap((other) => loadQuestionSet(other).questions.map((question) => question.source)));
    expect(set.questions.filter((question) => seen.has(question.source)).map((question) => question.id)).toEqual([]);
  });
});

describe('bug-reports/vite-pnpm-dev-2 (issue 69, tuning)', () => {
  const { reports } = z.object({ reports: z.array(ZBugReport.extend({ split: z.literal('dev') })).min(10).max(20) }).parse(readJson('evals/bug-reports/vite-pnpm-dev-2.json'));
  const earlier = ['evals/bug-reports/vite-pnpm.json', 'evals/bug-reports/vite-pnpm-fresh.json', 'evals/bug-reports/vite-pnpm-fresh-2.json'].flatMap(
    (file) => z.object({ reports: z.array(ZBugReport) }).parse(readJson(file)).reports,
  );

  it('has reports of both projects in their templates, ids and titles unique across the report sets, every one dev', () => {
    expect(duplicates([...earlier, ...reports].map((report) => report.id))).toEqual([]);
    expect(duplicates([...earlier, ...reports].map((report) => report.title))).toEqual([]);
    for (const report of reports.filter((entry) => entry.corpus === 'vite-docs')) expect(report.body).toMatch(/### Describe the bug[\s\S]*### System Info/);
    for (const report of reports.filter((entry) => entry.corpus === 'pnpm-docs')) expect(report.body).toMatch(/### pnpm version[\s\S]*### Describe the Bug/);
    expect(reports.filter((entry) => entry.corpus === 'vite-docs').length).toBeGreaterThanOrEqual(5);
  });
});

describe('own-docs-heldout (issue 69)', () => {
  const set = loadQuestionSet('evals/own-docs-heldout.json');

  it('has 30 to 40 written questions, ids unique, split as stated, the Slack question first', () => {
    expect(set.corpus).toBe('own-docs');
    expect(set.questions.length).toBeGreaterThanOrEqual(30);
    expect(set.questions.length).toBeLessThanOrEqual(40);
    const ids = set.questions.map((question) => question.id ?? '');
    expect(duplicates(ids)).toEqual([]);
    expect(set.questions.map((question) => question.split)).toEqual(statedSplits(ids.length));
    expect(set.questions[0]).toMatchObject({
      q: 'How do I connect the assistant to Slack?',
      section: { page: 'guides/slack.mdx', heading: 'Configure the server' },
    });
  });

  it('names pages that exist in content/docs, and section headings those pages have', () => {
    const missing: string[] = [];
    for (const question of set.questions) {
      for (const page of question.pages) if (!existsSync(path.join(OWN_DOCS, page))) missing.push(`${question.id}: ${page}`);
      const { section } = question;
      if (!section) continue;
      if (!question.pages.includes(section.page)) missing.push(`${question.id}: ${section.page} is not among its pages`);
      else if (!headingsOf(path.join(OWN_DOCS, section.page)).includes(section.heading)) missing.push(`${question.id}: ${section.page} # ${section.heading}`);
    }
    expect(missing).toEqual([]);
    expect(set.questions.filter((question) => question.section).length).toBeGreaterThanOrEqual(30);
  });
});

describe('bug-reports/vite-pnpm (issue 69)', () => {
  const { reports } = ZBugReports.parse(readJson('evals/bug-reports/vite-pnpm.json'));

  it('has reports of both projects in their templates, ids unique, split as stated', () => {
    expect(duplicates(reports.map((report) => report.id))).toEqual([]);
    expect(reports.map((report) => report.split)).toEqual(statedSplits(reports.length));
    const vite = reports.filter((report) => report.corpus === 'vite-docs');
    const pnpm = reports.filter((report) => report.corpus === 'pnpm-docs');
    expect(vite.length).toBeGreaterThanOrEqual(10);
    expect(pnpm.length).toBeGreaterThanOrEqual(10);
    // Headings of Vite's bug_report.yml and pnpm's bug-report.yaml as GitHub renders them.
    for (const report of vite) expect(report.body).toMatch(/### Describe the bug[\s\S]*### System Info/);
    for (const report of pnpm) expect(report.body).toMatch(/### pnpm version[\s\S]*### Describe the Bug/);
  });
});

describe.each([
  ['evals/bug-reports/vite-pnpm-fresh.json', ['evals/bug-reports/vite-pnpm.json']],
  ['evals/bug-reports/vite-pnpm-fresh-2.json', ['evals/bug-reports/vite-pnpm.json', 'evals/bug-reports/vite-pnpm-fresh.json']],
  [
    'evals/bug-reports/vite-pnpm-fresh-3.json',
    ['evals/bug-reports/vite-pnpm.json', 'evals/bug-reports/vite-pnpm-fresh.json', 'evals/bug-reports/vite-pnpm-fresh-2.json', 'evals/bug-reports/vite-pnpm-dev-2.json'],
  ],
  [
    'evals/bug-reports/vite-pnpm-fresh-4.json',
    [
      'evals/bug-reports/vite-pnpm.json',
      'evals/bug-reports/vite-pnpm-fresh.json',
      'evals/bug-reports/vite-pnpm-fresh-2.json',
      'evals/bug-reports/vite-pnpm-fresh-3.json',
      'evals/bug-reports/vite-pnpm-dev-2.json',
    ],
  ],
])('%s (issue 69, held out)', (file, earlier) => {
  const { reports } = ZFreshBugReports.parse(readJson(file));
  const before = earlier.flatMap((other) => z.object({ reports: z.array(ZBugReport) }).parse(readJson(other)).reports);

  it('has reports of both projects in their templates, ids unique, every one test, none sharing a title with an earlier set', () => {
    expect(duplicates(reports.map((report) => report.id))).toEqual([]);
    expect(duplicates([...before, ...reports].map((report) => report.id))).toEqual([]);
    expect(reports.every((report) => report.split === 'test')).toBe(true);
    const titles = new Set(before.map((report) => report.title));
    expect(reports.filter((report) => titles.has(report.title)).map((report) => report.id)).toEqual([]);
    const vite = reports.filter((report) => report.corpus === 'vite-docs');
    const pnpm = reports.filter((report) => report.corpus === 'pnpm-docs');
    expect(vite.length).toBeGreaterThanOrEqual(5);
    expect(pnpm.length).toBeGreaterThanOrEqual(5);
    for (const report of vite) expect(report.body).toMatch(/### Describe the bug[\s\S]*### System Info/);
    for (const report of pnpm) expect(report.body).toMatch(/### pnpm version[\s\S]*### Describe the Bug/);
  });
});

describe('code/paste-source (issue 70)', () => {
  const { questions } = ZCodeSet.parse(readJson('evals/code/paste-source.json'));

  it('has ids unique, split as stated, and most questions about what the docs do not say', () => {
    expect(duplicates(questions.map((question) => question.id))).toEqual([]);
    // The first sixty split dev/test by position; the twenty written after the test split was judged are "fresh", the
    // fifteen written after those were judged "fresh-2".
    const fresh = questions.filter((question) => Number(question.id.slice('code-'.length)) > 60);
    expect(fresh.map((question) => question.split)).toEqual(fresh.map((question) => (Number(question.id.slice('code-'.length)) > 80 ? 'fresh-2' : 'fresh')));
    expect(questions.slice(0, questions.length - fresh.length).map((question) => question.split)).toEqual(statedSplits(questions.length - fresh.length));
    expect(questions.filter((question) => !question.docsAlso).length).toBeGreaterThan(questions.length / 2);
  });
});

describe('research/heldout (issue 71)', () => {
  const { questions } = ZResearchSet.parse(readJson('evals/research/heldout.json'));

  it('has ids unique, split as stated, and as expected pages exactly the pages its parts name', () => {
    expect(duplicates(questions.map((question) => question.id))).toEqual([]);
    expect(questions.map((question) => question.split)).toEqual(statedSplits(questions.length));
    for (const question of questions) {
      expect(question.expected).toEqual([...new Set(question.parts.flatMap((part) => part.pages ?? []))]);
    }
  });
});
