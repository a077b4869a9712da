import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import MiniSearch from 'minisearch';
import { z } from 'zod';
import { createPgliteDb } from '@/lib/db/pglite';
import type { TDb } from '@/lib/db/types';
import { indexDocs, type TIndexReport } from '@/lib/docs/sources/single-kinds';
import { rankDocsSections } from '@/lib/docs/search/ranking/store';
import { searchDocsRanked } from '@/lib/docs/search/search';
import { searchDocsForReader } from '@/lib/docs/search/search-box';
import { createLogger } from '@/lib/log';
import { listDocFiles, readDocFile } from '@/lib/docs/folder/load';
import { parseDoc } from '@/lib/docs/parse/parse';
import { MAINTAINER_ACCESS, PUBLIC_ACCESS } from '@/lib/audiences';

// Retrieval quality of the docs search on a question set: recall@1, recall@5 and MRR (over the first 10
// results) at the page level: a question is answered when a result comes from one of its expected pages.
// The same questions run against a plain BM25 baseline (MiniSearch over the same sections) for comparison.

// Two file shapes. The hand-written sets: { corpus, description, questions: [{ q, pages }] }. The split sets
// (evals/paste-real.json, vite-real.json, pnpm-real.json, own-docs-heldout.json): { corpus, about, questions: [{ id,
// split, question, source?, expected, expectedSection? }] }, whose questions carry a dev/test split; `source` is the
// thread a real reader's question was quoted from (absent for written questions), `expectedSection` the one section
// that clearly answers. Both load into one TQuestionSet.
const ZPagePaths = z.array(z.string().min(1)).min(1);

const ZAuthoredQuestionSet = z.object({
  corpus: z.string(),
  description: z.string().optional(),
  defaultDocsDir: z.string().optional(),
  questions: z.array(z.object({ q: z.string().min(1), pages: ZPagePaths })).min(1),
});

export const ZSplit = z.enum(['dev', 'test']);
export type TSplit = z.infer<typeof ZSplit>;

const ZRealQuestionSet = z.object({
  corpus: z.string(),
  about: z.union([z.string(), z.array(z.string())]).optional(),
  defaultDocsDir: z.string().optional(),
  questions: z
    .array(
      z.object({
        id: z.string().min(1),
        split: ZSplit,
        question: z.string().min(1),
        source: z.string().url().optional(),
        expected: ZPagePaths,
        expectedSection: z.object({ page: z.string().min(1), heading: z.string().min(1) }).optional(),
      }),
    )
    .min(1),
});

export type TQuestion = {
  q: string;
  pages: string[];
  id?: string;
  split?: TSplit;
  source?: string;
  /** The one section that clearly answers, where one does: its page (one of `pages`) and heading text. */
  section?: { page: string; heading: string };
};
export type TQuestionSet = { corpus: string; description?: string; defaultDocsDir?: string; questions: TQuestion[] };

type TRealQuestionSet = z.infer<typeof ZRealQuestionSet>;

function fromRealQuestionSet(real: TRealQuestionSet): TQuestionSet {
  return {
    corpus: real.corpus,
    description: Array.isArray(real.about) ? real.about.join(' ') : real.about,
    defaultDocsDir: real.defaultDocsDir,
    questions: real.questions.map((question) => ({
      q: question.question,
      pages: question.expected,
      id: question.id,
      split: question.split,
      source: question.source,
      section: question.expectedSection,
    })),
  };
}

export const ZQuestionSet = z
  .union([ZAuthoredQuestionSet, ZRealQuestionSet])
  .transform((set): TQuestionSet => ('about' in set || set.questions.some((question) => 'question' in question)
    ? fromRealQuestionSet(ZRealQuestionSet.parse(set))
    : ZAuthoredQuestionSet.parse(set)));

export type TEvalResult = {
  questions: number;
  recallAt1: number;
  recallAt5: number;
  mrr: number;
  misses: { q: string; expected: string[]; got: string[] }[];
};

export function loadQuestionSet(file: string): TQuestionSet {
  return ZQuestionSet.parse(JSON.parse(readFileSync(file, 'utf8')));
}

/**
 * The set cut by split, in the order dev, test; a set without splits comes back whole under `all`. A question
 * without a split in a split set is an error: it would silently leave both halves.
 */
export function splitQuestionSet(set: TQuestionSet): { split: TSplit | 'all'; set: TQuestionSet }[] {
  if (set.questions.every((question) => question.split === undefined)) return [{ split: 'all', set }];
  const unsplit = set.questions.filter((question) => question.split === undefined);
  if (unsplit.length > 0) throw new Error(`${set.corpus}: ${unsplit.length} question(s) without a split`);
  return ZSplit.options.map((split) => ({
    split,
    set: { ...set, questions: set.questions.filter((question) => question.split === split) },
  }));
}

/** Pages missing from the corpus: a question set that names them is out of date. */
export function missingPages(set: TQuestionSet, docsDir: string): string[] {
  return [...new Set(set.questions.flatMap((question) => question.pages))].filter((page) => !existsSync(path.join(docsDir, page)));
}

