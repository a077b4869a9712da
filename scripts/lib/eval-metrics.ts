import { z } from 'zod';
import { slugFromPath } from '@/lib/docs/folder/load';
import type { TUsage } from '@/lib/db/rows';
import { percentile } from './next-server';

// `npm run eval`'s pure part (scripts/eval.ts runs the questions): the question file, which pages count as right,
// the metrics, the prices and the thresholds a team's CI sets. No I/O here, so each is unit-tested on values.

// ---- The question file: JSONL, one question per line ---------------------------------------------------------

export const ZEvalQuestion = z
  .object({
    question: z.string().trim().min(1, 'question must not be empty'),
    /** Pages that answer it: URLs (any host) or docs paths and slugs, as evals/*.json name them. */
    expected: z.array(z.string().trim().min(1)).min(1, 'expected, when given, lists at least one page').optional(),
    /** Words or phrases a good answer contains (case and spacing ignored). */
    mustMention: z.array(z.string().trim().min(1)).min(1, 'mustMention, when given, lists at least one string').optional(),
  })
  .strict();
export type TEvalQuestion = z.infer<typeof ZEvalQuestion> & { line: number };

/** A line of the question file that is not a question: the message names the file and the line. */
export class QuestionFileError extends Error {
  override name = 'QuestionFileError';
}

/**
 * The questions of a JSONL file's text, each with its line number. Blank lines are skipped; any other line that is
 * not JSON, or not a question's shape, throws a QuestionFileError naming its line (the first such line).
 */
export function parseQuestionsJsonl(text: string, file: string): TEvalQuestion[] {
  const questions: TEvalQuestion[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = index + 1;
    if (raw.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (error) {
      throw new QuestionFileError(`${file} line ${line}: not JSON (${error instanceof Error ? error.message : String(error)})`);
    }
    const parsed = ZEvalQuestion.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
      throw new QuestionFileError(
        `${file} line ${line}: ${where}${issue?.message ?? 'invalid'} (a line is {"question": "…", "expected": ["page URL or path"], "mustMention": ["…"]})`,
      );
    }
    questions.push({ ...parsed.data, line });
  });
  if (questions.length === 0) throw new QuestionFileError(`${file}: no questions (one JSON object per line)`);
  return questions;
}

// ---- Which pages are right -----------------------------------------------------------------------------------

/**
 * The ways a page reference may be written, reduced to comparable keys: a URL counts by its path (host, query,
 * #anchor and a trailing slash ignored, except an API operation's anchor, which names a page of its own), a docs path by its slug (`guides/slack.mdx` → `guides/slack`, an index page
 * by its folder). The site serves DOCS_DIR under `/docs/`, so a key with that prefix also stands without it
 * (`/docs/guides/slack` and `guides/slack.mdx` are the same page).
 */
export function pageKeys(reference: string): string[] {
  let pathPart = reference.trim();
  if (/^https?:\/\//i.test(pathPart)) {
    try {
      pathPart = new URL(pathPart).pathname;
    } catch {
      // Not a URL after all: compared as written.
    }
  }
  // An API operation is a page of its own (`…/operation/<id>`: docUrl in lib/docs/folder/load.ts), written
  // before as its spec's page's anchor (`#operation/<id>`): both name the operation, not the spec.
  const [beforeHash = '', hash = ''] = pathPart.split('#');
  const operation = /^operation\/[^/?]+/.exec(hash)?.[0];
  pathPart = beforeHash.split('?')[0]!;
  if (operation) pathPart = `${pathPart.replace(/\/+$/, '')}/${operation}`;
  try {
    pathPart = decodeURIComponent(pathPart);
  } catch {
    // A stray % stays as written.
  }
  const key = slugFromPath(pathPart.replace(/^\/+|\/+$/g, '').replace(/\.html$/i, ''));
  const withoutDocs = key === 'docs' ? '' : key.startsWith('docs/') ? key.slice('docs/'.length) : null;
  return withoutDocs === null ? [key] : [key, withoutDocs];
}

