// `npm run eval:research [-- --verbose]`
// Research mode offline (issue 71) against the quick answer, on the held-out questions: per set, how often the answer's
// first section is on a right page, how often a right page is among the sections it cites, how many it cites, and how
// long a research answer takes (p50 and p90, the model's steps and the tools' searches and page reads over an in-memory
// index, as the run engine makes them but without its database writes between steps). A right page is one of the
// question's expected pages, as scripts/lib/answer-eval.ts judges it. The sets, their test splits only (never fitted):
// evals/own-docs-heldout.json (this site's docs), evals/vite-real.json and evals/pnpm-real.json (Vite's and pnpm's
// docs, ../shared/corpora), evals/research/heldout.json (multi-part questions over Paste's docs). A corpus that is
// missing is skipped with a line saying so. Beside them, how many answers say the docs do not cover the question
// (metadata.no_docs_match), quick and research: on the docs sets, research should not say it more than the quick answer
// does; on the off-topic questions of evals/off-topic*.json (Paste's docs, a plain list of questions), it should say
// it whenever the quick answer does.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { PUBLIC_ACCESS } from '@/lib/audiences';
import { createAssistantTools } from '@/lib/assistant/tools';
import { RESEARCH_DEFAULTS } from '@/lib/assistant/engine/settings';
import type { TDb } from '@/lib/db/types';
import { createLogger } from '@/lib/log';
import { createOfflineModel } from '@/lib/model/offline';
import type { TInputItem, TModelClient, TResearchBudget } from '@/lib/model/types';
import { docsPathOf, offlineAnswer } from './lib/answer-eval';
import { indexIntoMemory, loadQuestionSet } from './lib/search-eval';

const SETS: { file: string; docsDir: string }[] = [
  { file: 'evals/own-docs-heldout.json', docsDir: 'content/docs' },
  { file: 'evals/vite-real.json', docsDir: '../shared/corpora/vite-docs' },
  { file: 'evals/pnpm-real.json', docsDir: '../shared/corpora/pnpm-docs' },
  { file: 'evals/research/heldout.json', docsDir: '../shared/corpora/paste-docs' },
];
const OFF_TOPIC_SETS = ['evals/off-topic.json', 'evals/off-topic-heldout.json'];
const OFF_TOPIC_DOCS = '../shared/corpora/paste-docs';

type TTools = ReturnType<typeof createAssistantTools>;

/** A research answer as a research run makes it: step after step, each told the budget left, until it answers. */
export async function offlineResearch({ tools, model, question }: { tools: TTools; model: TModelClient; question: string }) {
  const input: TInputItem[] = [{ type: 'message', role: 'user', content: question }];
  const startedAt = Date.now();
  const maxRounds = RESEARCH_DEFAULTS.maxSteps - 1;
  for (let round = 0; round <= maxRounds; round += 1) {
    const stepsLeft = maxRounds - round;
    const secondsLeft = Math.max(0, RESEARCH_DEFAULTS.maxSeconds - (Date.now() - startedAt) / 1000);
    const bound = stepsLeft === 0 ? 'steps' : secondsLeft === 0 ? 'seconds' : null;
    const research: TResearchBudget = { stepsLeft, secondsLeft, tokensLeft: RESEARCH_DEFAULTS.maxTokens, bound, maxSteps: RESEARCH_DEFAULTS.maxSteps, maxSeconds: RESEARCH_DEFAULTS.maxSeconds };
    const response = await model.respond({ instructions: '', input, tools: bound ? [] : tools.definitions, research });
    if (response.output.type === 'message') return { output: response.output, rounds: round };
    for (const call of response.output.calls) {
      input.push({ type: 'function_call', call_id: call.call_id, name: call.name, arguments: call.arguments });
      const output = await tools.run({ id: call.call_id, type: 'function', function: { name: call.name, arguments: call.arguments } }, { access: PUBLIC_ACCESS });
      input.push({ type: 'function_call_output', call_id: call.call_id, output });
    }
  }
  throw new Error('the research did not answer within its steps');
}

type TTally = { questions: number; quickFirst: number; quickCited: number; first: number; cited: number; citations: number; quickNotCovered: number; notCovered: number; ms: number[] };

