import { describe, expect, it } from 'vitest';
import type { TMessageRow } from '@/lib/db/rows';
import { CHAT_DOORS } from '@/lib/chat-doors/doors';
import { DISCORD_STYLE } from '@/lib/chat-doors/doors/discord/style';
import { SLACK_STYLE } from '@/lib/chat-doors/doors/slack/style';
import { chatMessages, renderChatAnswer, renderChatProgress, type TChatStyle } from '@/lib/chat-doors/render';

// Issue 55, 3: one policy for what every door of the registry posts (lib/chat-doors/render.ts), each door giving only
// its style. The same hostile answer goes through every door, as its worker would post it (the answer, then the
// door's messages): no live mention of any kind, no link the policy refuses, a label only for the site and the
// sections the server cited or found, code kept as code, and a code block longer than a message split into
// messages that each open and close it, none past the door's limit.

const SITE = 'https://docs.example.com';
const CITED = 'https://docs.example.com/docs/components/button#variants';
const FOUND = 'https://crawled.example.org/guide/theming';

/** Each door of the registry, by name, with its style: a door added to the registry fails here until it is listed. */
const STYLES: Record<string, TChatStyle> = { slack: SLACK_STYLE, discord: DISCORD_STYLE };

const LONG_CODE = Array.from({ length: 400 }, (_, index) => `const line${index} = '<!channel> @everyone <@U0ADMIN> <@&987654321>';`).join('\n');

const HOSTILE = [
  'Heads up <!channel> <!here> <!everyone> <@U0ADMIN> <@W0BOSS> <!subteam^S0TEAM|@team> @everyone @here @channel <@123456789> <@!123456789> <@&987654321>.',
  '',
  'See [Button](/docs/components/button#variants), [Theming](https://crawled.example.org/guide/theming) and [Sign in again](https://evil.example/login).',
  '',
  'Then [click me](javascript:alert(1)), [this](data:text/html,<b>x</b>), [mail](mailto:admin@example.com) and [a file](file:///etc/passwd).',
  '',
  '```ts',
  LONG_CODE,
  '```',
].join('\n');

function hostileAnswer(): TMessageRow {
  return {
    id: 'msg_1',
    thread_id: 'thread_1',
    run_id: 'run_1',
    role: 'assistant',
    content: [{ type: 'text', text: { value: HOSTILE, annotations: [{ type: 'url_citation', url: CITED, title: 'Button › Variants', start_index: 0, end_index: 0 }] } }],
    metadata: {},
    created_at: '2026-11-26T00:00:00Z',
    status: 'completed',
    incomplete_details: null,
    completed_at: null,
    incomplete_at: null,
  };
}

/** The run found FOUND with its docs search: a section of a crawled site, whose name a link may keep. */
const TOOL_ROUNDS = [{ tool_calls: [], tool_outputs: [{ tool_call_id: 'call_1', output: JSON.stringify({ results: [{ url: FOUND }] }) }] }] as never;

type TLink = { href: string; label: string | null };
type TRead = { links: TLink[]; liveMentions: string[] };

const withoutCode = (text: string) => text.replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');
const WORD_MENTIONS = /(?<![\w\u200b])@(everyone|here|channel)\b/g;

