import { z } from 'zod';
import { defineSettings, intInRange } from '../../settings';

// How answers are graded (./grade.ts): when a conversation counts as settled, how soon a question asked again counts
// as a rephrase, and the share of graded answers a configured model also judges (EVAL_SAMPLE; never the offline one).

export const gradesSettings = defineSettings(
  {
    EVAL_SAMPLE: z.coerce.number().min(0, 'EVAL_SAMPLE is a share from 0 to 1').max(1, 'EVAL_SAMPLE is a share from 0 to 1').default(0.1),
    // 0: graded as soon as read (a demo, a test); a vote or hand-off after that no longer changes the grade.
    GRADE_IDLE_MINUTES: intInRange(30, 0, 24 * 60),
    GRADE_REPHRASE_MINUTES: intInRange(10, 1, 120),
  },
  (env): { grades: { evalSample: number; idleSeconds: number; rephraseSeconds: number } } => ({
    grades: { evalSample: env.EVAL_SAMPLE, idleSeconds: env.GRADE_IDLE_MINUTES * 60, rephraseSeconds: env.GRADE_REPHRASE_MINUTES * 60 },
  }),
);
