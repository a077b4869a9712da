// `npx tsx scripts/eval-bug-reports.ts [--docs ../shared/corpora/paste-docs --github ../shared/corpora/paste-github --verbose --show-held-out]`
// Bug reports pasted as readers would file them (issue 56, item 1), two sets. The written set
// (evals/bug-reports/paste-github.json): reports written by hand as a reader would have filed them before the fix of
// one of the corpus's bug-fix pull requests or bug issues existed, template and all, each with the threads that answer
// it; a fixed third held out (its reports are never printed one by one unless --show-held-out). The corpus set: the issues whose problem another thread answers
// (the links maintainers and authors wrote: scripts/lib/search-thread-set.ts), each asked as its title and body,
// template and all (an issue in the corpus), or as the reader wrote it (evals/paste-real.json's reports of issues not
// in the corpus), of the Paste docs with every other thread synced beside them (the asking threads are not indexed).
// Few: the corpus links five issues to their answers. Per report: whether an answering thread is in the tool's results handed to the model (5, every kind
// on), whether the offline answer cites or names it, and the names the tool's note says the docs never mention.
// Split by the asking thread's number: a third is held out (number % 3 === 0), never looked at while tuning.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createAssistantTools, GET_RELEVANT_DOCS } from '@/lib/assistant/tools';
import { createLogger } from '@/lib/log';
import { createOfflineModel } from '@/lib/model/offline';
import { bugReportFigures, judgeBugReport, loadWrittenReports, type TBugReport, type TBugReportOutcome } from './lib/bug-report-eval';
import { docsPathOf, offlineAnswer } from './lib/answer-eval';
import { indexIntoMemory, loadQuestionSet } from './lib/search-eval';
import { syncThreadsInto } from './lib/search-thread-index';
import { readGithubCorpus, threadQuestions } from './lib/search-thread-set';
import { PUBLIC_ACCESS } from '@/lib/audiences';

type TReport = TBugReport & { asker: number | null };

