import { describe, expect, it } from 'vitest';
import type { TMessageRow } from '@/lib/db/rows';
import { chatMessages, renderChatAnswer } from '@/lib/chat-doors/render';
import { DISCORD_STYLE, MAX_DISCORD_ANSWER_CHARS, MAX_DISCORD_MESSAGE_CHARS } from '@/lib/chat-doors/doors/discord/style';
import { MAX_SLACK_ANSWER_CHARS, SLACK_STYLE } from '@/lib/chat-doors/doors/slack/style';

const renderSlackAnswer = (args: Parameters<typeof renderChatAnswer>[1]) => renderChatAnswer(SLACK_STYLE, args);
const renderDiscordAnswer = (args: Parameters<typeof renderChatAnswer>[1]) => renderChatAnswer(DISCORD_STYLE, args);
const splitMessage = (text: string) => chatMessages(DISCORD_STYLE, text);

// Issue 54, 1.11: one policy for what every chat door posts (lib/chat-doors/render.ts). The same hostile answer,
// rendered by Slack's door and by Discord's, comes out with the same outcomes: the same links (only http(s)), the
// same labels kept (only for the site and the sections the server cited), no live mention of any kind, no image,
// code kept as code, and a long answer cut within the door's limits.

const SITE = 'https://docs.example.com';
const CITED = 'https://docs.example.com/docs/components/button#variants';

const HOSTILE = [
  'Attention <!channel> <!here> <!everyone> <@U0ADMIN> <!subteam^S0TEAM> @everyone @here @channel <@123456789> <@!123456789> <@&987654321> <#123>.',
  '',
  'Read the [Button](/docs/components/button#variants) docs, then [Verify your account](https://evil.example/login) and [run this](javascript:alert(1)).',
  '',
  '![tracking pixel](https://evil.example/p.png) and **<@&987654321> in bold** and <https://evil.example/bare>.',
  '',
  '<details><summary>open me</summary>hidden</details>',
  '',
  '```ts',
  "const who = '@everyone'; // <@123456789>",
  '```',
  '',
  ...Array.from({ length: 160 }, (_, index) => `Paragraph ${index}: some words to make this answer longer than any chat should show.`),
].join('\n');

function hostileAnswer(): TMessageRow {
  return {
    id: 'msg_1',
    thread_id: 'thread_1',
    run_id: 'run_1',
    role: 'assistant',
    content: [{ type: 'text', text: { value: HOSTILE, annotations: [{ type: 'url_citation', url: CITED, title: 'Button › Variants', start_index: 0, end_index: 0 }] } }],
    metadata: {},
    created_at: '2026-11-23T00:00:00Z',
    status: 'completed',
    incomplete_details: null,
    completed_at: null,
    incomplete_at: null,
  };
}

type TOutcome = { links: { href: string; label: string | null }[]; liveMentions: string[]; images: string[]; hasCode: boolean; isCut: boolean };

const withoutCode = (text: string) => text.replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');
/** A mention's words without the zero-width space that breaks them. */
const WORD_MENTIONS = /(?<![\w\u200b])@(everyone|here|channel)\b/g;

/** What Slack makes of mrkdwn: `<url|label>` links, `<!…>`/`<@…>`/`<#…>` mentions, and names that notify. */
function slackOutcome(text: string): TOutcome {
  const links: TOutcome['links'] = [];
  const liveMentions: string[] = [];
  for (const [, inner = ''] of withoutCode(text).matchAll(/<([^<>]*)>/g)) {
    if (/^[@!#]/.test(inner)) liveMentions.push(inner);
    else {
      const [href = '', label] = inner.split('|');
      const decoded = href.replace(/&amp;/g, '&').replace(/%7C/g, '|');
      links.push({ href: decoded, label: label === undefined || label === href ? null : label });
    }
  }
  liveMentions.push(...[...withoutCode(text).matchAll(WORD_MENTIONS)].map((match) => match[0]));
  return { links, liveMentions, images: [...text.matchAll(/!\[/g)].map(String), hasCode: text.includes("const who = '@everyone'"), isCut: text.includes('cut here') };
}

/** What Discord makes of its Markdown: `[label](<url>)` and `<url>` links, `<@…>`/`<@&…>`/`<#…>` mentions, @everyone/@here. */
function discordOutcome(text: string): TOutcome {
  const links: TOutcome['links'] = [];
  const liveMentions: string[] = [];
  const prose = withoutCode(text);
  for (const match of prose.matchAll(/(?<!\\)\[((?:\\.|[^\]\\])*)\]\(<([^>]*)>\)|(?<![\\(])<([^<>]*)>/g)) {
    const [, label, href, bare] = match;
    if (bare !== undefined) {
      if (/^[@#]|^a?:|^t:|^\//.test(bare)) liveMentions.push(bare);
      else links.push({ href: bare, label: null });
    } else links.push({ href: href!, label: label!.replace(/\\(.)/g, '$1') });
  }
  liveMentions.push(...[...prose.matchAll(WORD_MENTIONS)].map((match) => match[0]));
  return { links, liveMentions, images: [...text.matchAll(/(?<!\\)!\[/g)].map(String), hasCode: text.includes("const who = '@everyone'"), isCut: text.includes('cut here') };
}

describe('one policy for every chat door', () => {
  const slack = renderSlackAnswer({ answer: hostileAnswer(), question: 'q', siteUrl: SITE });
  const discord = renderDiscordAnswer({ answer: hostileAnswer(), question: 'q', siteUrl: SITE });
  const bySlack = slackOutcome(slack);
  const byDiscord = discordOutcome(discord);

  it('posts the same links with the same labels from both doors: labels only for the site and the cited section, never javascript:', () => {
    expect(bySlack.links).toEqual(byDiscord.links);
    const labelled = bySlack.links.filter((link) => link.label !== null);
    expect(labelled.every((link) => link.href.startsWith(`${SITE}/`))).toBe(true);
    expect(bySlack.links).toContainEqual({ href: 'https://evil.example/login', label: null });
    expect(bySlack.links).toContainEqual({ href: 'https://evil.example/p.png', label: null });
    expect(bySlack.links).toContainEqual({ href: CITED, label: 'Button' });
    expect(bySlack.links.some((link) => /^javascript:/i.test(link.href))).toBe(false);
  });

  it('lets no mention of any kind through either door, and shows no image', () => {
    expect(bySlack.liveMentions).toEqual([]);
    expect(byDiscord.liveMentions).toEqual([]);
    expect(bySlack.images).toEqual([]);
    expect(byDiscord.images).toEqual([]);
    expect(slack).not.toMatch(/<details>/);
    expect(discord).not.toMatch(/(?<!\\)<details>/);
  });

  it('keeps code as code and cuts a long answer within each door’s limits, in both', () => {
    expect(bySlack.hasCode).toBe(true);
    expect(byDiscord.hasCode).toBe(true);
    expect(bySlack.isCut).toBe(true);
    expect(byDiscord.isCut).toBe(true);
    expect(slack.length).toBeLessThanOrEqual(MAX_SLACK_ANSWER_CHARS + 500);
    expect(discord.length).toBeLessThanOrEqual(MAX_DISCORD_ANSWER_CHARS + 500);
    for (const part of splitMessage(discord)) expect(part.length).toBeLessThanOrEqual(MAX_DISCORD_MESSAGE_CHARS);
  });
});
