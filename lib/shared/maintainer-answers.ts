// The maintainers' answers as the dashboard sees them (GET /api/maintainers/answers, lib/maintainers/answers.ts):
// a reader's question and a maintainer's reply from Slack, or a question and answer a maintainer wrote on the
// dashboard, masked and without anyone's identity, to approve (it becomes a source readers' questions are
// answered from), reject, or edit.

export const MAINTAINER_ANSWER_STATUSES = ['proposed', 'approved', 'rejected'] as const;
export type TMaintainerAnswerStatus = (typeof MAINTAINER_ANSWER_STATUSES)[number];

export type TMaintainerAnswer = {
  id: number;
  question: string;
  answer: string;
  status: TMaintainerAnswerStatus;
  /** Where it was written: a maintainer's reply in Slack, or the dashboard. */
  origin: 'slack' | 'dashboard';
  /** ISO 8601: when it was proposed (or written), and when it was last approved or rejected (null while proposed). */
  createdAt: string;
  decidedAt: string | null;
  /** An approved answer's public page (site-relative). */
  url?: string;
};

export type TMaintainerAnswersView = { proposed: TMaintainerAnswer[]; approved: TMaintainerAnswer[]; rejected: TMaintainerAnswer[] };

/** An approved answer's page in the docs index: `answer:<id>` (the index path DOCS_AUDIENCES rules match). */
export function answerPagePath(id: number): string {
  return `answer:${id}`;
}

/** Where an approved answer is read: a page of the docs site (its markdown twin is the same URL plus `.md`). */
export function maintainerAnswerHref(id: number): string {
  return `/docs/answers/${id}`;
}
