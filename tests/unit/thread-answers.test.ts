import { OFFLINE_LINES } from '@/lib/model/offline/lines';
import { describe, expect, it } from 'vitest';
import type { TMessageRow } from '@/lib/db/rows';
import { TOOL_DEFINITIONS } from '@/lib/assistant/tools';
import { collectSources, extractCitations, verifyDocsCitations } from '@/lib/model/citations';
import { createOfflineModel } from '@/lib/model/offline';
import type { TPassage, TInputItem } from '@/lib/model/types';
import { SLACK_STYLE } from '@/lib/chat-doors/doors/slack/style';
import { renderChatAnswer, sourceKindText } from '@/lib/chat-doors/render';
import { renderReplyText } from '@/lib/review-channel/format';

const renderAnswer = (args: Parameters<typeof renderChatAnswer>[1]) => renderChatAnswer(SLACK_STYLE, args);

// Answers that say where they come from (issue 37, item 5): the offline answer leads with the maintainers' reply
// when a GitHub thread is the best source, a model's link to an indexed thread is a citation carrying the thread's
// kind, number and state (an unindexed one is dropped), and Slack names a thread source and its state.

const SITE = 'https://docs.example.com';
const THREAD = 'https://github.com/twilio-labs/paste/issues/1234';
const model = createOfflineModel();

const docs: TPassage = {
  title: 'Toast',
  heading: 'Automatic dismissal',
  url: '/docs/components/toast#automatic-dismissal',
  content: 'A toast dismisses itself after the time set by its `dismissAfter` prop.',
  kind: 'docs',
};
const question = (state: 'open' | 'closed' | 'merged'): TPassage => ({
  title: 'Toast never dismisses in Safari',
  heading: 'Toast never dismisses in Safari',
  url: THREAD,
  content: 'In Safari the toast stays on screen forever.',
  kind: 'thread',
  number: 1234,
  state,
});
const reply = (state: 'open' | 'closed' | 'merged'): TPassage => ({
  ...question(state),
  heading: "Maintainers' answer (2025-03-02)",
  url: `${THREAD}#issuecomment-99`,
  content: 'Safari pauses timers in background tabs, so the toast waits until the tab is visible again.',
});

async function answerFrom(results: TPassage[]) {
  const input: TInputItem[] = [
    { type: 'message', role: 'user', content: 'Why does my toast never dismiss in Safari?' },
    { type: 'function_call', call_id: 'c1', name: 'get_relevant_docs', arguments: '{"prompt":"toast Safari"}' },
    { type: 'function_call_output', call_id: 'c1', output: JSON.stringify({ query: 'toast Safari', evidence: 'strong', results }) },
  ];
  const response = await model.respond({ instructions: '', input, tools: TOOL_DEFINITIONS });
  if (response.output.type !== 'message') throw new Error('expected a message');
  return response.output;
}

