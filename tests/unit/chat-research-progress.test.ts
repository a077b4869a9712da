import { describe, expect, it } from 'vitest';
import { DISCORD_STYLE } from '@/lib/chat-doors/doors/discord/style';
import { slackStyle } from '@/lib/chat-doors/doors/slack/style';
import { chatAskOf } from '@/lib/chat-doors/modes';
import { renderChatResearchProgress, RESEARCHING_TEXT } from '@/lib/chat-doors/render';

// A research run's progress message in a chat door (issue 71) and how a Slack reader asks for one.

const SITE = 'https://docs.example.com';
const SLACK = slackStyle({ isFeedbackRead: false });

describe('renderChatResearchProgress', () => {
  it('lists the steps in order, with their counts once known', () => {
    const text = renderChatResearchProgress(SLACK, {
      steps: [
        { kind: 'search', query: 'focus trap modal', results: 5 },
        { kind: 'read', title: 'Modal', sections: 1 },
        { kind: 'search', query: 'Safari focus', results: null },
      ],
      draft: null,
      siteUrl: SITE,
    });
    expect(text).toBe('Researching… searched ‘focus trap modal’ (5 results), read ‘Modal’ (1 section), searched ‘Safari focus’…');
    expect(renderChatResearchProgress(SLACK, { steps: [], draft: undefined, siteUrl: SITE })).toBe(RESEARCHING_TEXT);
  });

  it('shows a query or a title as plain text: no mentions, no markup, no links', () => {
    const steps = [{ kind: 'search' as const, query: '<!channel> @here *bold* <https://evil.example|x>', results: 1 }];
    const slack = renderChatResearchProgress(SLACK, { steps, draft: null, siteUrl: SITE });
    expect(slack).not.toContain('<!channel>');
    expect(slack).not.toContain('<https://evil.example');
    expect(slack).not.toMatch(/@here/);
    const discord = renderChatResearchProgress(DISCORD_STYLE, { steps: [{ kind: 'read', title: '@everyone **Modal** <@123>', sections: 2 }], draft: null, siteUrl: SITE });
    expect(discord).not.toMatch(/@everyone/);
    expect(discord).not.toContain('**Modal**');
    expect(discord).not.toContain('<@123>');
  });

  it('shows the latest steps of a long run, saying how many came before', () => {
    const steps = Array.from({ length: 12 }, (_, n) => ({ kind: 'search' as const, query: `query ${n}`, results: n }));
    const text = renderChatResearchProgress(DISCORD_STYLE, { steps, draft: null, siteUrl: SITE });
    expect(text).toMatch(/^Researching… 4 steps, then searched ‘query 4’/);
    expect(text).toContain('searched ‘query 11’ (11 results)…');
    expect(text).not.toContain('‘query 3’');
  });

  it('shows the answer so far once it is written', () => {
    const text = renderChatResearchProgress(SLACK, { steps: [{ kind: 'search', query: 'x', results: 1 }], draft: 'Use a focus trap.', siteUrl: SITE });
    expect(text).toMatch(/^Use a focus trap\./);
    expect(text).not.toContain('Researching');
  });
});

describe('chatAskOf', () => {
  it('takes "research:" (any case, a colon or a dash) off a question and asks for research', () => {
    expect(chatAskOf('research: Why does focus leave the modal?')).toEqual({ mode: 'research', text: 'Why does focus leave the modal?' });
    expect(chatAskOf('  Research - why?')).toEqual({ mode: 'research', text: 'why?' });
  });

  it('leaves any other question quick and as written', () => {
    for (const text of ['How do I research a bug?', 'researching: x', 'research why']) expect(chatAskOf(text)).toEqual({ mode: 'quick', text });
  });
});
