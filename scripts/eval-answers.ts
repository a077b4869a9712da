// `npx tsx scripts/eval-answers.ts [--docs ../shared/corpora/paste-docs --github ../shared/corpora/paste-github --verbose]`
// The offline answer's sources (issue 56, item 2): per question set, how often the answer's first source is on a right
// page, how often a right page is among the sections it cites (quotes), how many it cites, and how often it says the
// sections answer the question; with the Paste docs alone, and with Paste's GitHub threads synced beside them (the
// threads that ask scripts/eval-bug-reports.ts's reports left out, as there). A right page is one of the question's
// expected pages (evals/*.json, paths relative to the docs folder), as scripts/lib/answer-eval.ts judges it.
// Split: the answer's choices (ANSWER_CHOICE in lib/model/offline/answer.ts) were tuned on evals/paste-docs.json,
// evals/own-docs.json and evals/paste-real.json's dev half; the figures to report are those of the held-out half:
// paste-real's test half and evals/checks/ (written blind, never fitted).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createAssistantTools } from '@/lib/assistant/tools';
import type { TDb } from '@/lib/db/types';
import { createLogger } from '@/lib/log';
import { createOfflineModel } from '@/lib/model/offline';
import { docsPathOf, offlineAnswer } from './lib/answer-eval';
import { indexIntoMemory, loadQuestionSet, type TQuestion } from './lib/search-eval';
import { syncThreadsInto } from './lib/search-thread-index';
import { readGithubCorpus, threadQuestions } from './lib/search-thread-set';

const PASTE_SETS = ['evals/paste-docs.json', 'evals/paste-real.json', 'evals/checks/paste-paraphrases.json', 'evals/checks/paste-plain-words.json'];

/** Whether a question was tuned on or is held out (see the top of this file). */
function splitOf(file: string, question: TQuestion): 'tuned' | 'held-out' {
  if (file.includes('/checks/')) return 'held-out';
  if (file.endsWith('paste-real.json')) return question.split === 'dev' ? 'tuned' : 'held-out';
  return 'tuned';
}

type TTally = { questions: number; first: number; cited: number; citations: number; claims: number; choices: number };

async function tally(db: TDb, file: string, docsDir: string, tallies: Map<string, TTally>, label: string, isVerbose: boolean) {
  const tools = createAssistantTools({ db, log: createLogger({ level: 'silent' }), embedder: null, siteUrl: 'http://localhost:3000', hasCodeSource: false });
  const model = createOfflineModel();
  const pathOf = docsPathOf(docsDir);
  const name = path.basename(file, '.json');
  for (const question of loadQuestionSet(file).questions) {
    const answer = await offlineAnswer({ tools, model, question: question.q });
    const paths = (answer.annotations ?? []).map((annotation) => pathOf(annotation.url));
    const isFirst = paths[0] !== undefined && question.pages.includes(paths[0]);
    const isCited = paths.some((found) => question.pages.includes(found));
    for (const key of [`${label} | ${name} | ${splitOf(file, question)}`, `${label} | ${splitOf(file, question)} (pooled)`]) {
      const entry = tallies.get(key) ?? { questions: 0, first: 0, cited: 0, citations: 0, claims: 0, choices: 0 };
      entry.questions += 1;
      entry.first += isFirst ? 1 : 0;
      entry.cited += isCited ? 1 : 0;
      entry.citations += paths.length;
      entry.claims += /answers? your question/.test(answer.text) ? 1 : 0;
      // Clarifying choices (issue 71 item 4): each question here has its right pages, so a choice should be rare.
      entry.choices += Array.isArray(answer.metadata?.choices) ? 1 : 0;
      tallies.set(key, entry);
    }
    if (isVerbose && !isFirst) console.log(`  ${label} ${name}: "${question.q.replace(/\s+/g, ' ').slice(0, 100)}"\n    expected ${question.pages.join(', ')}\n    cited    ${paths.join(', ') || 'nothing'}`);
  }
}

async function main() {
  const { values } = parseArgs({ options: { docs: { type: 'string' }, github: { type: 'string' }, verbose: { type: 'boolean', default: false } } });
  const docsDir = path.resolve(values.docs ?? '../shared/corpora/paste-docs');
  const githubDir = path.resolve(values.github ?? process.env.PASTE_GITHUB_CORPUS_DIR ?? '../shared/corpora/paste-github');
  if (!existsSync(docsDir)) throw new Error(`needs ${docsDir}`);
  const tallies = new Map<string, TTally>();
  const { db } = await indexIntoMemory(docsDir);
  for (const file of PASTE_SETS) await tally(db, file, docsDir, tallies, 'docs', values.verbose);
  if (existsSync(githubDir)) {
    const corpus = readGithubCorpus(githubDir);
    const real = (JSON.parse(readFileSync('evals/paste-real.json', 'utf8')) as { questions: { id: string; question: string; source: string }[] }).questions;
    const askers = new Set(threadQuestions(corpus, real).map((question) => question.asker));
    await syncThreadsInto(db, corpus, askers);
    for (const file of PASTE_SETS) await tally(db, file, docsDir, tallies, 'docs + threads', values.verbose);
  }
  await db.close();
  const own = await indexIntoMemory(path.resolve('content/docs'));
  await tally(own.db, 'evals/own-docs.json', path.resolve('content/docs'), tallies, 'own docs', values.verbose);
  await own.db.close();
  const share = (count: number, of: number) => `${count} of ${of} (${(count / Math.max(of, 1)).toFixed(3)})`;
  console.log('\n| index | set | split | first source on a right page | a right page cited | sources per answer | "answers your question" | choices offered |\n| --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const [key, entry] of [...tallies].sort(([a], [b]) => a.localeCompare(b))) {
    const [index, set, split] = key.split(' | ');
    console.log(
      `| ${index} | ${split === undefined ? '' : set} | ${split ?? set} | ${share(entry.first, entry.questions)} | ${share(entry.cited, entry.questions)} | ${(entry.citations / entry.questions).toFixed(2)} | ${share(entry.claims, entry.questions)} | ${share(entry.choices, entry.questions)} |`,
    );
  }
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