/** Whether a found page (any of its references: path, slug, URL) is one of the expected pages. */
export function isRightPage(found: string[], expected: string[]): boolean {
  const wanted = new Set(expected.flatMap(pageKeys));
  return found.some((reference) => pageKeys(reference).some((key) => wanted.has(key)));
}

/**
 * The expected pages (as the question file writes them) that no page of the index is: a question whose expected
 * pages are all among them cannot score, whatever the assistant does (another DOCS_DIR, a site not crawled yet).
 */
export function expectedNotIndexed(questions: readonly { expected?: string[] }[], indexedPaths: readonly string[]): string[] {
  const indexed = new Set(indexedPaths.flatMap(pageKeys));
  const missing = questions.flatMap((question) => question.expected ?? []).filter((reference) => !pageKeys(reference).some((key) => indexed.has(key)));
  return [...new Set(missing)];
}

/** The 0-based rank of the first source on a right page, or -1. A source names its page in one or more ways. */
export function firstRightRank(sources: string[][], expected: string[]): number {
  return sources.findIndex((references) => isRightPage(references, expected));
}

/** Whether the answer mentions each string (case and runs of spaces ignored); returns the ones it misses. */
export function missingMentions(answer: string, mustMention: string[]): string[] {
  const normalize = (text: string) => text.toLowerCase().replace(/\s+/g, ' ');
  const text = normalize(answer);
  return mustMention.filter((phrase) => !text.includes(normalize(phrase.trim())));
}

// ---- Metrics -------------------------------------------------------------------------------------------------

/** One question's outcome, as the totals read it. Null where the question does not say (no expected, no mustMention). */
export type TQuestionOutcome = {
  /** First right source's 0-based rank among the first 10, -1 for none; null without `expected`. */
  rank: number | null;
  /** The answer cites a right page; null without `expected`. */
  isCitedRight: boolean | null;
  /** The answer mentions everything it must; null without `mustMention`. */
  isMentioned: boolean | null;
  latencyMs: number;
  usage: TUsage;
  /** The answer failed (model error, run failed): latency and tokens still count. */
  isFailed: boolean;
};

export type TRate = { count: number; of: number; rate: number | null };

export type TTotals = {
  questions: number;
  failed: number;
  recallAt1: TRate;
  recallAt5: TRate;
  /** Mean reciprocal rank of the first right source among the first 10 (0 when none). */
  mrr: number | null;
  citedRight: TRate;
  mentioned: TRate;
  latencyP50Ms: number;
  latencyP95Ms: number;
  tokensPerAnswer: number;
  promptTokensPerAnswer: number;
  completionTokensPerAnswer: number;
};

const rate = (flags: boolean[]): TRate => {
  const count = flags.filter(Boolean).length;
  return { count, of: flags.length, rate: flags.length === 0 ? null : count / flags.length };
};

export function summarize(outcomes: TQuestionOutcome[]): TTotals {
  const ranks = outcomes.map((outcome) => outcome.rank).filter((rank): rank is number => rank !== null);
  const mean = (values: number[]) => (values.length === 0 ? 0 : values.reduce((sum, value) => sum + value, 0) / values.length);
  const latencies = outcomes.map((outcome) => outcome.latencyMs);
  return {
    questions: outcomes.length,
    failed: outcomes.filter((outcome) => outcome.isFailed).length,
    recallAt1: rate(ranks.map((rank) => rank === 0)),
    recallAt5: rate(ranks.map((rank) => rank >= 0 && rank < 5)),
    mrr: ranks.length === 0 ? null : mean(ranks.map((rank) => (rank >= 0 && rank < 10 ? 1 / (rank + 1) : 0))),
    citedRight: rate(outcomes.flatMap((outcome) => (outcome.isCitedRight === null ? [] : [outcome.isCitedRight]))),
    mentioned: rate(outcomes.flatMap((outcome) => (outcome.isMentioned === null ? [] : [outcome.isMentioned]))),
    latencyP50Ms: percentile(latencies, 50),
    latencyP95Ms: percentile(latencies, 95),
    tokensPerAnswer: mean(outcomes.map((outcome) => outcome.usage.total_tokens)),
    promptTokensPerAnswer: mean(outcomes.map((outcome) => outcome.usage.prompt_tokens)),
    completionTokensPerAnswer: mean(outcomes.map((outcome) => outcome.usage.completion_tokens)),
  };
}