/** What each service makes of a message: its links (with the label shown) and the mentions that would notify. */
const READERS: Record<string, (text: string) => TRead> = {
  slack(text) {
    const links: TLink[] = [];
    const liveMentions: string[] = [];
    // In Slack a mention is live even inside code, so the whole text is read.
    for (const [, inner = ''] of text.matchAll(/<([^<>]*)>/g)) {
      if (/^[@!#]/.test(inner)) liveMentions.push(inner);
      else {
        const [href = '', label] = inner.split('|');
        const decoded = href.replace(/&amp;/g, '&');
        links.push({ href: decoded, label: label === undefined || label === href ? null : label });
      }
    }
    liveMentions.push(...[...withoutCode(text).matchAll(WORD_MENTIONS)].map((match) => match[0]));
    return { links, liveMentions };
  },
  discord(text) {
    const links: TLink[] = [];
    const liveMentions: string[] = [];
    // Discord shows code as typed (and every message also says allowed_mentions: {parse: []}).
    const prose = withoutCode(text);
    for (const match of prose.matchAll(/(?<!\\)\[((?:\\.|[^\]\\])*)\]\(<([^>]*)>\)|(?<![\\(])<([^<>]*)>/g)) {
      const [, label, href, bare] = match;
      if (bare !== undefined) {
        if (/^[@#]|^a?:|^t:|^\//.test(bare)) liveMentions.push(bare);
        else links.push({ href: bare, label: null });
      } else links.push({ href: href!, label: label!.replace(/\\(.)/g, '$1') });
    }
    liveMentions.push(...[...prose.matchAll(WORD_MENTIONS)].map((match) => match[0]));
    return { links, liveMentions };
  },
};

describe('every chat door over the same hostile answer', () => {
  it('covers every door the registry lists', () => {
    expect(CHAT_DOORS.map((door) => door.name).sort()).toEqual(Object.keys(STYLES).sort());
    expect(Object.keys(READERS).sort()).toEqual(Object.keys(STYLES).sort());
  });

  const posted = Object.fromEntries(
    Object.entries(STYLES).map(([name, style]) => {
      const text = renderChatAnswer(style, { answer: hostileAnswer(), question: 'How do I theme a button?', siteUrl: SITE, toolRounds: TOOL_ROUNDS });
      return [name, { style, text, messages: chatMessages(style, text), progress: renderChatProgress(style, { draft: HOSTILE, siteUrl: SITE }) }];
    }),
  );

  for (const name of Object.keys(STYLES)) {
    describe(name, () => {
      const { style, text, messages, progress } = posted[name]!;
      const read = (message: string) => READERS[name]!(message);

      it('notifies no one: no <!channel>, <!here>, @everyone, @here, user or role mention is live, in prose or code', () => {
        for (const message of [...messages, progress]) expect(read(message).liveMentions).toEqual([]);
        expect(text).toContain('everyone');
      });

      it('links only http(s) addresses, and keeps a label only for the site, the cited section and the section its search found', () => {
        const links = messages.flatMap((message) => read(message).links);
        expect(links.some((link) => !/^https?:\/\//.test(link.href))).toBe(false);
        expect(links).toContainEqual({ href: CITED, label: 'Button' });
        expect(links).toContainEqual({ href: FOUND, label: 'Theming' });
        // A labelled link to an address the server neither cited nor found shows that address, not "Sign in again".
        expect(links).toContainEqual({ href: 'https://evil.example/login', label: null });
        expect(links.filter((link) => link.label !== null).every((link) => link.href.startsWith(`${SITE}/`) || link.href === FOUND)).toBe(true);
        for (const refused of ['javascript:', 'data:', 'mailto:', 'file:']) expect(links.some((link) => link.href.startsWith(refused))).toBe(false);
      });

      it('keeps the long code block as code, cut within the answer’s length and split into messages each within the door’s limit, every one closing what it opens', () => {
        expect(text.length).toBeLessThanOrEqual(style.maxAnswerChars + 200);
        expect(text).toContain(style.texts.cutNote);
        expect(text).toContain('line0');
        expect(messages.join('\n').length).toBeGreaterThan(0);
        for (const message of messages) {
          expect(message.length).toBeLessThanOrEqual(style.maxMessageChars);
          expect((message.match(/```/g)?.length ?? 0) % 2).toBe(0);
        }
        expect(messages.at(-1)).toContain(style.texts.feedback);
        expect(progress.length).toBeLessThanOrEqual(style.maxMessageChars);
      });
    });
  }

  it('posts the same links with the same labels from every door', () => {
    const [first, ...rest] = Object.keys(STYLES).map((name) => posted[name]!.messages.flatMap((message) => READERS[name]!(message).links));
    for (const links of rest) expect(links).toEqual(first);
  });
});