async function tally(db: TDb, file: string, docsDir: string, isVerbose: boolean): Promise<TTally> {
  const tools = createAssistantTools({ db, log: createLogger({ level: 'silent' }), embedder: null, siteUrl: 'http://localhost:3000', hasCodeSource: false });
  const model = createOfflineModel();
  const pathOf = docsPathOf(docsDir);
  const entry: TTally = { questions: 0, quickFirst: 0, quickCited: 0, first: 0, cited: 0, citations: 0, quickNotCovered: 0, notCovered: 0, ms: [] };
  for (const question of loadQuestionSet(file).questions.filter((one) => one.split === undefined || one.split === 'test')) {
    const quick = await offlineAnswer({ tools, model, question: question.q });
    const started = performance.now();
    const { output } = await offlineResearch({ tools, model, question: question.q });
    entry.ms.push(performance.now() - started);
    const quickPaths = (quick.annotations ?? []).map((annotation) => pathOf(annotation.url));
    const paths = (output.annotations ?? []).map((annotation) => pathOf(annotation.url));
    const isRight = (found: string | undefined) => found !== undefined && question.pages.includes(found);
    entry.questions += 1;
    entry.quickFirst += isRight(quickPaths[0]) ? 1 : 0;
    entry.quickCited += quickPaths.some(isRight) ? 1 : 0;
    entry.first += isRight(paths[0]) ? 1 : 0;
    entry.cited += paths.some(isRight) ? 1 : 0;
    entry.citations += paths.length;
    entry.quickNotCovered += quick.metadata?.no_docs_match === true ? 1 : 0;
    entry.notCovered += output.metadata?.no_docs_match === true ? 1 : 0;
    if (isVerbose && !paths.some(isRight)) {
      console.log(`  ${path.basename(file)}: "${question.q.replace(/\s+/g, ' ').slice(0, 100)}"\n    expected ${question.pages.join(', ')}\n    cited    ${paths.join(', ') || 'nothing'}`);
    }
  }
  return entry;
}

/** The off-topic questions: how many the quick answer and the research answer each say the docs do not cover. */
async function notCoveredOffTopic(db: TDb, files: string[]): Promise<{ questions: number; quick: number; research: number }> {
  const tools = createAssistantTools({ db, log: createLogger({ level: 'silent' }), embedder: null, siteUrl: 'http://localhost:3000', hasCodeSource: false });
  const model = createOfflineModel();
  const counts = { questions: 0, quick: 0, research: 0 };
  for (const question of files.flatMap((file) => JSON.parse(readFileSync(file, 'utf8')).questions as string[])) {
    const quick = await offlineAnswer({ tools, model, question });
    const { output } = await offlineResearch({ tools, model, question });
    counts.questions += 1;
    counts.quick += quick.metadata?.no_docs_match === true ? 1 : 0;
    counts.research += output.metadata?.no_docs_match === true ? 1 : 0;
  }
  return counts;
}

function percentile(values: number[], share: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(share * sorted.length))] ?? 0;
}

async function main() {
  const { values } = parseArgs({ options: { verbose: { type: 'boolean', default: false } } });
  const share = (count: number, of: number) => `${count} of ${of} (${(count / Math.max(of, 1)).toFixed(3)})`;
  const rows: string[] = [];
  const pooled: TTally = { questions: 0, quickFirst: 0, quickCited: 0, first: 0, cited: 0, citations: 0, quickNotCovered: 0, notCovered: 0, ms: [] };
  for (const { file, docsDir: dir } of SETS) {
    const docsDir = path.resolve(dir);
    if (!existsSync(docsDir) || !existsSync(file)) {
      console.log(`${file}: ${docsDir} does not exist; skipped.`);
      continue;
    }
    const { db } = await indexIntoMemory(docsDir);
    const entry = await tally(db, file, docsDir, values.verbose);
    await db.close();
    for (const key of ['questions', 'quickFirst', 'quickCited', 'first', 'cited', 'citations', 'quickNotCovered', 'notCovered'] as const) pooled[key] += entry[key];
    pooled.ms.push(...entry.ms);
    rows.push(row(path.basename(file, '.json'), entry, share));
  }
  rows.push(row('pooled', pooled, share));
  console.log(
    '\n| set (test split) | quick: first source right | quick: a right page cited | research: first source right | research: a right page cited | research: sources per answer | quick: not covered | research: not covered | research p50 / p90 |\n| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  );
  for (const line of rows) console.log(line);
  const offTopicDocs = path.resolve(OFF_TOPIC_DOCS);
  const offTopicFiles = OFF_TOPIC_SETS.filter((file) => existsSync(file));
  if (!existsSync(offTopicDocs) || offTopicFiles.length === 0) {
    console.log(`\nOff-topic questions: ${offTopicDocs} or the sets do not exist; skipped.`);
    return;
  }
  const { db } = await indexIntoMemory(offTopicDocs);
  const offTopic = await notCoveredOffTopic(db, offTopicFiles);
  await db.close();
  console.log(
    `\nOff-topic questions (${offTopicFiles.join(', ')}): the quick answer says not covered for ${share(offTopic.quick, offTopic.questions)}, ` +
      `research for ${share(offTopic.research, offTopic.questions)}.`,
  );
}

function row(name: string, entry: TTally, share: (count: number, of: number) => string): string {
  const p50 = percentile(entry.ms, 0.5);
  const p90 = percentile(entry.ms, 0.9);
  return (
    `| ${name} | ${share(entry.quickFirst, entry.questions)} | ${share(entry.quickCited, entry.questions)} | ${share(entry.first, entry.questions)} | ` +
    `${share(entry.cited, entry.questions)} | ${(entry.citations / Math.max(entry.questions, 1)).toFixed(2)} | ${entry.quickNotCovered} | ${entry.notCovered} | ${Math.round(p50)} ms / ${Math.round(p90)} ms |`
  );
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
