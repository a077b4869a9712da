// `npm run eval:search [-- --set evals/paste-docs.json --docs ../shared/corpora/paste-docs --verbose --repeats 3]`
// Without --set, runs every question set in evals/ against its default corpus (skipping a corpus that is not
// there). For each set it prints recall@1, recall@5 and MRR of the ranker under 5-fold cross-validation (weights
// fitted on four folds, scored on the fifth; scripts/lib/search-cv.ts), per set and over all sets pooled (each
// fold's weights fitted on the other folds of every set), of the ranker with its default weights
// (in-sample: the defaults were fitted on these questions), of the search box's path as /api/docs-search runs it
// (short typos corrected first), and of the MiniSearch BM25 baseline in the same run.
// Then the weights fitted on every question (how lib/docs/search/ranking/weights.ts's defaults were set), and the
// relevance floor on the Paste corpus: how many off-topic questions (evals/off-topic.json) are called weak, and
// how many questions of the Paste sets keep their sources. Beside the offline search, in the same run, the search
// with a model configured (lib/docs/search/model-rerank.ts) against a fake model; the extra checks in evals/checks/
// (written blind, never fitted: default weights beside BM25); last, the offline answers: how often
// the section an answer leads with is on a right page (issue 24: at least 80% of the real questions), with the
// server's defaults and cross-validated (each question's answer ranked with weights fitted without it, and composed as
// the offline model composes it: also how often a right page is among the sections it cites). With
// --repeats N (N > 1), the pooled cross-validation and its leads are also run over N different cuts into folds and
// averaged: the steadier figures to judge a change by.
// Then ranking across kinds (issue 37; without --set, when the GitHub corpus ../shared/corpora/paste-github or
// PASTE_GITHUB_CORPUS_DIR is there, or --github DIR): its threads synced by the GitHub source and indexed beside each
// set's docs, the thread-answer questions the corpus's own links make (scripts/lib/search-thread-set.ts), one pooled
// 5-fold cross-validation over every set with threads on and the thread set, beside the docs sets without threads,
// each asking thread held out (scripts/lib/search-thread-eval.ts), and the issue's goals. That section always runs
// over THREAD_CV_PARTITIONS cuts into folds (--repeats does not change it): it prints the first cut's figures and the
// mean over the cuts, the figure tests/corpus/thread-search-quality.test.ts judges each docs set by.
// Last (without --set), the Paste sets with the Twilio API specs indexed beside the docs (issue 54, 3.2):
// scripts/lib/search-specs-eval.ts. Then the API task sets of evals/api/ over the Twilio specs alone (issue 56, item 3):
// a right operation among the first 5 (scripts/lib/search-api-tasks.ts); `--api-only` runs that section alone.
// Last of all, the blind sets of issue 69 on their held-out test split (scripts/lib/search-blind-eval.ts): the default
// weights, each corpus held out of the fit (Paste, Vite, pnpm, this site's docs), BM25, the offline answer's sources and
// first lines, and the bug reports beside their one-line twins; `--blind-only` runs that section alone, `--twins-only` only
// its bug reports beside their twins.
// Before the specs, the Paste source as a code source beside the Paste docs (issue 70): the blind code set
// evals/code/paste-source.json by search's first five and the offline answer's cited files, and the docs sets with the
// code on and off (scripts/lib/search-code-eval.ts); `--code-only` runs that section alone.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { listDocsSectionsForRanking } from '@/lib/db/docs-index';
import { getRankIndex } from '@/lib/docs/search/ranking/store';
import { DEFAULT_RANK_WEIGHTS, START_RANK_WEIGHTS, type TRankWeights } from '@/lib/docs/search/ranking/weights';
import { evaluateOfflineAnswers } from './lib/answer-eval';
import { modelRerankedSearch, startFakeReranker } from './lib/rerank-eval';
import { EVIDENCE_FLOOR } from '@/lib/docs/search/search';
import { crossValidateFloor, fitFloor, floorVerdicts, type TFloorSample } from './lib/floor-cv';
import { crossValidate, crossValidateAnswers, crossValidatePooled, crossValidateRepeated, fitWeights, scoreWeights, type TCorpusQuestions, type TScores } from './lib/search-cv';
import {
  buildMiniSearch,
  docsSearch,
  evaluate,
  indexIntoMemory,
  listOffTopicFiles,
  listQuestionSetFiles,
  loadQuestionSet,
  loadOffTopicQuestions,
  missingPages,
  questionEvidence,
  searchBoxSearch,
  weakQuestions,
} from './lib/search-eval';
import { printApiTasks } from './lib/search-api-tasks';
import { printSpecsBesideDocs } from './lib/search-specs-eval';
import { printCodeBesideDocs } from './lib/search-code-eval';
import { printThreadRanking, threadRankingFigures } from './lib/search-thread-report';
import { printBlindSets, printTwinsOnly } from './lib/search-blind-eval';