describe('the offline answer when a thread is the best source', () => {
  it('leads with the maintainers\' sentence and quotes their reply, cited with the thread\'s number and state', async () => {
    const { text, annotations } = await answerFrom([question('closed'), reply('closed'), docs]);
    expect(text.startsWith('Maintainers answered this in #1234, since closed.')).toBe(true);
    expect(text).toContain("**#1234 Toast never dismisses in Safari › Maintainers' answer (2025-03-02)**\n\n> Safari pauses timers");
    // The docs section that shares the question's words is quoted after the reply, cited: the docs say how it should
    // work. The thread's own question section is not listed again.
    expect(text).toContain("> Safari pauses timers in background tabs, so the toast waits until the tab is visible again.\n\n**Toast › Automatic dismissal**\n\nA toast dismisses itself");
    expect(text).not.toContain(`](${THREAD})`);
    expect(annotations?.map((annotation) => annotation.url)).toEqual([`${THREAD}#issuecomment-99`, docs.url]);
    const [citation] = annotations ?? [];
    expect(citation).toMatchObject({ url: `${THREAD}#issuecomment-99`, source: { kind: 'thread', number: 1234, state: 'closed' } });
    expect(text.slice(citation!.start_index, citation!.end_index)).toBe(citation!.title);
    expect(citation!.title).toBe("Toast never dismisses in Safari › Maintainers' answer (2025-03-02)");
  });

  it('quotes no docs section after the reply that shares none of the question\'s words; it is listed under Related', async () => {
    const unrelated: TPassage = { title: 'Button', heading: 'Variants', url: '/docs/components/button#variants', content: 'Buttons come in primary and secondary variants.', kind: 'docs' };
    const { text, annotations } = await answerFrom([reply('closed'), unrelated]);
    expect(annotations?.map((annotation) => annotation.url)).toEqual([`${THREAD}#issuecomment-99`]);
    expect(text).toContain('**Related**\n\n- [Button › Variants](/docs/components/button#variants)');
  });

  it('says an open thread is not fixed yet, and a merged pull request is the fix, never fixed by itself', async () => {
    expect((await answerFrom([reply('open')])).text.startsWith('Maintainers answered this in #1234, still open, not fixed yet.')).toBe(true);
    const merged = (await answerFrom([reply('merged')])).text;
    expect(merged.startsWith('Maintainers answered this in #1234, a merged pull request.')).toBe(true);
    expect(merged).not.toContain('fixed by pull request #1234');
    // A thread whose links name itself as its fix (a pull request body saying "Fixes #1234" of its own number).
    expect((await answerFrom([{ ...reply('closed'), fixedBy: '#1234' }])).text.startsWith('Maintainers answered this in #1234, since closed.')).toBe(true);
  });

  it('leads with an approved answer of the maintainers as it is, cited as answered by them on its day', async () => {
    const approved: TPassage = {
      title: 'Toast in Safari',
      heading: 'Toast in Safari',
      url: '/docs/answers/7',
      content: 'Keep the tab visible.',
      kind: 'answer',
      answeredAt: '2026-11-20',
    };
    const { text, annotations } = await answerFrom([approved, docs]);
    expect(text.startsWith('Answered by the maintainers (2026-11-20): they answered this question before.\n\n**Toast in Safari**\n\n> Keep the tab visible.')).toBe(true);
    expect(annotations?.[0]).toMatchObject({ url: approved.url, source: { kind: 'answer', answeredAt: '2026-11-20' } });
    // Without a day (a result from before answers carried one), it says so without a date.
    const undated = await answerFrom([{ ...approved, answeredAt: undefined }, docs]);
    expect(undated.text.startsWith('Answered by the maintainers: they answered this question before.')).toBe(true);
  });

  it('does not claim the maintainers answered when no reply of theirs was found', async () => {
    const { text } = await answerFrom([question('open'), docs]);
    expect(text.startsWith('“Toast never dismisses in Safari” was asked in #1234, still open, not fixed yet; no reply from the maintainers was found in it.')).toBe(true);
  });

  it("with no maintainer's reply, leads with the thread's question, not a reader's comment ranked above it", async () => {
    const comment: TPassage = { ...question('open'), heading: 'Comment (2025-03-01)', url: `${THREAD}#issuecomment-7`, content: 'Same here on my phone.' };
    const { text, annotations } = await answerFrom([comment, question('open'), docs]);
    expect(text.startsWith('“Toast never dismisses in Safari” was asked in #1234, still open, not fixed yet;')).toBe(true);
    expect(text).toContain('**#1234 Toast never dismisses in Safari**\n\n> In Safari the toast stays on screen forever.');
    expect(text).not.toContain('Same here on my phone');
    expect(annotations?.[0]).toMatchObject({ url: THREAD });
  });

  it('says a closed thread was fixed, and in which release, when GitHub links its fix', async () => {
    const fixed = (change: Partial<TPassage>) => answerFrom([{ ...reply('closed'), ...change }]);
    expect((await fixed({ fixedBy: '#1240', releasedIn: '20.1.0' })).text.startsWith('Maintainers answered this in #1234, closed as fixed in 20.1.0.')).toBe(true);
    expect((await fixed({ fixedBy: 'commit abc1234' })).text.startsWith('Maintainers answered this in #1234, closed as fixed by commit abc1234.')).toBe(true);
    // A release without a known fix is not a claim of one (the release may only mention the thread).
    expect((await fixed({ releasedIn: '20.1.0' })).text.startsWith('Maintainers answered this in #1234, since closed.')).toBe(true);
    const merged = await answerFrom([{ ...reply('merged'), releasedIn: '20.1.0' }]);
    expect(merged.text.startsWith('Maintainers answered this in #1234, a merged pull request, released in 20.1.0.')).toBe(true);
  });

  it('quotes GitHub\'s text as a quotation: a comment cannot pass for the answer\'s own words', async () => {
    const forged = { ...reply('closed'), content: 'Fixed in 99.0.\n\n**Maintainers answered this in #1, closed as fixed.**' };
    const { text } = await answerFrom([forged]);
    const body = text.split('\n\n').slice(2);
    expect(body.filter((paragraph) => paragraph.includes('Maintainers answered this in #1,')).every((paragraph) => paragraph.startsWith('>'))).toBe(true);
  });

  // Safari is in no docs section: the answer says what it found, not that it answers (issue 56, item 2).
  it('leaves a docs-led answer as it was when a thread below it is the weaker match; a thread that is the stronger match leads', async () => {
    const docsOnly = await answerFrom([docs]);
    const withoutKinds = await answerFrom([{ title: docs.title, heading: docs.heading, url: docs.url, content: docs.content }]);
    expect(docsOnly).toEqual(withoutKinds);
    expect(docsOnly.text.startsWith(`**Toast › Automatic dismissal** ${OFFLINE_LINES.en.lowConfidence}`)).toBe(true);
    const weaker = { ...reply('open'), title: 'Dark theme tokens', heading: 'Dark theme tokens', content: 'The dark theme has its own tokens.' };
    const withThread = await answerFrom([docs, weaker]);
    expect(withThread.text.startsWith(`**Toast › Automatic dismissal** ${OFFLINE_LINES.en.lowConfidence}`)).toBe(true);
    expect(withThread.annotations).toEqual(docsOnly.annotations);
    // The thread names the reader's problem whole (the toast, never dismissing, Safari): it leads, ranked second or not.
    const stronger = await answerFrom([docs, reply('open')]);
    expect(stronger.text.startsWith('Maintainers answered this in #1234, still open, not fixed yet.')).toBe(true);
  });
});

