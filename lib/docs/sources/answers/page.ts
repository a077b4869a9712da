import { createHash } from 'node:crypto';
import type { TPageInput } from '../../../db/docs-index';
import type { TApprovedMaintainerAnswer } from '../../../db/maintainer-answers';
import { answerPagePath } from '../../../shared/maintainer-answers';

// An approved answer as a docs page: path `answer:<id>`, read at /docs/answers/<id> (its slug,
// lib/shared/maintainer-answers.ts), titled by the question (its first line, as its public page is titled:
// pa_maintainer_answer_title in supabase/schemas/62_maintainer_answers.sql), whose whole text is the page's
// description (the ranker's context field), with one section: the maintainers' answer. meta: when they answered
// and approved, to the second in UTC. Pure: no I/O.

export const ANSWER_KIND = 'answer';

/** What builds the pages: bumped when the page's shape changes, so that every answer is rebuilt once. */
export const ANSWER_PAGE_VERSION = 'answer-v2';

const MAX_DESCRIPTION_CHARS = 1000;

export function answerPage(answer: TApprovedMaintainerAnswer): TPageInput {
  const answeredAt = utcSecond(answer.answeredAt);
  const approvedAt = utcSecond(answer.approvedAt);
  return {
    path: answerPagePath(answer.id),
    kind: ANSWER_KIND,
    slug: `answers/${answer.id}`,
    title: answer.title,
    // Postgres's btrim and left, as the page had it when SQL built it: spaces only, and characters, not UTF-16 units.
    description: [...answer.question.replace(/^ +| +$/g, '')].slice(0, MAX_DESCRIPTION_CHARS).join(''),
    checksum: createHash('md5').update([ANSWER_PAGE_VERSION, answer.question, answer.answer, answeredAt, approvedAt].join('\n')).digest('hex'),
    warnings: [],
    sections: [{ heading: answer.title, heading_path: [answer.title], anchor: '', content: answer.answer }],
    meta: { answeredAt, approvedAt },
  };
}

/** `2026-03-04T05:06:07Z`: a timestamp to the second, in UTC (the fraction is cut, not rounded). */
function utcSecond(timestamp: string): string {
  return new Date(timestamp).toISOString().replace(/\.\d+Z$/, 'Z');
}