export async function evaluate(
  set: TQuestionSet,
  search: (query: string) => Promise<string[]>,
): Promise<TEvalResult> {
  let hitsAt1 = 0;
  let hitsAt5 = 0;
  let reciprocal = 0;
  const misses: TEvalResult['misses'] = [];
  for (const question of set.questions) {
    const paths = (await search(question.q)).slice(0, 10);
    const rank = paths.findIndex((found) => question.pages.includes(found));
    if (rank === 0) hitsAt1 += 1;
    if (rank >= 0 && rank < 5) hitsAt5 += 1;
    if (rank >= 0) reciprocal += 1 / (rank + 1);
    if (rank < 0 || rank >= 5) misses.push({ q: question.q, expected: question.pages, got: paths.slice(0, 5) });
  }
  const count = set.questions.length;
  return { questions: count, recallAt1: hitsAt1 / count, recallAt5: hitsAt5 / count, mrr: reciprocal / count, misses };
}

/** A throwaway in-memory Postgres with `docsDir` indexed. */
/** `loadDataDir`: a dump of an already migrated database to start from (migrating takes seconds). */
export async function indexIntoMemory(docsDir: string, { loadDataDir }: { loadDataDir?: Blob } = {}): Promise<{ db: TDb; report: TIndexReport }> {
  const db = await createPgliteDb({ dataDir: 'memory://', loadDataDir });
  const report = await indexDocs({ db, docsDir });
  return { db, report };
}

/** The docs search as the server runs it (the in-memory ranker over the stored sections, default weights). */
export function docsSearch(db: TDb, limit = 10) {
  return async (query: string) => (await rankDocsSections({ access: MAINTAINER_ACCESS, db, query, limit })).map((hit) => hit.path);
}

/**
 * The search box's path as /api/docs-search runs it: the reader's words masked, short typos corrected, then the
 * ranker with its default weights. The hidden evaluations go through that route, so a difference from
 * `docsSearch` is something the route does to the reader's words.
 */
export function searchBoxSearch(db: TDb, limit = 10) {
  const deps = { db, log: createLogger({ level: 'silent' }), embedder: null };
  return async (query: string) => (await searchDocsForReader({ access: PUBLIC_ACCESS, deps, prompt: query, limit })).data.map((hit) => hit.path);
}

/** The baseline: MiniSearch's BM25 over the same sections (title, heading path, content), default options. */
export function buildMiniSearch(docsDir: string) {
  const index = new MiniSearch<{ id: number; path: string; title: string; heading: string; content: string }>({
    fields: ['title', 'heading', 'content'],
    storeFields: ['path'],
  });
  let id = 0;
  for (const relativePath of listDocFiles(docsDir)) {
    const file = readDocFile(docsDir, relativePath);
    let parsed;
    try {
      parsed = parseDoc({ source: file.source, path: relativePath });
    } catch {
      continue;
    }
    index.addAll(
      parsed.sections.map((section) => ({
        id: (id += 1),
        path: relativePath,
        title: parsed.title,
        heading: section.headingPath.join(' '),
        content: section.content,
      })),
    );
  }
  return async (query: string) => index.search(query).slice(0, 10).map((hit) => hit.path as string);
}

/** evals/off-topic.json: questions the docs do not cover, for the relevance floor. */
export function loadOffTopicQuestions(file = 'evals/off-topic.json'): string[] {
  return z.object({ questions: z.array(z.string().min(1)).min(1) }).parse(JSON.parse(readFileSync(file, 'utf8'))).questions;
}

/** The evidence the docs search finds for each question (search.ts: the relevance floor's measure), full text as offline. */
export async function questionEvidence(db: TDb, questions: string[]): Promise<number[]> {
  const deps = { db, log: createLogger({ level: 'silent' }), embedder: null };
  const evidence: number[] = [];
  for (const question of questions) evidence.push((await searchDocsRanked({ access: PUBLIC_ACCESS, deps, prompt: question.slice(0, 500), source: 'site', limit: 5, isRecorded: false })).evidence);
  return evidence;
}

/**
 * The relevance floor on a question list: which questions the docs search calls weak (the assistant then says
 * the docs do not cover them). Full-text search, as offline.
 */
export async function weakQuestions(db: TDb, questions: string[]): Promise<{ weak: string[]; strong: string[] }> {
  const deps = { db, log: createLogger({ level: 'silent' }), embedder: null };
  const weak: string[] = [];
  const strong: string[] = [];
  for (const question of questions) {
    const { isWeak } = await searchDocsRanked({ access: PUBLIC_ACCESS, deps, prompt: question.slice(0, 500), source: 'site', limit: 5 });
    (isWeak ? weak : strong).push(question);
  }
  return { weak, strong };
}

/** Whether an evals/ file is an off-topic list (off-topic*.json): questions without pages, with their own loader. */
export function isOffTopicFile(file: string): boolean {
  return /^off-topic.*\.json$/.test(path.basename(file));
}

/** Every off-topic list of `dir` (evals/off-topic.json, evals/off-topic-heldout.json), for the relevance floor. */
export function listOffTopicFiles(dir = 'evals'): string[] {
  return readdirSync(dir).filter(isOffTopicFile).sort().map((file) => path.join(dir, file));
}

/** The question sets in `dir` (each JSON file but the off-topic lists, which name no pages and have their own loader). */
export function listQuestionSetFiles(dir = 'evals'): string[] {
  return readdirSync(dir)
    .filter((file) => file.endsWith('.json') && !isOffTopicFile(file))
    .sort()
    .map((file) => path.join(dir, file));
}