// Each question set's corpus name → the docs folder it is asked of (the shared corpora sit beside the checkout).
const DEFAULT_DOCS: Record<string, string> = {
  'own-docs': 'content/docs',
  'paste-docs': '../shared/corpora/paste-docs',
  'vite-docs': '../shared/corpora/vite-docs',
  'pnpm-docs': '../shared/corpora/pnpm-docs',
};

const pct = (value: number) => value.toFixed(3);
const row = (name: string, count: number, label: string, scores: Pick<TScores, 'recallAt1' | 'recallAt5' | 'mrr'>) =>
  `| ${name} | ${count} | ${label} | ${pct(scores.recallAt1)} | ${pct(scores.recallAt5)} | ${pct(scores.mrr)} |`;

/** The weights that differ from where every fit starts. */
function changed(weights: TRankWeights): string {
  const entries = Object.entries(weights).filter(([name, value]) => START_RANK_WEIGHTS[name as keyof TRankWeights] !== value);
  return entries.length === 0 ? 'the start weights' : entries.map(([name, value]) => `${name}=${value}`).join(', ');
}

async function main() {
  const { values } = parseArgs({
    options: {
      set: { type: 'string' },
      docs: { type: 'string' },
      github: { type: 'string' },
      verbose: { type: 'boolean', default: false },
      repeats: { type: 'string', default: '1' },
      'api-only': { type: 'boolean', default: false },
      'blind-only': { type: 'boolean', default: false },
      'twins-only': { type: 'boolean', default: false },
      'code-only': { type: 'boolean', default: false },
    },
  });
  if (values['code-only']) {
    const { db } = await indexIntoMemory(path.resolve(values.docs ?? DEFAULT_DOCS['paste-docs']!));
    await printCodeBesideDocs(db, values.verbose);
    return db.close();
  }
  if (values['api-only']) return printApiTasks(values.verbose);
  if (values['blind-only']) return printBlindSets(values.verbose);
  if (values['twins-only']) return printTwinsOnly(values.verbose);
  const repeats = Number(values.repeats);
  if (!Number.isInteger(repeats) || repeats < 1) throw new Error(`--repeats takes a whole number of at least 1, not ${values.repeats}`);
  const sets = values.set ? [values.set] : listQuestionSetFiles('evals');
  const rows: string[] = [];
  // The model is a fake on 127.0.0.1 with a simple, independent reranking signal (scripts/lib/rerank-eval.ts):
  // its rows show the plumbing, not a real model's quality.
  const fakeModel = await startFakeReranker();
  const everyQuestion: (TCorpusQuestions & { name: string })[] = [];
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
    const { index } = await getRankIndex(db);
    const name = path.basename(file, '.json');
    console.log(`${name}: ${report.pages} pages, ${report.sections} sections, ${set.questions.length} questions (${file})`);
    // The offline answers below read the sections' text (the lead is chosen by it); the ranking never does.
    const contents = new Map((await listDocsSectionsForRanking({ db })).map((section) => [section.id, section.content]));
    // A held-out set (every question `test`: evals/vite-fresh.json, pnpm-fresh.json, pnpm-fresh-2.json) is never fitted on: no cross-validation of its own
    // (its folds would train on it), only scored in the pooled folds (isScoredOnly: fitWeights leaves it out), its misses
    // never printed one by one. Its figures are in --blind-only (scripts/lib/search-blind-eval.ts).
    const isHeldOut = set.questions.every((question) => question.split === 'test');
    everyQuestion.push({ name, index, questions: set.questions, contentOf: (id) => contents.get(id), isScoredOnly: isHeldOut });
    const cv = isHeldOut ? null : crossValidate(index, set.questions);
    const defaults = scoreWeights([{ index, questions: set.questions }], DEFAULT_RANK_WEIGHTS);
    const bm25 = await evaluate(set, baseline);
    if (cv) rows.push(row(name, set.questions.length, 'ranker, 5-fold cross-validated', cv));
    rows.push(row(name, set.questions.length, 'ranker, default weights (in-sample)', defaults));
    rows.push(row(name, set.questions.length, 'search box path (typo correction, then the ranker; in-sample)', await evaluate(set, searchBoxSearch(db))));
    rows.push(row(name, set.questions.length, 'with a model: rerank of the top 20 (fake model, title signal)', await evaluate(set, modelRerankedSearch(db, fakeModel.url))));
    rows.push(row(name, set.questions.length, 'minisearch bm25 baseline', bm25));
    if (cv) console.log(`  weights fitted per fold: ${cv.fitted.map(changed).map((text) => `[${text}]`).join(' ')}`);
    if (values.verbose && !isHeldOut) {
      const ours = await evaluate(set, docsSearch(db));
      for (const miss of ours.misses) console.log(`  miss@5: "${miss.q.slice(0, 120)}"\n    expected ${miss.expected.join(', ')}\n    got      ${miss.got.join(', ')}`);
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
  // The floor decided on questions (issue 54): every off-topic list and every Paste set (evals/checks/ included: readers
  // ask in plain words too), 5-fold cross-validated (scripts/lib/floor-cv.ts).
  const floorFit: string[] = [];
  if (paste && !values.set) {
    const samples: TFloorSample[] = [];
    const offTopic = listOffTopicFiles('evals').flatMap((file) => loadOffTopicQuestions(file));
    const covered = [...listQuestionSetFiles('evals'), ...(existsSync('evals/checks') ? listQuestionSetFiles('evals/checks') : [])]
      .map((file) => loadQuestionSet(file))
      .filter((set) => set.corpus === 'paste-docs')
      .flatMap((set) => set.questions.map((question) => question.q));
    const offEvidence = await questionEvidence(paste.db, offTopic);
    const coveredEvidence = await questionEvidence(paste.db, covered);
    offTopic.forEach((q, at) => samples.push({ q, evidence: offEvidence[at]!, isCovered: false }));
    covered.forEach((q, at) => samples.push({ q, evidence: coveredEvidence[at]!, isCovered: true }));
    const cv = crossValidateFloor(samples);
    const fitted = fitFloor(samples);
    const share = (count: number, of: number) => `${count} of ${of} (${(count / of).toFixed(3)})`;
    floorFit.push(
      `| 5-fold cross-validated (each fold judged by the floor fitted on the others: ${cv.floors.map((floor) => floor.toFixed(3)).join(', ')}) | ${share(cv.offTopicWeak, cv.offTopic)} | ${share(cv.coveredStrong, cv.covered)} |`,
    );
    const atDefault = floorVerdicts(samples, EVIDENCE_FLOOR);
    const atFitted = floorVerdicts(samples, fitted.floor);
    floorFit.push(`| the server's EVIDENCE_FLOOR ${EVIDENCE_FLOOR} (in-sample) | ${share(atDefault.offTopicWeak, atDefault.offTopic)} | ${share(atDefault.coveredStrong, atDefault.covered)} |`);
    floorFit.push(`| fitted on every question: ${fitted.floor.toFixed(4)} (margin ${fitted.margin.toFixed(4)}, in-sample) | ${share(atFitted.offTopicWeak, atFitted.offTopic)} | ${share(atFitted.coveredStrong, atFitted.covered)} |`);
  }
  const answerRows: string[] = [];
  if (paste) {
    for (const file of sets.filter((set) => loadQuestionSet(set).corpus === 'paste-docs')) {
      const result = await evaluateOfflineAnswers({ db: paste.db, docsDir: pasteDocs, set: loadQuestionSet(file) });
      const share = (count: number) => `${count} of ${result.questions} (${(count / result.questions).toFixed(3)})`;
      answerRows.push(`| ${path.basename(file, '.json')} | ${share(result.firstCitedRight)} | ${share(result.topHitRight)} |`);
      if (values.verbose) {
        for (const miss of result.misses) console.log(`  offline answer leads off the page: "${miss.q.slice(0, 120)}"\n    expected ${miss.expected.join(', ')}\n    cited    ${miss.cited ?? 'nothing'}`);
      }
    }
  }
  // Cross-validation over every set at once: each fold's weights are fitted on the other folds of all the sets
  // together (one ranker serves every corpus, as the defaults do), which gives each fit four times the questions.
  const leadRows: string[] = [];
  if (everyQuestion.length > 1) {
    const pooledCv = crossValidatePooled(everyQuestion);
    everyQuestion.forEach(({ name, questions }, at) => rows.push(row(name, questions.length, 'ranker, 5-fold cross-validated over all sets pooled', pooledCv.scores[at]!)));
    console.log(`  weights fitted per pooled fold: ${pooledCv.fitted.map(changed).map((text) => `[${text}]`).join(' ')}`);
    // The answer's lead with the weights each pooled fold fitted without the question: the honest share (the
    // answers above use the server's defaults, which were fitted on these very questions).
    const answers = crossValidateAnswers(everyQuestion, pooledCv.fitted);
    const share = (count: number, of: number, digits = 0) => `${count.toFixed(digits)} of ${of} (${(count / of).toFixed(3)})`;
    everyQuestion.forEach(({ name, questions }, at) => leadRows.push(`| ${name} | ${share(answers[at]!.leads, questions.length)} | ${share(answers[at]!.cited, questions.length)} |`));
    if (repeats > 1) {
      const repeated = crossValidateRepeated(everyQuestion, repeats);
      everyQuestion.forEach(({ name, questions }, at) => {
        rows.push(row(name, questions.length, `ranker, pooled 5-fold cross-validation, mean of ${repeats} cuts into folds`, repeated.scores[at]!));
        leadRows.push(`| ${name}, mean of ${repeats} cuts into folds | ${share(repeated.leads[at]!, questions.length, 1)} | ${share(repeated.cited[at]!, questions.length, 1)} |`);
      });
    }
  }
  // Extra checks (evals/checks/): written blind, never fitted; scored with the server's default weights.
  const checkRows: string[] = [];
  if (!values.set && existsSync('evals/checks')) {
    for (const file of listQuestionSetFiles('evals/checks')) {
      const set = loadQuestionSet(file);
      const docsDir = path.resolve(set.defaultDocsDir ?? DEFAULT_DOCS[set.corpus] ?? 'content/docs');
      const corpus = corpora.get(docsDir);
      if (!corpus) continue;
      const name = `checks/${path.basename(file, '.json')}`;
      checkRows.push(row(name, set.questions.length, 'ranker, default weights (never fitted on it)', await evaluate(set, docsSearch(corpus.db))));
      checkRows.push(row(name, set.questions.length, 'search box path (typo correction, then the ranker)', await evaluate(set, searchBoxSearch(corpus.db))));
      checkRows.push(row(name, set.questions.length, 'minisearch bm25 baseline', await evaluate(set, corpus.baseline)));
    }
  }
  // The server's defaults are fitted this way, so never on a held-out (test) question of a split set.
  const training = everyQuestion.map((group) => ({ ...group, questions: group.questions.filter((question) => question.split !== 'test') }));
  const pooled = everyQuestion.length > 0 ? fitWeights(training) : DEFAULT_RANK_WEIGHTS;
  // Ranking across kinds: every set's docs as indexed above, with the GitHub threads beside them.
  const githubDir = path.resolve(values.github ?? process.env.PASTE_GITHUB_CORPUS_DIR ?? '../shared/corpora/paste-github');
  const threadFigures =
    !values.set && paste && existsSync(githubDir)
      ? await threadRankingFigures({
          githubDir,
          sets: await Promise.all(
            sets.map(async (file) => {
              const set = loadQuestionSet(file);
              const docsDir = path.resolve(values.docs ?? set.defaultDocsDir ?? DEFAULT_DOCS[set.corpus] ?? 'content/docs');
              const corpus = corpora.get(docsDir);
              // A held-out set (every question `test`) is fitted on nowhere, so not in these folds either.
              const isHeldOut = set.questions.every((question) => question.split === 'test');
              return corpus && !isHeldOut ? { name: path.basename(file, '.json'), docsDir, questions: set.questions } : null;
            }),
          ).then((list) => list.filter((entry) => entry !== null)),
          rowsOf: async (docsDir) => listDocsSectionsForRanking({ db: corpora.get(docsDir)!.db }),
          threadDocsDir: pasteDocs,
        })
      : null;
  await fakeModel.close();
  console.log('\n| set | questions | search | recall@1 | recall@5 | MRR@10 |\n| --- | --- | --- | --- | --- | --- |');
  for (const line of rows) console.log(line);
  if (checkRows.length > 0) {
    console.log('\nExtra checks (evals/checks/: written blind, outside every fit and cross-validation)\n\n| set | questions | search | recall@1 | recall@5 | MRR@10 |\n| --- | --- | --- | --- | --- | --- |');
    for (const line of checkRows) console.log(line);
  }
  console.log(
    `\n"with a model": the search a deployment with a model runs (the model reorders the top 20; a weak query may be rewritten), ` +
      `here against a fake model that moves up sections whose page title shares a word with the question: the plumbing, not a real model's quality (${fakeModel.requests()} model calls).`,
  );
  console.log(`\nWeights fitted on every question of these sets but their test splits, from START_RANK_WEIGHTS: ${changed(pooled)}`);
  console.log(`The server's DEFAULT_RANK_WEIGHTS (lib/docs/search/ranking/weights.ts): ${changed(DEFAULT_RANK_WEIGHTS)}`);
  if (floorRows.length > 0) {
    console.log('\nRelevance floor (off-topic: answered "not covered"; docs sets: answered with sources)\n\n| questions | as intended | exceptions |\n| --- | --- | --- |');
    for (const line of floorRows) console.log(line);
  }
  if (floorFit.length > 0) {
    console.log(
      '\nRelevance floor decided on questions: every off-topic list of evals/ (not covered) and every Paste set, checks included (covered)\n\n' +
        '| floor | off-topic called "not covered" | docs questions answered with sources |\n| --- | --- | --- |',
    );
    for (const line of floorFit) console.log(line);
  }
  if (answerRows.length > 0) {
    console.log(
      '\nOffline answers: the first cited section is on a right page (goal: at least 80% of the real questions), beside the search\'s top hit for the whole question\n\n' +
        '| questions | answer leads on a right page | top hit on a right page |\n| --- | --- | --- |',
    );
    for (const line of answerRows) console.log(line);
  }
  if (leadRows.length > 0) {
    console.log(
      '\nOffline answers, cross-validated: the answer made with the weights fitted on the other pooled folds (the same searches, fusion and composition, the ranker called directly)\n\n' +
        '| questions | answer leads on a right page | a right page among its cited sources |\n| --- | --- | --- |',
    );
    for (const line of leadRows) console.log(line);
  }
  if (threadFigures) printThreadRanking(threadFigures, { isVerbose: values.verbose });
  else if (!values.set) console.log(`\nThreads beside the docs: not run (${existsSync(githubDir) ? 'the Paste docs are not there' : `${githubDir} is not there; pass --github DIR`}).`);
  // Last, as it changes the Paste index every section above read: the API specs beside the docs (issue 54, 3.2).
  if (paste && !values.set) await printCodeBesideDocs(paste.db, values.verbose);
  if (paste && !values.set) await printSpecsBesideDocs(paste.db, values.verbose);
  // Closed only now: the section above reads the Paste index (closing them before it failed with "PGlite is closed").
  for (const { db } of corpora.values()) await db.close();
  if (!values.set) await printApiTasks(values.verbose);
  if (!values.set) await printBlindSets(values.verbose);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