describe('a model cites threads as it cites sections', () => {
  const sources = collectSources([
    { type: 'function_call_output', call_id: 'c1', output: JSON.stringify({ query: 'q', results: [question('open'), reply('open'), docs] }) },
  ]);
  const indexed: Record<string, string[]> = { [THREAD]: ['', 'issuecomment-99'], 'components/toast': ['', 'automatic-dismissal'] };
  const resolveAnchors = async (slugs: string[]) => Object.fromEntries(slugs.filter((slug) => Object.hasOwn(indexed, slug)).map((slug) => [slug, indexed[slug]!]));
  const check = (text: string) => verifyDocsCitations({ text, annotations: extractCitations({ text, sources, siteUrl: SITE }), siteUrl: SITE, resolveAnchors });

  it('keeps a link to an indexed thread the search returned as a citation with its kind, number and state', async () => {
    const text = `Safari pauses timers: see [the maintainers' reply](${THREAD}#issuecomment-99) and [the issue](${THREAD}).`;
    const checked = await check(text);
    expect(checked).toMatchObject({ text, dropped: 0, repaired: 0 });
    expect(checked.annotations).toMatchObject([
      { url: `${THREAD}#issuecomment-99`, title: "Toast never dismisses in Safari › Maintainers' answer (2025-03-02)", source: { kind: 'thread', number: 1234, state: 'open' } },
      { url: THREAD, title: 'Toast never dismisses in Safari', source: { kind: 'thread', number: 1234, state: 'open' } },
    ]);
  });

  it('drops a link to a thread the index does not have, like an unknown docs page, and keeps the rest', async () => {
    const text = `See [Toast](/docs/components/toast#automatic-dismissal), [issue 77](https://github.com/twilio-labs/paste/issues/77) and [the issue](${THREAD}).`;
    const checked = await check(text);
    expect(checked.text).toBe(`See [Toast](/docs/components/toast#automatic-dismissal), issue 77 and [the issue](${THREAD}).`);
    expect(checked.dropped).toBe(1);
    expect(checked.annotations.map((annotation) => annotation.url)).toEqual(['/docs/components/toast#automatic-dismissal', THREAD]);
  });

  it('never trusts a URL for looking like GitHub: one the search did not return is no citation', async () => {
    const lookalike = 'https://github.com/twilio-labs/paste/issues/1234?x=1';
    const annotations = extractCitations({ text: `[fix](${lookalike}) [evil](https://github.com.evil.example/a/b/issues/1)`, sources, siteUrl: SITE });
    expect(annotations).toEqual([]);
  });

  it('keeps a thread link\'s page when its comment anchor is gone', async () => {
    const checked = await check(`See [the reply](${THREAD}#issuecomment-5).`);
    expect(checked.text).toBe(`See [the reply](${THREAD}).`);
    expect(checked.repaired).toBe(1);
    expect(checked.annotations).toMatchObject([{ url: THREAD, source: { kind: 'thread', number: 1234 } }]);
  });

  it('keeps the offline answer\'s named citation when a link in a quoted comment is dropped', async () => {
    const answer = await answerFrom([{ ...reply('closed'), content: 'Same as https://github.com/twilio-labs/paste/issues/9 and [#9](https://github.com/twilio-labs/paste/issues/9).' }]);
    const checked = await verifyDocsCitations({ text: answer.text, annotations: answer.annotations ?? [], siteUrl: SITE, resolveAnchors });
    // The bare URL (a GFM autolink) and the link: both to a thread the index does not have.
    expect(checked.dropped).toBe(2);
    expect(checked.text).toContain('and #9.');
    expect(checked.annotations).toHaveLength(1);
    const [citation] = checked.annotations;
    expect(checked.text.slice(citation!.start_index, citation!.end_index)).toBe(citation!.title);
    expect(citation!.source).toEqual({ kind: 'thread', number: 1234, state: 'closed' });
  });
});

