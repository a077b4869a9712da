// @vitest-environment jsdom
import { cleanup, render, screen, within } from '@testing-library/react';
import { SiteTheme } from '@/components/site/SiteTheme';
import { afterEach, describe, expect, it } from 'vitest';
import type { TTranscriptEntry, TTranscriptView } from '@/lib/maintainers/transcript';
import TranscriptPage from '@/pages/maintainers/threads/[tid]';

const SITE = 'https://site.example';
const PNG_1PX = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

function buildTranscript(overrides: Partial<TTranscriptView> = {}): TTranscriptView {
  return {
    thread: { id: 'thread_abc', title: 'Slack tokens', createdAt: '2026-11-21T10:00:00Z', updatedAt: '2026-11-21T10:01:00Z', slackThreadTs: '1.2', metadata: {} },
    source: 'site',
    slackConversation: null,
    entries: [
      { type: 'message', id: 'msg_q', role: 'user', text: '<script>alert(1)</script> How do I get a token?', createdAt: '2026-11-21T10:00:01Z', sources: [], vote: null, isNoDocsMatch: false, maintainer: null, screenshots: [{ mediaType: 'image/png', data: PNG_1PX }] },
      {
        type: 'run',
        id: 'run_1',
        status: 'completed',
        model: 'offline',
        createdAt: '2026-11-21T10:00:01Z',
        durationSeconds: 0.42,
        error: null,
        totalTokens: 15,
        toolCalls: [{ id: 'call_1', name: 'get_relevant_docs', query: 'token', results: [{ title: 'Slack › Token', url: '/docs/slack#token' }], error: null }],
      },
      {
        type: 'message',
        id: 'msg_a',
        role: 'assistant',
        text: 'See the Slack page.',
        createdAt: '2026-11-21T10:00:02Z',
        sources: [
          { title: 'Slack › Token', url: '/docs/slack#token' },
          { title: 'Evil', url: 'javascript:alert(1)' },
        ],
        vote: 'down',
        isNoDocsMatch: true,
        maintainer: null,
        screenshots: [],
      },
    ],
    counts: { messages: 2, runs: 1, up: 0, down: 1 },
    slack: { delivered: 3, pending: 0, failed: [{ kind: 'vote', reason: 'not_in_channel' }] },
    ...overrides,
  };
}

