import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { createAssistantTools, GET_RELEVANT_DOCS } from '@/lib/assistant/tools';
import type { TDb } from '@/lib/db/types';
import { searchDocsRanked } from '@/lib/docs/search/search';
import { createLogger } from '@/lib/log';
import { createOfflineModel } from '@/lib/model/offline';
import { offlineAnswer } from './answer-eval';
import { PUBLIC_ACCESS } from '@/lib/audiences';

// Judging bug reports pasted as readers file them (issue 56, item 1), one report at a time, on a database holding the
// docs and the synced threads: whether an answering thread is among the results the assistant's tool hands the model
// (every kind on), in the search's top 5 (the search box's and /api/docs-search's, every kind on), cited or named in
// the offline answer; the names the tool's note says the docs never mention; whether the answer claims a thread as its
// own fix. Used by scripts/eval-bug-reports.ts and tests/corpus/bug-reports.test.ts.

export type TBugReport = { id: string; q: string; targets: number[]; split: 'dev' | 'held-out' };
export type TBugReportOutcome = { inTool: boolean; inSearch: boolean; inAnswer: boolean; isSelfFix: boolean; notInDocs: string[]; opening: string };

/** The written reports (evals/bug-reports/paste-github.json): none is in the corpus, so none leaves the index. */
const ZWrittenSet = z.object({
  reports: z.array(z.object({ id: z.string(), split: z.enum(['dev', 'held-out']), targets: z.array(z.number().int()).min(1), title: z.string(), body: z.string() })),
});

/** The written reports, each pasted whole: its title, a blank line, its body (template and all). */
export function loadWrittenReports(file = 'evals/bug-reports/paste-github.json'): TBugReport[] {
  return ZWrittenSet.parse(JSON.parse(readFileSync(file, 'utf8'))).reports.map((report) => ({
    id: report.id,
    q: `${report.title}\n\n${report.body}`,
    targets: report.targets,
    split: report.split,
  }));
}

/** Whether an answer says a thread is fixed by itself ("#4102, closed as fixed by #4102"). */
export function claimsItselfAsFix(text: string): boolean {
  return /#(\d+)\b[^\n]{0,60}?\bfixed\b[^\n]{0,40}?#\1\b/.test(text) || /#(\d+)\b[^\n]{0,40}?\bfixed by (?:pull request )?#\1\b/.test(text);
}

/** Whether a result's URL is one of the report's answering threads (an issue, pull request or discussion of any repository). */
export function isTargetUrl(targets: number[], url: string | undefined): boolean {
  return targets.some((target) => new RegExp(`/(?:issues|pull|discussions)/${target}(?:#|$)`).test(url ?? ''));
}

export async function judgeBugReport({ db, report }: { db: TDb; report: Pick<TBugReport, 'q' | 'targets'> }): Promise<TBugReportOutcome> {
  const log = createLogger({ level: 'silent' });
  const tools = createAssistantTools({ db, log, embedder: null, siteUrl: 'http://localhost:3000', hasCodeSource: false });
  const tool = JSON.parse(
    await tools.run({ id: 'call_eval', type: 'function', function: { name: GET_RELEVANT_DOCS, arguments: JSON.stringify({ prompt: report.q }) } }, { access: PUBLIC_ACCESS }),
  ) as { results?: { url: string }[]; not_in_docs?: string[] };
  const answer = await offlineAnswer({ tools, model: createOfflineModel(), question: report.q });
  const cited = (answer.annotations ?? []).some((annotation) => 'url' in annotation && isTargetUrl(report.targets, annotation.url));
  const named = report.targets.some((target) => new RegExp(`#${target}\\b|/(?:issues|pull)/${target}\\b`).test(answer.text));
  const searched = (await searchDocsRanked({ access: PUBLIC_ACCESS, deps: { db, log, embedder: null }, prompt: report.q, limit: 5, source: 'site', isRecorded: false })).results;
  return {
    inTool: (tool.results ?? []).some((result) => isTargetUrl(report.targets, result.url)),
    inSearch: searched.some((result) => isTargetUrl(report.targets, result.url)),
    inAnswer: cited || named,
    isSelfFix: claimsItselfAsFix(answer.text),
    notInDocs: tool.not_in_docs ?? [],
    opening: answer.text.split('\n')[0]!.slice(0, 140),
  };
}

export type TBugReportFigures = { reports: number; inTool: number; inSearch: number; inAnswer: number; noted: number; selfFixes: number };

/** The shares over a list of judged reports ("noted": a "not in the docs" note, or an answer opening with it). */
export function bugReportFigures(outcomes: TBugReportOutcome[]): TBugReportFigures {
  const count = (test: (outcome: TBugReportOutcome) => boolean) => outcomes.filter(test).length;
  return {
    reports: outcomes.length,
    inTool: count((outcome) => outcome.inTool),
    inSearch: count((outcome) => outcome.inSearch),
    inAnswer: count((outcome) => outcome.inAnswer),
    noted: count((outcome) => outcome.notInDocs.length > 0 || /docs don.t mention/i.test(outcome.opening)),
    selfFixes: count((outcome) => outcome.isSelfFix),
  };
}
