import type { TGradesView } from './answer-grades';

// The maintainers' dashboard as the page renders it (built by lib/maintainers/dashboard.ts on the server; the
// chart components read it). Days are UTC dates (YYYY-MM-DD).

export const DASHBOARD_PRESETS = [7, 30, 90] as const;
export type TDashboardPreset = (typeof DASHBOARD_PRESETS)[number];

export type TDashboardDayView = {
  day: string;
  questions: number;
  answered: number;
  notCovered: number;
  up: number;
  down: number;
  searches: number;
  searchesWithoutResults: number;
};

export type TUnansweredQuestionView = {
  text: string;
  kind: 'not_covered' | 'voted_down';
  reason: string | null;
  createdAt: string;
  threadId: string;
  /** Where the conversation came from: "site", "slack" (answers in Slack), "mcp", "api". */
  source: string;
  /** The signed transcript of its thread. */
  transcriptUrl: string;
};

export type TQuestionGroupView = {
  /** The group's most asked wording (the shortest on a tie). */
  label: string;
  count: number;
  notCovered: number;
  votedDown: number;
  threads: number;
  /** The sources of its questions, most frequent first. */
  sources: string[];
  lastAskedAt: string;
  questions: TUnansweredQuestionView[];
};

export type TDashboardView = {
  period: { from: string; to: string; days: number; preset: TDashboardPreset | null };
  totals: {
    questions: number;
    answered: number;
    notCovered: number;
    up: number;
    down: number;
    searches: number;
    searchesWithoutResults: number;
    maintainerReplies: number;
  };
  days: TDashboardDayView[];
  /** Questions per source ("site", "slack", …), most first. */
  sources: { source: string; questions: number }[];
  groups: TQuestionGroupView[];
  /** Thumbs-down with the reader's reason, newest first. */
  reasons: TUnansweredQuestionView[];
  searchesWithoutResults: { query: string; count: number }[];
  /** Conversations readers handed to the maintainers (lib/handoff), newest first: where each went, whether one replied. */
  handoffs?: THandoffItemView[];
  /** Answers' grades: the answered rate over time, by topic, source kind and door, the week's worst answers, eval cases. */
  grades?: TGradesView;
};

/** A hand-off as the maintainers list it; never the reader's address, only whether replies are e-mailed. */
export type THandoffItemView = {
  question: string;
  channel: string;
  status: string;
  url: string | null;
  isEmailed: boolean;
  createdAt: string;
  repliedAt: string | null;
  source: string;
  transcriptUrl: string;
};
