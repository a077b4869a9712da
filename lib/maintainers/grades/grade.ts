import { gradeSettledAnswers, listAnswersToJudge, recordAnswerJudgement } from '../../db/answer-grades';
import type { TDb } from '../../db/types';
import { createRound } from '../../jobs';
import type { TLogger } from '../../log';
import type { TModelClient } from '../../model/types';
import { judgeAnswerGrade } from './judge';

// When a grade is final: once the answer's conversation has been idle GRADE_IDLE_MINUTES (no message since), so that
// what the reader did after it (a vote, a hand-off, the question again in other words) is in. Grades are written by
// a round in every instance (every GRADE_ROUND_MS) and, lazily, before the dashboard or the digest reads them; the
// SQL (grade_settled_answers, 66_answer_grades.sql) writes each grade once, whichever instance gets there first.
// The round then has the model judge the sampled share (EVAL_SAMPLE) when a model is configured: the offline model
// only quotes the docs, so it judges nothing. Two instances may judge the same answer at once: one more model call,
// never a wrong grade.

const GRADE_ROUND_MS = 5 * 60_000;
/** Answers graded per call, and judged per round: a backlog takes a few rounds, never one long transaction. */
const GRADE_BATCH = 500;
const JUDGE_BATCH = 20;

export type TGradingDeps = {
  db: TDb;
  log: TLogger;
  model: Pick<TModelClient, 'mode' | 'respond'>;
  config: { grades: { evalSample: number; idleSeconds: number; rephraseSeconds: number } };
};

export type TGrading = {
  /** Grades the answers whose conversations settled (by `now`); returns how many. */
  gradeSettled(now?: Date): Promise<number>;
  /** Has the model judge the sampled answers not judged yet (none offline); returns how many it judged. */
  judgeSampled(): Promise<number>;
  start(): void;
  stop(): Promise<void>;
};

/** The share the model judges: EVAL_SAMPLE with a configured model, else none. */
export function judgedShare(deps: { model: Pick<TModelClient, 'mode'>; config: TGradingDeps['config'] }): number {
  return deps.model.mode === 'offline' ? 0 : deps.config.grades.evalSample;
}

export async function gradeSettledNow({ deps, now }: { deps: Pick<TGradingDeps, 'db' | 'model' | 'config'>; now?: Date }): Promise<number> {
  let total = 0;
  for (;;) {
    const graded = await gradeSettledAnswers({
      db: deps.db,
      idleSeconds: deps.config.grades.idleSeconds,
      rephraseSeconds: deps.config.grades.rephraseSeconds,
      sample: judgedShare(deps),
      limit: GRADE_BATCH,
      now,
    });
    total += graded;
    if (graded < GRADE_BATCH) return total;
  }
}

export function createGrading({ deps, firstDelayMs }: { deps: TGradingDeps; firstDelayMs: number }): TGrading {
  async function judgeSampled(): Promise<number> {
    if (judgedShare(deps) === 0) return 0;
    const items = await listAnswersToJudge({ db: deps.db, limit: JUDGE_BATCH });
    let judged = 0;
    for (const item of items) {
      try {
        const judgement = await judgeAnswerGrade({ model: deps.model, item });
        await recordAnswerJudgement({ db: deps.db, messageId: item.message_id, grade: judgement.grade, reason: judgement.reason });
        judged += 1;
      } catch (error) {
        // The model failed: the answer stays unjudged and the next round asks again.
        deps.log.warn({ err: error instanceof Error ? error.message : String(error), messageId: item.message_id }, 'answer judge failed; tried again later');
        break;
      }
    }
    return judged;
  }
  const round = createRound({
    name: 'grades',
    log: deps.log,
    everyMs: GRADE_ROUND_MS,
    firstDelayMs,
    jitter: 0.25,
    failureMessage: 'grading answers failed; tried again later',
    round: async () => {
      await gradeSettledNow({ deps });
      await judgeSampled();
    },
  });
  return {
    gradeSettled: (now) => gradeSettledNow({ deps, now }),
    judgeSampled,
    start: () => round.start(),
    stop: () => round.stop(),
  };
}
