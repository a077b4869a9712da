import { getAnswerGrades, listEvalCases, type TAnswerGradesData, type TGradeCounts, type TGradeGroup, type TWorstAnswerRow } from '../../db/answer-grades';
import type { TDb } from '../../db/types';
import { publicSourceKind } from '../../docs/search/kinds';
import { SOURCE_KIND_NAMES, type TPublicSourceKind } from '../../shared/docs';
import type { TGradeCountsView, TGradeGroupView, TGradesView, TWorstAnswerView } from '../../shared/answer-grades';
import { gradeSettledNow, judgedShare, type TGradingDeps } from './grade';
import { listEvalCasePages } from './eval-cases';

// The grades part of the maintainers' dashboard and of the weekly digest. Grades of conversations that settled since
// the last round are written first (lazily: gradeSettledNow), so that what the maintainer sees is up to date.

const DAY_MS = 86_400_000;
const WORST_SHOWN = 15;
const EVAL_CASES_SHOWN = 200;

const DOOR_NAMES: Record<string, string> = { site: 'Site', slack: 'Slack', discord: 'Discord', api: 'API (/v1)', mcp: 'MCP' };

export type TGradesViewDeps = Pick<TGradingDeps, 'db' | 'model' | 'config'>;

export function countsView(counts: TGradeCounts): TGradeCountsView {
  const graded = Number(counts.graded);
  const answered = Number(counts.answered);
  return { graded, answered, partly: Number(counts.partly), notAnswered: Number(counts.not_answered), rate: graded > 0 ? answered / graded : null };
}

function groupView(group: TGradeGroup, label: (key: string) => string): TGradeGroupView {
  return { ...countsView(group), key: group.key, label: label(group.key) };
}

const kindLabel = (key: string) => (key === '' ? 'No source cited' : (SOURCE_KIND_NAMES[publicSourceKind(key) as TPublicSourceKind] ?? key));

function worstView(row: TWorstAnswerRow, transcriptUrl: (threadId: string) => string): TWorstAnswerView {
  return {
    messageId: row.message_id,
    threadId: row.thread_id,
    answeredAt: row.answered_at,
    grade: row.grade,
    reasons: row.reasons,
    judge: row.judge_grade ? { grade: row.judge_grade, reason: row.judge_reason } : null,
    topic: row.topic,
    door: DOOR_NAMES[row.door] ?? row.door,
    question: (row.question ?? '').replace(/\s+/g, ' ').trim() || '(the question was not found)',
    transcriptUrl: transcriptUrl(row.thread_id),
    evalCaseId: row.eval_case_id,
  };
}

/** The topic with the most answers not fully answered (then the lowest rate); null when every one was answered. */
export function worstTopicOf(groups: TGradeGroupView[]): TGradeGroupView | null {
  const failing = groups.filter((group) => group.graded - group.answered > 0);
  failing.sort((a, b) => b.graded - b.answered - (a.graded - a.answered) || (a.rate ?? 0) - (b.rate ?? 0) || a.label.localeCompare(b.label));
  return failing[0] ?? null;
}

/** This week's and last week's figures and the week's worst answers: the last seven days before `to`. */
export async function getWeekGrades({ db, to, transcriptUrl }: { db: TDb; to: Date; transcriptUrl: (threadId: string) => string }) {
  const from = new Date(to.getTime() - 7 * DAY_MS);
  const [week, previous] = await Promise.all([
    getAnswerGrades({ db, from, to, limit: WORST_SHOWN }),
    getAnswerGrades({ db, from: new Date(from.getTime() - 7 * DAY_MS), to: from, limit: 1 }),
  ]);
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    totals: countsView(week.totals),
    previous: countsView(previous.totals),
    worst: week.worst.map((row) => worstView(row, transcriptUrl)),
    worstTopic: worstTopicOf(week.topics.filter((group) => group.key !== '').map((group) => groupView(group, (key) => key))),
  };
}

export async function getGradesForMaintainers({
  deps,
  window,
  transcriptUrl,
  now,
}: {
  deps: TGradesViewDeps;
  window: { from: Date; to: Date };
  transcriptUrl: (threadId: string) => string;
  now?: Date;
}): Promise<TGradesView> {
  await gradeSettledNow({ deps, now });
  const weekEnd = new Date(Math.min(window.to.getTime(), (now ?? new Date()).getTime()));
  const [period, week, evalCases, pages]: [TAnswerGradesData, Awaited<ReturnType<typeof getWeekGrades>>, Awaited<ReturnType<typeof listEvalCases>>, { path: string; title: string }[]] =
    await Promise.all([
      getAnswerGrades({ db: deps.db, from: window.from, to: window.to, limit: 1 }),
      getWeekGrades({ db: deps.db, to: weekEnd, transcriptUrl }),
      listEvalCases({ db: deps.db, limit: EVAL_CASES_SHOWN }),
      listEvalCasePages({ db: deps.db }),
    ]);
  return {
    days: period.days.map((day) => ({ ...countsView(day), day: day.day })),
    totals: countsView(period.totals),
    topics: period.topics.map((group) => groupView(group, (key) => key || 'No source cited')),
    kinds: period.kinds.map((group) => groupView(group, kindLabel)),
    doors: period.doors.map((group) => groupView(group, (key) => DOOR_NAMES[key] ?? key)),
    marks: period.marks,
    judge: { sample: judgedShare(deps), sampled: Number(period.judged.sampled), judged: Number(period.judged.judged), worse: Number(period.judged.worse) },
    week,
    evalCases: evalCases.map((row) => ({
      id: Number(row.id),
      question: row.question,
      expectedPath: row.expected_path,
      expectedTitle: row.expected_title,
      createdAt: row.created_at,
      threadId: row.thread_id,
    })),
    pages,
  };
}
