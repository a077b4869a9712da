import type { TDb } from './types';

// Answers' grades, the sources readers opened, the dashboard's marks and the eval cases (66_answer_grades.sql).

export type TGrade = 'answered' | 'partly' | 'not_answered';
export type TJudgeGrade = TGrade | 'unreadable';

/** Grades the settled answers (idle conversations); returns how many it graded. */
export function gradeSettledAnswers({
  db,
  idleSeconds,
  rephraseSeconds,
  sample,
  limit,
  now,
}: {
  db: TDb;
  idleSeconds: number;
  rephraseSeconds: number;
  /** The share the model judges, 0 to 1; 0 without a model. */
  sample: number;
  limit: number;
  /** The time grading is done at (tests move it on); the database's clock when absent. */
  now?: Date;
}) {
  return db.rpc<number>('grade_settled_answers', {
    p_idle_seconds: idleSeconds,
    p_rephrase_seconds: rephraseSeconds,
    p_sample: sample,
    p_limit: limit,
    ...(now ? { p_now: now.toISOString() } : {}),
  });
}

export type TAnswerToJudge = {
  message_id: string;
  question: string | null;
  answer: string;
  sections: { url: string; heading: string | null; text: string }[];
};

export function listAnswersToJudge({ db, limit }: { db: TDb; limit: number }) {
  return db.rpc<TAnswerToJudge[]>('list_answers_to_judge', { p_limit: limit });
}

export function recordAnswerJudgement({ db, messageId, grade, reason }: { db: TDb; messageId: string; grade: TJudgeGrade; reason: string | null }) {
  return db.rpc<boolean>('record_answer_judgement', { p_message_id: messageId, p_grade: grade, p_reason: reason });
}

/** The thread's owner opened a source its answer cites; false when the answer does not cite that URL. 404 for another's thread. */
export function recordAnswerSourceOpened({ db, owner, threadId, messageId, url }: { db: TDb; owner: string; threadId: string; messageId: string; url: string }) {
  return db.rpc<boolean>('record_answer_source_opened', { p_owner: owner, p_thread_id: threadId, p_message_id: messageId, p_url: url });
}

export type TGradeCounts = { graded: number; answered: number; partly: number; not_answered: number };
export type TGradeGroup = TGradeCounts & { key: string };
export type TWorstAnswerRow = {
  message_id: string;
  thread_id: string;
  answered_at: string;
  grade: TGrade;
  reasons: string[];
  judge_grade: TJudgeGrade | null;
  judge_reason: string | null;
  topic: string | null;
  door: string;
  question: string | null;
  eval_case_id: number | null;
};
export type TAnswerGradesData = {
  days: (TGradeCounts & { day: string })[];
  totals: TGradeCounts;
  topics: TGradeGroup[];
  kinds: TGradeGroup[];
  doors: TGradeGroup[];
  marks: { day: string; kind: 'reindex' | 'model'; detail: string }[];
  judged: { sampled: number; judged: number; worse: number };
  worst: TWorstAnswerRow[];
};

export function getAnswerGrades({ db, from, to, limit }: { db: TDb; from: Date; to: Date; limit: number }) {
  return db.rpc<TAnswerGradesData>('get_answer_grades', { p_from: from.toISOString(), p_to: to.toISOString(), p_limit: limit });
}

export type TEvalCaseRow = {
  id: number;
  message_id: string | null;
  thread_id: string | null;
  question: string;
  expected_path: string;
  expected_title: string;
  created_at: string;
};

export function createEvalCaseByMessage({ db, messageId, expectedPath, expectedTitle }: { db: TDb; messageId: string; expectedPath: string; expectedTitle: string }) {
  return db.rpc<TEvalCaseRow>('create_eval_case_by_message', { p_message_id: messageId, p_expected_path: expectedPath, p_expected_title: expectedTitle });
}

export function listEvalCases({ db, limit }: { db: TDb; limit: number }) {
  return db.rpc<TEvalCaseRow[]>('list_eval_cases', { p_limit: limit });
}

export function deleteEvalCaseById({ db, id }: { db: TDb; id: number }) {
  return db.rpc<boolean>('delete_eval_case_by_id', { p_id: id });
}