async function main() {
  const { values } = parseArgs({ options: { docs: { type: 'string' }, github: { type: 'string' }, verbose: { type: 'boolean', default: false }, 'show-held-out': { type: 'boolean', default: false } } });
  const docsDir = path.resolve(values.docs ?? '../shared/corpora/paste-docs');
  const githubDir = path.resolve(values.github ?? process.env.PASTE_GITHUB_CORPUS_DIR ?? '../shared/corpora/paste-github');
  if (!existsSync(docsDir) || !existsSync(githubDir)) throw new Error(`needs ${docsDir} and ${githubDir}`);
  const corpus = readGithubCorpus(githubDir);
  const byNumber = new Map(corpus.issues.map((issue) => [issue.number, issue]));
  // Real readers' reports of issues not in the corpus, as they wrote them (evals/paste-real.json keeps them by URL).
  const real = (JSON.parse(readFileSync('evals/paste-real.json', 'utf8')) as { questions: { id: string; question: string; source: string }[] }).questions;
  const reports: TReport[] = threadQuestions(
    corpus,
    real.map(({ id, question, source }) => ({ id, question, source })),
  ).flatMap((question) => {
    const issue = byNumber.get(question.asker);
    // A bug report: an issue (not a pull request), pasted whole (title and body), or a reader's report as written.
    if (issue?.pull_request || (issue && !issue.body)) return [];
    const q = issue ? `${issue.title}\n\n${issue.body}` : question.q;
    return [{ id: question.id, asker: question.asker, q, targets: question.targets, split: question.asker % 3 === 0 ? ('held-out' as const) : ('dev' as const) }];
  });
  const written: TReport[] = loadWrittenReports().map((report) => ({ ...report, asker: null }));
  // Every held-out issue filed with a body, pasted whole: what the tool's note says the docs never mention.
  const templated = corpus.issues.filter((issue) => !issue.pull_request && issue.body && issue.number % 3 === 0);
  const askers = new Set([...reports.flatMap((report) => (report.asker === null ? [] : [report.asker])), ...templated.map((issue) => issue.number)]);

  // Two worlds: the corpus's asking threads (and the held-out issues pasted whole) left out of one; every thread synced
  // in the other, where the written reports (none of them in the corpus) and the docs questions are asked.
  const { db } = await indexIntoMemory(docsDir);
  const log = createLogger({ level: 'silent' });
  await syncThreadsInto(db, corpus, askers);
  const { db: dbAll } = await indexIntoMemory(docsDir);
  await syncThreadsInto(dbAll, corpus);

  const model = createOfflineModel();
  const outcomes = new Map<string, TBugReportOutcome>();
  for (const report of [...reports, ...written]) outcomes.set(report.id, await judgeBugReport({ db: report.asker === null ? dbAll : db, report }));
  const tools = createAssistantTools({ db, log, embedder: null, siteUrl: 'http://localhost:3000', hasCodeSource: false });
  const noted: { number: number; names: string[]; opening: string }[] = [];
  for (const issue of templated) {
    const q = `${issue.title}\n\n${issue.body}`;
    const tool = JSON.parse(
      await tools.run({ id: 'call_eval', type: 'function', function: { name: GET_RELEVANT_DOCS, arguments: JSON.stringify({ prompt: q }) } }, { access: PUBLIC_ACCESS }),
    ) as { not_in_docs?: string[] };
    const answer = await offlineAnswer({ tools, model, question: q });
    noted.push({ number: issue.number, names: tool.not_in_docs ?? [], opening: answer.text.split('\n')[0]!.slice(0, 140) });
  }
  // Docs questions with threads on, through the same tool: a right docs page among the 5 results handed to the model.
  const pathOf = docsPathOf(docsDir);
  const docsRows: string[] = [];
  const toolsAll = createAssistantTools({ db: dbAll, log, embedder: null, siteUrl: 'http://localhost:3000', hasCodeSource: false });
  for (const file of ['evals/paste-docs.json', 'evals/paste-real.json']) {
    const set = loadQuestionSet(file);
    let right = 0;
    for (const question of set.questions) {
      const tool = JSON.parse(
        await toolsAll.run({ id: 'call_eval', type: 'function', function: { name: GET_RELEVANT_DOCS, arguments: JSON.stringify({ prompt: question.q }) } }, { access: PUBLIC_ACCESS }),
      ) as { results?: { url: string }[] };
      const paths = (tool.results ?? []).map((result) => pathOf(result.url));
      if (paths.some((found) => question.pages.includes(found))) right += 1;
      else if (values.verbose) docsRows.push(`  miss: "${question.q.replace(/\s+/g, ' ').slice(0, 100)}" got ${paths.join(', ')}`);
    }
    docsRows.push(`${path.basename(file, '.json')} with threads on: a right page in the tool's 5 results for ${right} of ${set.questions.length} (${(right / set.questions.length).toFixed(3)})`);
  }
  await db.close();
  await dbAll.close();
  for (const line of docsRows) console.log(line);

  for (const [name, set] of [['written', written], ['corpus', reports]] as const) {
    for (const split of ['dev', 'held-out'] as const) {
      const figures = bugReportFigures(set.filter((report) => report.split === split).map((report) => outcomes.get(report.id)!));
      const share = (count: number) => (figures.reports === 0 ? '-' : (count / figures.reports).toFixed(2));
      console.log(
        `${name} ${split}: ${figures.reports} reports; answering thread in the tool's results ${figures.inTool} (${share(figures.inTool)}); ` +
          `in search's top 5 (every kind) ${figures.inSearch} (${share(figures.inSearch)}); cited or named in the offline answer ${figures.inAnswer} (${share(figures.inAnswer)}); ` +
          `"not in the docs" note or opening ${figures.noted}; a thread claimed as its own fix ${figures.selfFixes}`,
      );
    }
  }
  const withNote = noted.filter((item) => item.names.length > 0 || /docs don.t mention/i.test(item.opening));
  console.log(`held-out issues pasted whole (template and all): ${noted.length}; with a "not in the docs" note or opening: ${withNote.length}`);
  for (const item of withNote) console.log(`  #${item.number}: not_in_docs ${JSON.stringify(item.names)} — ${item.opening}`);
  if (values.verbose) {
    for (const report of [...reports, ...written]) {
      // The written set's held-out reports are judged only in total, unless asked: they are never tuned on.
      if (report.asker === null && report.split === 'held-out' && !values['show-held-out']) continue;
      const outcome = outcomes.get(report.id)!;
      const who = report.asker === null ? report.id : `#${report.asker}`;
      console.log(
        `${who} (${report.split}) → ${report.targets.map((target) => `#${target}`).join(', ')}: tool ${outcome.inTool ? 'yes' : 'no'}, search ${outcome.inSearch ? 'yes' : 'no'}, ` +
          `answer ${outcome.inAnswer ? 'yes' : 'no'}, not_in_docs ${JSON.stringify(outcome.notInDocs)}\n    ${outcome.opening}`,
      );
    }
  }
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
