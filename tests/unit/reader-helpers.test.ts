import { describe, expect, it } from 'vitest';
import { answerForClipboard } from '@/components/assistant/links';
import { preferPage } from '@/lib/assistant/tools';
import { nearbySections, questionFor } from '@/lib/docs/search/follow-ups';
import { isWithinOneEdit } from '@/lib/docs/search/typos';

describe('isWithinOneEdit', () => {
  it.each([
    ['tost', 'test', true],
    ['slak', 'slack', true],
    ['slackk', 'slack', true],
    ['teh', 'the', true],
    ['same', 'same', true],
    ['tost', 'toast', true],
    ['tost', 'list', false],
    ['slk', 'slack', false],
    ['abcd', 'badc', false],
  ])('%s → %s: %s', (a, b, expected) => {
    expect(isWithinOneEdit(a, b)).toBe(expected);
    expect(isWithinOneEdit(b, a)).toBe(expected);
  });
});

describe('answerForClipboard', () => {
  it('makes in-site links and sources absolute, leaves external links alone', () => {
    const text = 'See [Slack](/docs/guides/slack#setup) and [npm](https://www.npmjs.com/).';
    const copied = answerForClipboard(text, [{ number: 1, url: '/docs/guides/slack#setup', title: 'Slack › Setup' }], 'https://docs.example.com');
    expect(copied).toBe(
      'See [Slack](https://docs.example.com/docs/guides/slack#setup) and [npm](https://www.npmjs.com/).\n\nSources:\n[1] Slack › Setup: https://docs.example.com/docs/guides/slack#setup',
    );
    expect(answerForClipboard('No links.', [], 'https://docs.example.com')).toBe('No links.');
  });
});

describe('preferPage', () => {
  it('puts up to three sections of the page first, keeping the rest in rank order', () => {
    const hits = ['/a#1', '/p#1', '/b#1', '/p#2', '/p#3', '/p#4', '/c#1'].map((url) => ({ url }));
    expect(preferPage(hits, '/p', 6).map((hit) => hit.url)).toEqual(['/p#1', '/p#2', '/p#3', '/a#1', '/b#1', '/p#4']);
    expect(preferPage(hits, '/none', 3).map((hit) => hit.url)).toEqual(['/a#1', '/p#1', '/b#1']);
  });
});

describe('follow-ups', () => {
  const section = (heading: string, parent: string) => ({ heading, heading_path: [parent, heading], anchor: heading.toLowerCase(), content: 'x', has_embedding: false });
  it('ranks siblings next to the cited section first, then later ones before earlier ones', () => {
    const sections = [section('A', 'One'), section('B', 'One'), section('C', 'One'), section('D', 'Two')];
    expect(nearbySections(sections, [1]).map((entry) => entry.heading)).toEqual(['C', 'A', 'D']);
    expect(questionFor(sections[2]!)).toBe('Tell me about C (One)');
    expect(questionFor({ heading: '`SLACK_BOT_TOKEN`', heading_path: ['`SLACK_BOT_TOKEN`'] })).toBe('Tell me about SLACK_BOT_TOKEN');
  });
});
