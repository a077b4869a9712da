import { describe, expect, it } from 'vitest';
import { groupUnanswered, resolveDashboardWindow } from '@/lib/maintainers/dashboard';
import { groupBySimilarity, jaccard, questionTerms } from '@/lib/maintainers/similarity';
import { isSlackSignatureValid, signSlackRequest, slackTextToMarkdown } from '@/lib/slack/events';
import type { TUnansweredQuestionView } from '@/lib/shared/maintainers-dashboard';

const SECRET = '8f742231b10e8888abcd99yyyzzz85a5';
const NOW_MS = Date.parse('2026-11-22T12:00:00Z');

describe('Slack request signatures (v0)', () => {
  // Slack's documented example: the signature of this body at this timestamp with this secret.
  const body = Buffer.from(
    'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c',
  );
  const timestamp = '1531420618';
  const expected = 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503';
  const at = Number(timestamp) * 1000;

  it('matches Slack’s documented example', () => {
    expect(signSlackRequest({ secret: SECRET, timestamp, body })).toBe(expected);
    expect(isSlackSignatureValid({ secret: SECRET, timestamp, signature: expected, body, nowMs: at })).toBe(true);
  });

  it('refuses another secret, changed bytes, a malformed header, and a timestamp outside five minutes either way', () => {
    expect(isSlackSignatureValid({ secret: `${SECRET}x`, timestamp, signature: expected, body, nowMs: at })).toBe(false);
    expect(isSlackSignatureValid({ secret: SECRET, timestamp, signature: expected, body: Buffer.concat([body, Buffer.from(' ')]), nowMs: at })).toBe(false);
    expect(isSlackSignatureValid({ secret: SECRET, timestamp: String(Number(timestamp) + 1), signature: expected, body, nowMs: at })).toBe(false);
    expect(isSlackSignatureValid({ secret: SECRET, timestamp, signature: expected.toUpperCase(), body, nowMs: at })).toBe(false);
    expect(isSlackSignatureValid({ secret: SECRET, timestamp, signature: expected.slice(0, -2), body, nowMs: at })).toBe(false);
    expect(isSlackSignatureValid({ secret: SECRET, timestamp, signature: undefined, body, nowMs: at })).toBe(false);
    expect(isSlackSignatureValid({ secret: SECRET, timestamp: undefined, signature: expected, body, nowMs: at })).toBe(false);
    expect(isSlackSignatureValid({ secret: SECRET, timestamp, signature: expected, body, nowMs: at + 299_000 })).toBe(true);
    expect(isSlackSignatureValid({ secret: SECRET, timestamp, signature: expected, body, nowMs: at + 301_000 })).toBe(false);
    expect(isSlackSignatureValid({ secret: SECRET, timestamp, signature: expected, body, nowMs: at - 301_000 })).toBe(false);
  });
});

describe('Slack markup as the chat’s Markdown', () => {
  it('turns links into Markdown links, mentions into names, and undoes Slack’s escapes', () => {
    expect(slackTextToMarkdown('See <https://example.com/a?b=1&amp;c=2|the guide> or <https://example.com>')).toBe(
      'See [the guide](https://example.com/a?b=1&c=2) or https://example.com',
    );
    expect(slackTextToMarkdown('<@U123|ana> and <@U456>, in <#C1|docs>: <!here>')).toBe('@ana and @someone, in #docs: @here');
    expect(slackTextToMarkdown('a &lt;b&gt; &amp; c')).toBe('a <b> & c');
    expect(slackTextToMarkdown('<https://x.test/a b|label [x]>')).toBe('[label x](https://x.test/a%20b)');
  });
});

describe('grouping questions by similarity', () => {
  it('stems and drops filler words', () => {
    expect([...questionTerms('How do I theme the Buttons?')]).toEqual(['theme', 'button']);
    // The ranker's stemmer (lib/relevance/stem.ts): "theming" meets "theme", as it does in search.
    expect(jaccard(questionTerms('How do I theme buttons'), questionTerms('theming a button'))).toBe(1);
    expect(jaccard(questionTerms('How do I theme buttons'), questionTerms('theme spacing'))).toBeLessThan(1);
    expect(jaccard(questionTerms('How do I theme buttons'), questionTerms('theme the button'))).toBe(1);
  });

  it('groups rewordings together, keeps different questions apart, and is the same for the same input', () => {
    const questions = [
      'How do I theme a button?',
      'theme buttons',
      'Where is the changelog?',
      'Can I theme the button component?',
      'changelog location',
      'How do I log in with SSO?',
    ];
    const groups = groupBySimilarity(questions, (text) => text);
    expect(groups.map((group) => group.items)).toEqual([
      ['How do I theme a button?', 'theme buttons', 'Can I theme the button component?'],
      ['Where is the changelog?', 'changelog location'],
      ['How do I log in with SSO?'],
    ]);
    expect(groupBySimilarity(questions, (text) => text).map((group) => group.items)).toEqual(groups.map((group) => group.items));
  });

  it('orders groups by size, then recency, and labels each with its most asked wording', () => {
    const item = (text: string, createdAt: string, kind: 'not_covered' | 'voted_down' = 'not_covered', source = 'site'): TUnansweredQuestionView => ({
      text,
      kind,
      reason: null,
      createdAt,
      threadId: `thread_${createdAt.slice(8, 10)}`,
      source,
      transcriptUrl: 'https://x.test/t',
    });
    const shuffled = [
      item('dark mode toggle', '2026-11-05T00:00:00Z'),
      item('theme buttons', '2026-11-02T00:00:00Z', 'not_covered', 'slack'),
      item('theme buttons', '2026-11-01T00:00:00Z', 'voted_down', 'slack'),
      item('How do I theme buttons?', '2026-11-03T00:00:00Z'),
      item('sso login', '2026-11-06T00:00:00Z'),
    ];
    const groups = groupUnanswered(shuffled);
    expect(groups.map((group) => [group.label, group.count, group.notCovered, group.votedDown])).toEqual([
      ['theme buttons', 3, 2, 1],
      ['sso login', 1, 1, 0],
      ['dark mode toggle', 1, 1, 0],
    ]);
    expect(groups.map((group) => group.sources)).toEqual([['slack', 'site'], ['site'], ['site']]);
    expect(groups[0]!.questions.map((question) => question.createdAt)).toEqual(['2026-11-03T00:00:00Z', '2026-11-02T00:00:00Z', '2026-11-01T00:00:00Z']);
    expect(groupUnanswered([...shuffled].reverse())).toEqual(groups);
  });
});

describe('dashboard periods', () => {
  it('are whole UTC days: a preset ends with today, dates include `to`, and a bad period is refused', () => {
    expect(resolveDashboardWindow({ days: 7 }, NOW_MS)).toEqual({
      from: new Date('2026-11-16T00:00:00Z'),
      to: new Date('2026-11-23T00:00:00Z'),
      preset: 7,
    });
    expect(resolveDashboardWindow({ from: '2026-11-01', to: '2026-11-03' }, NOW_MS)).toEqual({
      from: new Date('2026-11-01T00:00:00Z'),
      to: new Date('2026-11-04T00:00:00Z'),
      preset: null,
    });
    expect(() => resolveDashboardWindow({ from: '2026-11-05', to: '2026-11-03' }, NOW_MS)).toThrow(/before/);
    expect(() => resolveDashboardWindow({ from: '2024-01-01', to: '2026-11-03' }, NOW_MS)).toThrow(/at most/);
  });
});
