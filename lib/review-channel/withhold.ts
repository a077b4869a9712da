import { ZAnswerPayload } from './format';

// What the review channel may read (issue 68): its posts leave the deployment for a Slack channel whose members are
// not known to be any audience's, unless SLACK_REVIEW_AUDIENCES says they are. An answer that cites a page the
// channel may not read is posted without its text (which was drawn from that page) and without that page's title
// and URL; the maintainers read it whole on the dashboard, through the transcript link of the thread's post.

export const WITHHELD_REVIEW_TEXT =
  'This answer draws on private pages this channel may not read (SLACK_REVIEW_AUDIENCES): open the transcript to read it.';

/**
 * The payload of an answer's post as the channel may read it: unchanged when it cites no page hidden from the
 * channel (`isHidden`, the read gate's isCitedPageHidden with the channel's access), else its text withheld and only
 * the sources the channel may read kept. Any other payload is returned as it is (the renderer judges its shape).
 */
export async function answerForChannel(payload: unknown, isHidden: (url: string) => Promise<boolean>): Promise<unknown> {
  const parsed = ZAnswerPayload.safeParse(payload);
  if (!parsed.success) return payload;
  const hidden = new Set<string>();
  for (const source of parsed.data.sources) if (await isHidden(source.url)) hidden.add(source.url);
  if (hidden.size === 0) return payload;
  return {
    ...(payload as Record<string, unknown>),
    text: WITHHELD_REVIEW_TEXT,
    length: WITHHELD_REVIEW_TEXT.length,
    sources: parsed.data.sources.filter((source) => !hidden.has(source.url)),
  };
}
