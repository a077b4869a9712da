// `npm run eval:search [-- --set evals/paste-docs.json --docs ../shared/corpora/paste-docs --verbose]`
// Without --set, runs every question set in evals/ against its default corpus (skipping a corpus that is not
// there). Prints recall@1, recall@5 and MRR for our search and for the MiniSearch BM25 baseline; a set whose
// questions carry a dev/test split (evals/paste-real.json) is scored per half, each half beside the baseline.
// Then the relevance floor on the Paste corpus: how many off-topic questions (evals/off-topic.json) are called
// weak, and how many questions of the Paste sets keep their sources. Last, the offline answers: how often the
// section an answer leads with is on a right page (issue 24: at least 80% of the real questions).
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { evaluateOfflineAnswers } from './lib/answer-eval';
import { modelRerankedSearch, startFakeReranker } from './lib/rerank-eval';
import {
  buildMiniSearch,
  evaluate,
  indexIntoMemory,
  loadQuestionSet,
  loadOffTopicQuestions,
  missingPages,
  postgresSearch,
  splitQuestionSet,
  weakQuestions,
} from './lib/search-eval';

const DEFAULT_DOCS: Record<string, string> = { 'own-docs': 'content/docs', 'paste-docs': '../shared/corpora/paste-docs' };

const pct = (value: number) => value.toFixed(3);

async function main() {
  const { values } = parseArgs({
    options: { set: { type: 'string' }, docs: { type: 'string' }, verbose: { type: 'boolean', default: false } },
  });
  const sets = values.set ? [values.set] : readdirSync('evals').filter((file) => file.endsWith('.json') && file !== 'off-topic.json').map((file) => path.join('evals', file));
  const rows: string[] = [];
  // The search with a model configured (lib/docs/model-rerank.ts), beside the offline one in the same run. The
  // model is a fake on 127.0.0.1 with a simple, independent reranking signal (scripts/lib/rerank-eval.ts): its
  // rows show the plumbing, not a real model's quality.
  const fakeModel = await startFakeReranker();
  // One index per corpus: several sets (paste-docs, paste-real) share the Paste docs.
  const corpora = new Map<string, Awaited<ReturnType<typeof indexIntoMemory>> & { baseline: ReturnType<typeof buildMiniSearch> }>();
  for (const file of sets) {
    const set = loadQuestionSet(file);
    const docsDir = path.resolve(values.docs ?? set.defaultDocsDir ?? DEFAULT_DOCS[set.corpus] ?? 'content/docs');
    if (!existsSync(docsDir)) {
      console.log(`${set.corpus}: ${docsDir} does not exist; skipped (pass --docs DIR).`);
      continue;
    }
    const missing = missingPages(set, docsDir);
    if (missing.length > 0) console.log(`${set.corpus}: expected pages not in the corpus: ${missing.join(', ')}`);

    if (!corpora.has(docsDir)) corpora.set(docsDir, { ...(await indexIntoMemory(docsDir)), baseline: buildMiniSearch(docsDir) });
    const { db, report, baseline } = corpora.get(docsDir)!;
    const ours = postgresSearch(db);
    const name = path.basename(file, '.json');
    console.log(`${name}: ${report.pages} pages, ${report.sections} sections, ${set.questions.length} questions (${file})`);
    for (const part of splitQuestionSet(set)) {
      const oursResult = await evaluate(part.set, ours);
      const baselineResult = await evaluate(part.set, baseline);
      const label = `| ${name} | ${part.split} | ${part.set.questions.length} |`;
      rows.push(`${label} postgres (fts + trigram) | ${pct(oursResult.recallAt1)} | ${pct(oursResult.recallAt5)} | ${pct(oursResult.mrr)} |`);
      const withModel = await evaluate(part.set, modelRerankedSearch(db, fakeModel.url));
      rows.push(`${label} with a model: rerank of the top 20 (fake model, title signal) | ${pct(withModel.recallAt1)} | ${pct(withModel.recallAt5)} | ${pct(withModel.mrr)} |`);
      rows.push(`${label} minisearch bm25 baseline | ${pct(baselineResult.recallAt1)} | ${pct(baselineResult.recallAt5)} | ${pct(baselineResult.mrr)} |`);
      if (values.verbose) {
        for (const miss of oursResult.misses) {
          console.log(`  [${part.split}] miss@5: "${miss.q}"\n    expected ${miss.expected.join(', ')}\n    got      ${miss.got.join(', ')}`);
        }
      }
    }
  }
  // The relevance floor on the Paste corpus: off-topic questions should be called weak, docs questions not.
  const pasteDocs = path.resolve(values.docs ?? DEFAULT_DOCS['paste-docs']!);
  const paste = corpora.get(pasteDocs);
  const floorRows: string[] = [];
  if (paste && existsSync('evals/off-topic.json')) {
    const offTopic = await weakQuestions(paste.db, loadOffTopicQuestions());
    floorRows.push(`| off-topic | ${offTopic.weak.length} of ${offTopic.weak.length + offTopic.strong.length} | ${offTopic.strong.map((q) => `"${q}"`).join(', ') || 'none'} |`);
    for (const file of sets.filter((set) => loadQuestionSet(set).corpus === 'paste-docs')) {
      const docsQuestions = await weakQuestions(paste.db, loadQuestionSet(file).questions.map((question) => question.q));
      floorRows.push(`| ${path.basename(file, '.json')} | ${docsQuestions.strong.length} of ${docsQuestions.weak.length + docsQuestions.strong.length} | ${docsQuestions.weak.map((q) => `"${q.slice(0, 60)}"`).join(', ') || 'none'} |`);
    }
  }
  const answerRows: string[] = [];
  if (paste) {
    for (const file of sets.filter((set) => loadQuestionSet(set).corpus === 'paste-docs')) {
      const result = await evaluateOfflineAnswers({ db: paste.db, docsDir: pasteDocs, set: loadQuestionSet(file) });
      answerRows.push(`| ${path.basename(file, '.json')} | ${result.firstCitedRight} of ${result.questions} | ${pct(result.firstCitedRight / result.questions)} |`);
      if (values.verbose) {
        for (const miss of result.misses) console.log(`  offline answer leads off the page: "${miss.q}"\n    expected ${miss.expected.join(', ')}\n    cited    ${miss.cited ?? 'nothing'}`);
      }
    }
  }
  for (const { db } of corpora.values()) await db.close();
  await fakeModel.close();
  console.log('\n| set | split | questions | search | recall@1 | recall@5 | MRR@10 |\n| --- | --- | --- | --- | --- | --- | --- |');
  for (const row of rows) console.log(row);
  console.log(`\n"with a model": the search a deployment with a model runs (the model reorders the top 20; a weak query may be rewritten), here against a fake model that moves up sections whose page title shares a word with the question: the plumbing, not a real model's quality (${fakeModel.requests()} model calls).`);
  if (floorRows.length > 0) {
    console.log('\nRelevance floor (off-topic: answered "not covered"; docs sets: answered with sources)\n\n| questions | as intended | exceptions |\n| --- | --- | --- |');
    for (const row of floorRows) console.log(row);
  }
  if (answerRows.length > 0) {
    console.log('\nOffline answers: the first cited section is on a right page (goal: at least 80% of the real questions)\n\n| questions | first cited on a right page | share |\n| --- | --- | --- |');
    for (const row of answerRows) console.log(row);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
