// `npm run eval -- FILE [--url URL] [--compare OTHER.env|URL] [--prices PRICES.json] [--judge] [--json]
//                    [--min-recall X] [--min-cited X]`
// Measures the assistant a team deploys on the team's own questions: FILE is JSONL, one
// {"question", "expected"?: [page URLs or paths], "mustMention"?: [strings]} per line. Each question goes through the
// configured search and model — in this process against the configured store (.env read as the other scripts read
// it), or with --url through a running site's HTTP API — and the output gives, per question, the first sources,
// whether a right page is among the first five, whether the answer cites a right page and mentions what it must, the
// latency and the tokens; in total recall@1, recall@5, MRR, the cited-right and mention rates, latency p50/p95,
// tokens and cost per answer. Guide: content/docs/guides/evaluate.mdx.
//
// Exit status: 0 when every threshold is met; 1 when one is not (a line says which) or the evaluation could not run
// (a site that does not answer, a configuration error); 2 for a usage error: a bad flag, a bad line in FILE (named by
// its number), a prices file that is not valid, or --judge without a model.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { isConfigError, parseConfig } from '@/lib/config';
import { createLogger, type TLogger } from '@/lib/log';
import { judgeAnswer, type TCitedSection, type TJudgement } from './lib/eval-judge';
import {
  costPerAnswer,
  expectedNotIndexed,
  firstRightRank,
  isRightPage,
  missingMentions,
  pageKeys,
  parseEnvFile,
  parseQuestionsJsonl,
  parseThreshold,
  QuestionFileError,
  summarize,
  thresholdFailures,
  ZPrices,
  type TEvalQuestion,
  type TPrices,
  type TQuestionOutcome,
  type TRate,
  type TTotals,
} from './lib/eval-metrics';
import { configuredModel, openInProcessTarget, openSiteTarget, sourceReferences, type TAnswer, type TSource, type TTarget } from './lib/eval-targets';
import { loadProjectEnv } from './lib/load-env.mjs';
import { scriptSiteUrl } from './lib/server-address';

const USAGE = `usage: npm run eval -- FILE.jsonl [options]
  FILE.jsonl            one {"question": "…", "expected": ["page URL or docs path"], "mustMention": ["…"]} per line
  --url URL             ask a running site (its HTTP API) instead of the assistant configured here
  --compare OTHER       a second configuration side by side: an env file laid over this one, or a site's URL
  --prices FILE.json    dollars per million tokens per model: {"model": {"inputPerMillion": 0.4, "outputPerMillion": 1.6}}
  --judge               a configured model judges whether each answer's claims are supported by what it cites
  --min-recall X        exit 1 when recall@5 (of the first configuration) is below X (0 to 1)
  --min-cited X         exit 1 when the share of answers citing a right page is below X (0 to 1)
  --json                one JSON object on stdout instead of the report`;

type TColumnSpec = { kind: 'process'; env: Record<string, string | undefined>; label: string } | { kind: 'site'; url: string };

type TQuestionResult = {
  sources: TSource[];
  answer: TAnswer;
  outcome: TQuestionOutcome;
  missing: string[];
  judgement: TJudgement | null;
};

type TColumn = { target: TTarget; results: TQuestionResult[]; totals: TTotals; cost: number | null };

export type TEvalRun = {
  argv: string[];
  /** The environment as the server would see it (.env already laid in). */
  env: Record<string, string | undefined>;
  cwd: string;
  /** How the report names the configuration `env` gives (".env", "environment"). */
  envLabel?: string;
  out?: (line: string) => void;
  err?: (line: string) => void;
  log?: TLogger;
};