export const NO_USAGE: TUsage = { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 };

export function addUsage(a: TUsage, b: TUsage | undefined | null): TUsage {
  if (!b) return a;
  return {
    prompt_tokens: a.prompt_tokens + (b.prompt_tokens ?? 0),
    completion_tokens: a.completion_tokens + (b.completion_tokens ?? 0),
    total_tokens: a.total_tokens + (b.total_tokens ?? (b.prompt_tokens ?? 0) + (b.completion_tokens ?? 0)),
  };
}

// ---- Prices --------------------------------------------------------------------------------------------------

/** `--prices FILE`: US dollars per million tokens, per model name (OPENAI_MODEL as the run records it). */
export const ZPrices = z.record(
  z.string().min(1),
  z.object({ inputPerMillion: z.number().nonnegative(), outputPerMillion: z.number().nonnegative() }).strict(),
);
export type TPrices = z.infer<typeof ZPrices>;

/**
 * What one answer costs on average, in dollars: 0 for the offline model (it calls nothing), null when the model has
 * no price in `prices` (the output says so rather than guessing).
 */
export function costPerAnswer({ model, isOffline, totals, prices }: { model: string; isOffline: boolean; totals: TTotals; prices: TPrices }): number | null {
  if (isOffline) return 0;
  const price = prices[model];
  if (!price) return null;
  return (totals.promptTokensPerAnswer * price.inputPerMillion + totals.completionTokensPerAnswer * price.outputPerMillion) / 1_000_000;
}

// ---- Thresholds ----------------------------------------------------------------------------------------------

export type TThresholds = { minRecall?: number; minCited?: number };

/**
 * The thresholds a run misses, each as a line saying which and by how much; empty when it passes. `--min-recall` is
 * held against recall@5 (a right page among the first five sources), `--min-cited` against the share of answers
 * that cite a right page. A threshold on a measure no question gives (no `expected` in the file) fails: a CI
 * gate that checks nothing should not pass quietly.
 */
export function thresholdFailures(totals: TTotals, { minRecall, minCited }: TThresholds, label = ''): string[] {
  const failures: string[] = [];
  const of = label ? ` (${label})` : '';
  const check = (name: string, flag: string, measured: TRate, min: number | undefined) => {
    if (min === undefined) return;
    if (measured.rate === null) failures.push(`${flag} ${min} failed${of}: no question lists expected pages, so ${name} was not measured`);
    else if (measured.rate < min) failures.push(`${flag} ${min} failed${of}: ${name} is ${measured.rate.toFixed(3)} (${measured.count} of ${measured.of})`);
  };
  check('recall@5', '--min-recall', totals.recallAt5, minRecall);
  check('the share of answers citing a right page', '--min-cited', totals.citedRight, minCited);
  return failures;
}

/** A threshold given on the command line: a number from 0 to 1. */
export function parseThreshold(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (value.trim() === '' || !Number.isFinite(number) || number < 0 || number > 1) throw new Error(`${flag} takes a number from 0 to 1, not "${value}"`);
  return number;
}

// ---- A configuration file for --compare ----------------------------------------------------------------------

/**
 * A .env file's variables (KEY=value lines; `#` comments, `export `, single or double quotes). Only what it sets:
 * the caller lays it over the environment, and an empty value unsets a variable (the config reads '' as unset).
 */
export function parseEnvFile(text: string): Record<string, string> {
  const variables: Record<string, string> = {};
  for (const raw of text.split(/\r?\n/)) {
    const match = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(raw);
    if (!match) continue;
    let value = match[2]!;
    const quote = value[0];
    if ((quote === '"' || quote === "'") && value.endsWith(quote) && value.length >= 2) value = value.slice(1, -1);
    else value = value.replace(/\s+#.*$/, '');
    variables[match[1]!] = value;
  }
  return variables;
}