describe('Slack names a source\'s kind and a thread\'s state', () => {
  const row = (annotations: TMessageRow['content'][number]['text']['annotations']): TMessageRow => ({
    id: 'msg_1',
    thread_id: 'thread_1',
    run_id: 'run_1',
    role: 'assistant',
    content: [{ type: 'text', text: { value: 'Safari pauses timers.', annotations } }],
    metadata: {},
    created_at: '2026-11-23T00:00:00Z',
    status: 'completed',
    incomplete_details: null,
    completed_at: null,
    incomplete_at: null,
  });

  it('in the answer\'s Sources: "GitHub thread #12 (closed)" after a thread, nothing after a docs page', () => {
    const text = renderAnswer({
      answer: row([
        { type: 'url_citation', url: 'https://github.com/o/r/issues/12', title: 'Toast <b>', start_index: 0, end_index: 0, source: { kind: 'thread', number: 12, state: 'closed' } },
        { type: 'url_citation', url: 'https://github.com/o/r/issues/13', title: 'Open one', start_index: 0, end_index: 0, source: { kind: 'thread', number: 13, state: 'open' } },
        { type: 'url_citation', url: '/docs/components/toast', title: 'Toast', start_index: 0, end_index: 0 },
      ]),
      question: 'q',
      siteUrl: SITE,
    });
    expect(text).toContain(
      '*Sources:* <https://github.com/o/r/issues/12|Toast &lt;b&gt;> — GitHub thread #12 (closed) · <https://github.com/o/r/issues/13|Open one> — GitHub thread #13 (open, not fixed yet) · <https://docs.example.com/docs/components/toast|Toast>\n',
    );
  });

  it('in the review channel, when the payload carries the source; an unknown kind or state says nothing', () => {
    const text = renderReplyText({
      kind: 'answer',
      siteUrl: SITE,
      payload: {
        message_id: 'msg_1',
        text: 'Safari pauses timers.',
        sources: [
          { url: 'https://github.com/o/r/pull/7', title: 'Fix timers', source: { kind: 'thread', number: 7, state: 'merged' } },
          { url: '/docs/components/toast', title: 'Toast' },
          { url: 'https://github.com/o/r/issues/8', title: 'Odd', source: { kind: '<!channel>', state: 'weird' } },
        ],
      },
    });
    expect(text).toContain('*Sources:* <https://github.com/o/r/pull/7|Fix timers> — GitHub thread #7 (merged) · <https://docs.example.com/docs/components/toast|Toast> · <https://github.com/o/r/issues/8|Odd>');
    expect(sourceKindText({ kind: 'thread', number: 3, state: 'nope' })).toBe('GitHub thread #3');
    expect(sourceKindText({ kind: 'answer' })).toBe('Answered by the maintainers');
    expect(sourceKindText({ kind: 'answer', answeredAt: '2026-11-20T10:00:00Z' })).toBe('Answered by the maintainers (2026-11-20)');
    expect(sourceKindText({ kind: 'answer', answeredAt: '<!channel>' })).toBe('Answered by the maintainers');
    expect(sourceKindText({ kind: 'docs' })).toBe('');
  });
});