/** Runs the evaluation as the command line asks; returns the exit status. Never calls process.exit. */
export async function runEval({ argv, env, cwd, envLabel = 'this configuration', out = console.log, err = console.error, log }: TEvalRun): Promise<number> {
  let values: ReturnType<typeof parseOptions>['values'];
  let positionals: string[];
  try {
    ({ values, positionals } = parseOptions(argv));
  } catch (error) {
    err(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    out(USAGE);
    return 0;
  }
  const resolve = (file: string) => path.resolve(cwd, file);
  let questions: TEvalQuestion[];
  let prices: TPrices = {};
  let thresholds: { minRecall?: number; minCited?: number };
  const columns: TColumnSpec[] = [];
  try {
    if (positionals.length !== 1) throw new Error(positionals.length === 0 ? 'name the question file' : `one question file, not ${positionals.length}`);
    const file = positionals[0]!;
    questions = parseQuestionsJsonl(readText(resolve(file), 'question file'), file);
    if (values.prices) prices = parsePrices(readText(resolve(values.prices), 'prices file'), values.prices);
    thresholds = { minRecall: parseThreshold('--min-recall', values['min-recall']), minCited: parseThreshold('--min-cited', values['min-cited']) };
    columns.push(values.url ? { kind: 'site', url: checkUrl(values.url, '--url', { env, cwd }) } : { kind: 'process', env, label: envLabel });
    if (values.compare) {
      columns.push(
        /^https?:\/\//i.test(values.compare)
          ? { kind: 'site', url: checkUrl(values.compare, '--compare', { env, cwd }) }
          : { kind: 'process', env: { ...env, ...parseEnvFile(readText(resolve(values.compare), 'env file')) }, label: values.compare },
      );
    }
  } catch (error) {
    err(error instanceof QuestionFileError ? error.message : `${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    return 2;
  }

  // The judge: the first configuration here with a model (a site's model is not reachable from outside it).
  let judge: ReturnType<typeof configuredModel> = null;
  if (values.judge) {
    try {
      for (const column of columns) if (column.kind === 'process') judge ??= configuredModel(column.env, cwd);
      judge ??= configuredModel(env, cwd);
    } catch (error) {
      err(error instanceof Error ? error.message : String(error));
      return 1;
    }
    if (!judge) {
      err(
        '--judge needs a model: the offline model only quotes the docs and cannot judge. Set OPENAI_API_KEY or OPENAI_BASE_URL ' +
          '(in .env, or in the --compare file), or leave out --judge.',
      );
      return 2;
    }
  }

  const report = values.json ? () => {} : out;
  // Warnings (a failed embedding, a rerank that timed out) go to stderr: stdout stays the report, or the JSON.
  const logger = log ?? createLogger({ level: 'warn', destination: pino.destination({ dest: 2, sync: true }) });
  const done: TColumn[] = [];
  try {
    for (const [at, spec] of columns.entries()) {
      const name = columns.length > 1 ? `${'AB'[at]}: ` : '';
      const target = spec.kind === 'site' ? openSiteTarget({ url: spec.url }) : await openInProcessTarget({ env: spec.env, cwd, label: spec.label, log: logger });
      try {
        report(`\n== ${name}${target.label}${spec.kind === 'process' ? ', in process' : ''}`);
        for (const note of target.notes) report(`   ${note}`);
        if (target.indexedPaths) {
          const missing = expectedNotIndexed(questions, target.indexedPaths);
          const unscorable = questions.filter((question) => question.expected && question.expected.every((reference) => missing.includes(reference))).length;
          if (missing.length > 0) {
            report(`   ${missing.length === 1 ? '1 expected page is' : `${missing.length} expected pages are`} not in the index, so ${unscorable} of ${questions.length} questions cannot find a right page (another DOCS_DIR?):`);
            for (const reference of missing) report(`     ${reference}`);
          }
        }
        const results: TQuestionResult[] = [];
        for (const [index, question] of questions.entries()) {
          const result = await askOne({ target, question, judge });
          results.push(result);
          report(describeQuestion({ index, count: questions.length, question, result, judgeName: judge?.name }));
        }
        const totals = summarize(results.map((result) => result.outcome));
        done.push({ target, results, totals, cost: costPerAnswer({ model: target.model, isOffline: target.isOffline, totals, prices }) });
        report(`   model: ${target.model}`);
      } finally {
        await target.close();
      }
    }
  } catch (error) {
    err(isConfigError(error) ? `configuration: ${error.message}` : error instanceof Error ? error.message : String(error));
    return 1;
  }

  const failures = thresholdFailures(done[0]!.totals, thresholds, columns.length > 1 ? done[0]!.target.label : '');
  if (values.json) {
    out(JSON.stringify(toJson({ questions, done, judgeName: judge?.name ?? null, failures, prices }), null, 2));
  } else {
    out('');
    for (const line of totalsTable(done, prices, judge?.name ?? null)) out(line);
    if (judge) out(`\nJudge: the opinion of ${judge.name} on whether each answer's claims are supported by the sections it cites; a model's opinion, not a measurement.`);
  }
  for (const failure of failures) err(`FAILED ${failure}`);
  return failures.length > 0 ? 1 : 0;
}

function parseOptions(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      url: { type: 'string' },
      compare: { type: 'string' },
      prices: { type: 'string' },
      judge: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      'min-recall': { type: 'string' },
      'min-cited': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
}

function readText(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`cannot read the ${what} ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
}

function parsePrices(text: string, file: string): TPrices {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Error(`${file}: not JSON`);
  }
  const parsed = ZPrices.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${file}: ${issue?.path.join('.') || 'prices'}: ${issue?.message} (expected {"model name": {"inputPerMillion": 0.4, "outputPerMillion": 1.6}})`);
  }
  return parsed.data;
}

function checkUrl(value: string, flag: string, { env, cwd }: { env: Record<string, string | undefined>; cwd: string }): string {
  try {
    const url = new URL(value);
    if (url.protocol === 'http:' || url.protocol === 'https:') return value;
  } catch {
    // Said below.
  }
  throw new Error(`${flag} takes the site's http(s) URL, e.g. ${configuredSiteUrl(env, cwd)}, not "${value}"`);
}

/** Where a server of this configuration answers (./lib/server-address.ts), for the examples of a hint. */
function configuredSiteUrl(env: Record<string, string | undefined>, cwd: string): string {
  try {
    return scriptSiteUrl(parseConfig(env, cwd)).url;
  } catch {
    return 'http://localhost:3000';
  }
}

/** One question through one configuration: its sources, its answer, what they get right, and the judge's opinion. */
async function askOne({ target, question, judge }: { target: TTarget; question: TEvalQuestion; judge: ReturnType<typeof configuredModel> }): Promise<TQuestionResult> {
  const sources = await target.search(question.question);
  const answer = await target.answer(question.question);
  const expected = question.expected;
  const missing = question.mustMention ? missingMentions(answer.text, question.mustMention) : [];
  const outcome: TQuestionOutcome = {
    rank: expected ? firstRightRank(sources.map(sourceReferences), expected) : null,
    isCitedRight: expected ? answer.citations.some((url) => isRightPage([url], expected)) : null,
    isMentioned: question.mustMention ? missing.length === 0 : null,
    latencyMs: answer.latencyMs,
    usage: answer.usage,
    isFailed: answer.error !== null,
  };
  let judgement: TJudgement | null = null;
  if (judge && answer.error === null && answer.citations.length > 0) {
    judgement = await judgeAnswer({ model: judge, question: question.question, answer: answer.text, sections: await citedSections(target, answer) });
    judge.take();
  }
  return { sources, answer, outcome, missing, judgement };
}

/** The sections an answer cites, as its model read them; else the cited pages' text as the site serves it. */
async function citedSections(target: TTarget, answer: TAnswer): Promise<TCitedSection[]> {
  const cited = [...new Set(answer.citations)];
  const exact = answer.sections.filter((section) => cited.includes(section.url));
  if (exact.length > 0) return exact;
  const samePage = (a: string, b: string) => pageKeys(a)[0] === pageKeys(b)[0];
  const onPage = answer.sections.filter((section) => cited.some((url) => samePage(url, section.url)));
  if (onPage.length > 0) return onPage;
  const pages = [...new Map(cited.map((url) => [pageKeys(url)[0], url])).values()];
  const texts = await Promise.all(pages.map(async (url) => ({ url, text: (await target.citedText(url)) ?? '' })));
  return texts.filter((section) => section.text !== '');
}

const yesNo = (flag: boolean | null) => (flag === null ? '—' : flag ? 'yes' : 'no');
const ms = (value: number) => (Number.isNaN(value) ? '—' : value < 1000 ? `${Math.round(value)} ms` : `${(value / 1000).toFixed(2)} s`);

function describeQuestion({
  index,
  count,
  question,
  result,
  judgeName,
}: {
  index: number;
  count: number;
  question: TEvalQuestion;
  result: TQuestionResult;
  judgeName: string | undefined;
}): string {
  const { sources, answer, outcome, missing, judgement } = result;
  const lines = [`[${index + 1}/${count}] ${question.question}  (line ${question.line})`];
  const first = sources.slice(0, 3).map((source, at) => `${at + 1}. ${source.path ?? source.url}${source.heading ? ` › ${source.heading}` : ''}`);
  lines.push(`   sources: ${first.length > 0 ? first.join('   ') : 'none'}`);
  const rank = outcome.rank === null ? 'no expected pages' : outcome.rank < 0 ? 'no right page in the first 10' : `right page at #${outcome.rank + 1}`;
  const top5 = outcome.rank === null ? '—' : yesNo(outcome.rank >= 0 && outcome.rank < 5);
  const mentions = question.mustMention ? `${question.mustMention.length - missing.length} of ${question.mustMention.length}${missing.length > 0 ? ` (missing: ${missing.map((phrase) => `"${phrase}"`).join(', ')})` : ''}` : '—';
  lines.push(
    `   search: ${rank}; in the top 5: ${top5}   answer: cites a right page: ${yesNo(outcome.isCitedRight)}; mentions: ${mentions}   ` +
      `${ms(answer.latencyMs)}, ${answer.usage.total_tokens} tokens`,
  );
  if (answer.error) lines.push(`   no answer: ${answer.error}`);
  else lines.push(`   cited: ${answer.citations.length > 0 ? [...new Set(answer.citations)].slice(0, 3).join('  ') : 'nothing'}`);
  if (judgement) lines.push(`   judge's opinion (${judgeName}): ${describeJudgement(judgement)}`);
  return lines.join('\n');
}

function describeJudgement(judgement: TJudgement): string {
  if (judgement.verdict === 'error') return `no opinion: the call failed (${judgement.message})`;
  if (judgement.verdict === 'unreadable') return `no opinion: its reply was not the JSON asked for ("${judgement.reply}")`;
  const claims = judgement.unsupported.length > 0 ? `; not supported: ${judgement.unsupported.map((claim) => `"${claim}"`).join(', ')}` : '';
  return `${judgement.verdict}${judgement.reason ? ` — ${judgement.reason}` : ''}${claims}`;
}

const rateText = (value: TRate) => (value.rate === null ? '—' : `${value.rate.toFixed(3)} (${value.count} of ${value.of})`);
const signed = (value: number, digits: number, unit = '') => `${value >= 0 ? '+' : ''}${value.toFixed(digits)}${unit}`;

function costText(column: TColumn): string {
  if (column.cost === null) return `no price for "${column.target.model}" (--prices)`;
  return column.target.isOffline ? '$0 (offline)' : `$${column.cost.toFixed(6)}`;
}

function judgeCounts(column: TColumn) {
  const counts = { supported: 0, partly: 0, unsupported: 0, none: 0 };
  for (const { judgement } of column.results) {
    if (!judgement) continue;
    if (judgement.verdict === 'supported' || judgement.verdict === 'partly' || judgement.verdict === 'unsupported') counts[judgement.verdict] += 1;
    else counts.none += 1;
  }
  return counts;
}

/** The totals as a Markdown table: a column per configuration, and B − A when there are two. */
function totalsTable(columns: TColumn[], prices: TPrices, judgeName: string | null): string[] {
  const isPair = columns.length === 2;
  const [a, b] = columns;
  type TRow = [string, (column: TColumn) => string, ((a: TColumn, b: TColumn) => string)?];
  const rateDiff = (pick: (totals: TTotals) => TRate | number | null) => (x: TColumn, y: TColumn) => {
    const value = (column: TColumn) => {
      const picked = pick(column.totals);
      return picked === null ? null : typeof picked === 'number' ? picked : picked.rate;
    };
    const [vx, vy] = [value(x), value(y)];
    return vx === null || vy === null ? '—' : signed(vy - vx, 3);
  };
  const rows: TRow[] = [
    ['questions', (column) => String(column.totals.questions)],
    ['recall@1', (column) => rateText(column.totals.recallAt1), rateDiff((totals) => totals.recallAt1)],
    ['recall@5', (column) => rateText(column.totals.recallAt5), rateDiff((totals) => totals.recallAt5)],
    ['MRR (first 10 sources)', (column) => (column.totals.mrr === null ? '—' : column.totals.mrr.toFixed(3)), rateDiff((totals) => totals.mrr)],
    ['answer cites a right page', (column) => rateText(column.totals.citedRight), rateDiff((totals) => totals.citedRight)],
    ['answer mentions what it must', (column) => rateText(column.totals.mentioned), rateDiff((totals) => totals.mentioned)],
    ['answers that failed', (column) => String(column.totals.failed), (x, y) => signed(y.totals.failed - x.totals.failed, 0)],
    ['latency p50', (column) => ms(column.totals.latencyP50Ms), (x, y) => signed(y.totals.latencyP50Ms - x.totals.latencyP50Ms, 0, ' ms')],
    ['latency p95', (column) => ms(column.totals.latencyP95Ms), (x, y) => signed(y.totals.latencyP95Ms - x.totals.latencyP95Ms, 0, ' ms')],
    [
      'tokens per answer (in / out)',
      (column) => `${Math.round(column.totals.tokensPerAnswer)} (${Math.round(column.totals.promptTokensPerAnswer)} / ${Math.round(column.totals.completionTokensPerAnswer)})`,
      (x, y) => signed(y.totals.tokensPerAnswer - x.totals.tokensPerAnswer, 0),
    ],
    ['cost per answer', costText, (x, y) => (x.cost === null || y.cost === null ? '—' : `${y.cost - x.cost >= 0 ? '+' : '-'}$${Math.abs(y.cost - x.cost).toFixed(6)}`)],
  ];
  if (judgeName) {
    rows.push([
      "judge's opinion: supported / partly / unsupported (no opinion)",
      (column) => {
        const counts = judgeCounts(column);
        return `${counts.supported} / ${counts.partly} / ${counts.unsupported}${counts.none > 0 ? ` (${counts.none})` : ''}`;
      },
    ]);
  }
  const header = ['measure', ...columns.map((column, at) => `${isPair ? `${'AB'[at]}: ` : ''}${column.target.label} (${column.target.model})`), ...(isPair ? ['B − A'] : [])];
  const lines = [`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`];
  for (const [name, show, diff] of rows) lines.push(`| ${[name, ...columns.map(show), ...(isPair ? [diff && a && b ? diff(a, b) : ''] : [])].join(' | ')} |`);
  if (Object.keys(prices).length === 0 && columns.some((column) => column.cost === null)) lines.push('\nCost: pass --prices FILE.json with the model\'s prices per million tokens.');
  return lines;
}

function toJson({ questions, done, judgeName, failures, prices }: { questions: TEvalQuestion[]; done: TColumn[]; judgeName: string | null; failures: string[]; prices: TPrices }) {
  return {
    judge: judgeName === null ? null : { model: judgeName, note: "a model's opinion of whether each answer's claims are supported by the sections it cites" },
    prices,
    columns: done.map((column) => ({
      label: column.target.label,
      model: column.target.model,
      totals: column.totals,
      costPerAnswer: column.cost,
      ...(judgeName ? { judge: judgeCounts(column) } : {}),
    })),
    questions: questions.map((question, at) => ({
      line: question.line,
      question: question.question,
      results: done.map((column) => {
        const result = column.results[at]!;
        return {
          label: column.target.label,
          sources: result.sources.slice(0, 5).map((source) => ({ path: source.path ?? null, url: source.url, heading: source.heading })),
          rightRank: result.outcome.rank === null || result.outcome.rank < 0 ? result.outcome.rank : result.outcome.rank + 1,
          isInTop5: result.outcome.rank === null ? null : result.outcome.rank >= 0 && result.outcome.rank < 5,
          citations: result.answer.citations,
          isCitedRight: result.outcome.isCitedRight,
          missingMentions: result.missing,
          latencyMs: Math.round(result.answer.latencyMs),
          usage: result.answer.usage,
          error: result.answer.error,
          judge: result.judgement,
        };
      }),
    })),
    failures,
  };
}

async function main() {
  const loaded = loadProjectEnv();
  const code = await runEval({
    argv: process.argv.slice(2),
    env: { ...process.env },
    cwd: process.cwd(),
    envLabel: loaded.length > 0 ? loaded.map((file) => path.relative(process.cwd(), file) || file).join(' + ') : 'environment (no .env)',
  });
  process.exit(code);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
