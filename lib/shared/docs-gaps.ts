// The gaps as the maintainers' dashboard and GET /api/maintainers/gaps show them (lib/maintainers/gaps): topics of
// readers' questions the docs failed, with their drafted fixes and, once re-indexed docs answer them, closed.

export type TGapQuestionKind = 'not_covered' | 'voted_down' | 'maintainer';

export type TGapQuestion = {
  text: string;
  kind: TGapQuestionKind;
  /** What the reader said was missing (a thumbs-down's reason), or null. */
  reason: string | null;
  createdAt: string;
  threadId: string;
  messageId: string;
};

/** A docs section near the topic: where its answer most likely belongs. */
export type TGapNearestSection = { title: string; heading: string; url: string; path: string; kind: string };

/** `direction` compares the count with the previous period of the same length. */
export type TGapTrend = { previous: number; change: number; direction: 'new' | 'up' | 'down' | 'same' };

export type TGapDraftStatus = 'pending' | 'opened' | 'failed';

export type TGapDraft = {
  id: number;
  topicId: string;
  topic: string;
  target: 'github' | 'patch';
  /** pull: a unified diff to a docs page (with a model); issue: the questions and the nearest sections (offline). */
  kind: 'pull' | 'issue';
  status: TGapDraftStatus;
  title: string;
  body: string;
  diff: string | null;
  pagePath: string | null;
  questions: { text: string; messageId: string; kind: TGapQuestionKind; reason: string | null }[];
  /** Where to read it: the pull request or issue on GitHub, or the patch to download. */
  url: string | null;
  /** Why GitHub refused it (status failed): a retry opens it. */
  error: string | null;
  attempts: number;
  createdAt: string;
  updatedAt: string;
  openedAt: string | null;
  /** When the re-indexed docs answered the topic's questions, and how many of them. */
  closedAt: string | null;
  answered: number | null;
  /** The issue on GitHub the draft opened or updated: a later draft of its topic updates that issue. */
  issueNumber: number | null;
};

export type TGapTopic = {
  /** Stable for the same questions: `gap_` and a hash of the topic's words. */
  id: string;
  /** The topic: its most asked wording. */
  topic: string;
  count: number;
  counts: Record<TGapQuestionKind, number>;
  trend: TGapTrend;
  /** Example questions, newest first. */
  questions: TGapQuestion[];
  nearest: TGapNearestSection[];
  lastAskedAt: string;
  /** The newest draft made from this topic, if any. */
  draft: TGapDraft | null;
};

export type TGapsView = {
  period: { from: string; to: string; days: number };
  gaps: TGapTopic[];
  /** Drafts whose topics the re-indexed docs now answer, newest first. */
  closed: TGapDraft[];
};