describe('transcript page', () => {
  afterEach(cleanup);

  it('shows messages as text, the run with its tool calls, sources, votes and Slack delivery', () => {
    render(
      <SiteTheme>
        <TranscriptPage transcript={buildTranscript()} siteUrl={SITE} />
      </SiteTheme>,
    );
    expect(screen.getByRole('heading', { level: 1, name: 'Slack tokens' })).toBeTruthy();
    const question = screen.getByRole('article', { name: 'Reader message msg_q' });
    expect(question.textContent).toContain('<script>alert(1)</script> How do I get a token?');
    expect(document.querySelector('script')).toBeNull();
    // The reader's screenshot, as it was sent (issue 71).
    expect(within(question).getByRole('img', { name: /^Screenshot 1 the reader sent/ }).getAttribute('src')).toBe(`data:image/png;base64,${PNG_1PX}`);

    const run = screen.getByRole('region', { name: 'Run run_1' });
    expect(run.textContent).toContain('completed');
    expect(run.textContent).toContain('“token” → 1 results');
    expect(within(run).getByRole('link', { name: 'Slack › Token' }).getAttribute('href')).toBe('/docs/slack#token');

    const answer = screen.getByRole('article', { name: 'Assistant message msg_a' });
    expect(answer.textContent).toContain('Voted down');
    expect(answer.textContent).toContain('Docs did not cover this');
    expect(within(answer).getAllByRole('link').map((link) => link.getAttribute('href'))).toEqual(['/docs/slack#token']);
    expect(answer.textContent).toContain('Evil (javascript:alert(1))');

    expect(document.body.textContent).toContain('Slack: 3 posted, 0 pending, 1 failed (vote: not_in_channel)');
  });

  it('renders the assistant\'s Markdown, as the reader saw it, and keeps the reader\'s words as typed', () => {
    const [question, run, answer] = buildTranscript().entries;
    const transcript = buildTranscript({
      entries: [
        { ...(question as Extract<TTranscriptEntry, { type: 'message' }>), text: 'Is **this** bold?' },
        run!,
        { ...(answer as Extract<TTranscriptEntry, { type: 'message' }>), text: '**Slack setup › Token**\n\nSet it on the server:\n\n```bash\nSLACK_BOT_TOKEN=xoxb-1\n```\n\nSee [the token section](/docs/slack#token).', sources: [] },
      ],
    });
    render(
      <SiteTheme>
        <TranscriptPage transcript={transcript} siteUrl={SITE} />
      </SiteTheme>,
    );
    const article = screen.getByRole('article', { name: 'Assistant message msg_a' });
    expect(article.textContent).not.toContain('**');
    expect(article.textContent).not.toContain('](');
    expect(article.querySelector('strong')?.textContent).toBe('Slack setup › Token');
    expect(within(article).getByRole('link', { name: 'the token section' }).getAttribute('href')).toBe('/docs/slack#token');
    expect(article.querySelector('pre')?.textContent).toContain('SLACK_BOT_TOKEN=xoxb-1');
    expect(screen.getByRole('article', { name: 'Reader message msg_q' }).textContent).toContain('Is **this** bold?');
    // A link the model wrote to anything but a docs section is its text and its address, not a link.
    cleanup();
    render(
      <SiteTheme>
        <TranscriptPage
          transcript={buildTranscript({
            entries: [{ ...(answer as Extract<TTranscriptEntry, { type: 'message' }>), text: 'Go [here](https://evil.example/x) or [there](/maintainers).', sources: [] }],
          })}
          siteUrl={SITE}
        />
      </SiteTheme>,
    );
    const hostile = screen.getByRole('article', { name: 'Assistant message msg_a' });
    expect(within(hostile).queryAllByRole('link')).toEqual([]);
    expect(hostile.textContent).toContain('Go here (https://evil.example/x) or there (/maintainers).');
  });

  it('says where a conversation held in Slack was asked, instead of the review channel’s posts', () => {
    render(
      <SiteTheme>
        <TranscriptPage transcript={buildTranscript({ source: 'slack', slackConversation: { channelId: 'C0HELP', isDirect: false } })} siteUrl={SITE} />
      </SiteTheme>,
    );
    expect(document.body.textContent).toContain('Asked in Slack, in channel C0HELP: answered there, not posted to the review channel.');
    expect(document.body.textContent).not.toContain('posted, 0 pending');
  });

  it('links sources by the one link policy: in-site by parsed path, other hosts in a new tab, scripts as text', () => {
    // Sources as a model could have written them before the policy (stored annotations are not rewritten).
    const hostile = [
      { title: 'Tab', url: '/\t/evil.example/a' },
      { title: 'Backslash', url: '/\\evil.example/b' },
      { title: 'Double backslash', url: '\\\\evil.example/c' },
      { title: 'Newline', url: '/\n/evil.example/d' },
      { title: 'Userinfo', url: 'https://site.example@evil.example/docs' },
      { title: 'Elsewhere', url: 'https://evil.example/docs' },
    ];
    const sources = [
      ...hostile,
      { title: 'Absolute docs', url: 'HTTPS://SITE.EXAMPLE/docs/x#y' },
      { title: 'Spaced docs', url: ' /docs/z ' },
      { title: 'Dot dot', url: '/docs/../\\evil.example' },
      { title: 'Script', url: 'JaVaScRiPt:alert(1)' },
      { title: 'Data', url: 'data:text/html,hi' },
    ];
    const [question, run, answer] = buildTranscript().entries;
    const transcript = buildTranscript({ entries: [question!, run!, { ...(answer as Extract<TTranscriptEntry, { type: 'message' }>), sources }] });
    render(
      <SiteTheme>
        <TranscriptPage transcript={transcript} siteUrl={SITE} />
      </SiteTheme>,
    );
    const article = screen.getByRole('article', { name: 'Assistant message msg_a' });
    const links = within(article).getAllByRole('link');
    expect(links.map((link) => [link.textContent?.replace('(link takes you to an external page)', '').trim(), link.getAttribute('href'), link.getAttribute('target'), link.getAttribute('rel')])).toEqual([
      ['Tab', 'https://evil.example/a', '_blank', 'noopener noreferrer nofollow'],
      ['Backslash', 'https://evil.example/b', '_blank', 'noopener noreferrer nofollow'],
      ['Double backslash', 'https://evil.example/c', '_blank', 'noopener noreferrer nofollow'],
      ['Newline', 'https://evil.example/d', '_blank', 'noopener noreferrer nofollow'],
      ['Userinfo', 'https://site.example@evil.example/docs', '_blank', 'noopener noreferrer nofollow'],
      ['Elsewhere', 'https://evil.example/docs', '_blank', 'noopener noreferrer nofollow'],
      ['Absolute docs', '/docs/x#y', null, null],
      ['Spaced docs', '/docs/z', null, null],
    ]);
    for (const link of links.slice(0, hostile.length)) expect(link.textContent).toContain('(link takes you to an external page)');
    expect(article.textContent).toContain('Dot dot (/docs/../\\evil.example)');
    expect(article.textContent).toContain('Script (JaVaScRiPt:alert(1))');
    expect(article.textContent).toContain('Data (data:text/html,hi)');
  });
});
