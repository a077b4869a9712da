// Answers' grades as the maintainers' dashboard shows them (built by lib/maintainers/grades/view.ts; the charts in
// components/maintainers/Grades.tsx read it). Days are UTC dates (YYYY-MM-DD).

export type TAnswerGrade = 'answered' | 'partly' | 'not_answered';

export const GRADE_LABELS: Record<TAnswerGrade, string> = { answered: 'Answered', partly: 'Partly', not_answered: 'Not answered' };

/** What each reason a grade can have means, in a maintainer's words. */
export const GRADE_REASON_LABELS: Record<string, string> = {
  not_covered: 'the answer said the docs don’t cover it',
  voted_down: 'voted down',
  handed_off: 'handed to the maintainers',
  rephrased: 'asked again in other words within minutes',
  voted_up: 'voted up',
  source_opened: 'a cited source was opened',
  sources_not_opened: 'none of its sources was opened',
};

/** Reasons that speak for an answer: listed with a grade, never as why it went wrong. */
export const POSITIVE_REASONS: ReadonlySet<string> = new Set(['voted_up', 'source_opened']);

export const gradeReasonText = (reason: string) => GRADE_REASON_LABELS[reason] ?? reason.replace(/_/g, ' ');

/** `rate`: answered ÷ graded (0 to 1), null when nothing was graded. */
export type TGradeCountsView = { graded: number; answered: number; partly: number; notAnswered: number; rate: number | null };

export type TGradeGroupView = TGradeCountsView & { key: string; label: string };

export type TWorstAnswerView = {
  messageId: string;
  threadId: string;
  answeredAt: string;
  grade: TAnswerGrade;
  reasons: string[];
  /** The model's grade and why, when it judged this answer ('unreadable': its reply was not a grade). */
  judge: { grade: string; reason: string | null } | null;
  topic: string | null;
  door: string;
  question: string;
  transcriptUrl: string;
  evalCaseId: number | null;
};

export type TEvalCaseView = { id: number; question: string; expectedPath: string; expectedTitle: string; createdAt: string; threadId: string | null };

export type TGradesView = {
  days: (TGradeCountsView & { day: string })[];
  totals: TGradeCountsView;
  topics: TGradeGroupView[];
  kinds: TGradeGroupView[];
  doors: TGradeGroupView[];
  /** Days the docs changed (re-indexed) or answers came from another model. */
  marks: { day: string; kind: 'reindex' | 'model'; detail: string }[];
  /** The model as a judge: the share sampled (0 when no model is configured) and how many it judged, and made worse. */
  judge: { sample: number; sampled: number; judged: number; worse: number };
  /** The last seven days of the period: its rate, the rate of the seven before, its worst answers and topic (most not fully answered). */
  week: { from: string; to: string; totals: TGradeCountsView; previous: TGradeCountsView; worst: TWorstAnswerView[]; worstTopic: TGradeGroupView | null };
  evalCases: TEvalCaseView[];
  /** The docs' pages a maintainer may name as the one that should have answered (the read gate, maintainer access). */
  pages: { path: string; title: string }[];
};

export const formatRate = (rate: number | null) => (rate === null ? '–' : `${Math.round(rate * 100)}%`);
