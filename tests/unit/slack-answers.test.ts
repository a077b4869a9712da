import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TMessageRow } from '@/lib/db/rows';
import { questionText } from '@/lib/chat-doors/doors/slack/intake';
import { isRetryRequest, MAX_SLACK_ANSWER_CHARS, SEARCHING_TEXT, SLACK_STYLE } from '@/lib/chat-doors/doors/slack/style';
import { renderChatAnswer, renderChatProgress, renderChatRunEnded } from '@/lib/chat-doors/render';
import { markdownToMrkdwn } from '@/lib/slack/mrkdwn';
import { createOfflineModel } from '@/lib/model/offline';
import { TOOL_DEFINITIONS } from '@/lib/assistant/tools';

const renderAnswer = (args: Parameters<typeof renderChatAnswer>[1]) => renderChatAnswer(SLACK_STYLE, args);
const renderProgress = (args: Parameters<typeof renderChatProgress>[1]) => renderChatProgress(SLACK_STYLE, args);
const renderRunEnded = (args: Parameters<typeof renderChatRunEnded>[1]) => renderChatRunEnded(SLACK_STYLE, args);

const SITE = 'https://docs.example.com';

/** Slack control sequences in a text: `<…>`, which Slack parses as links and mentions. */
const controlSequences = (text: string) => [...text.matchAll(/<([^<>]*)>/g)].map((match) => match[1] as string);

function answer(text: string, annotations: { url: string; title: string }[] = [], metadata: Record<string, unknown> = {}): TMessageRow {
  return {
    id: 'msg_1',
    thread_id: 'thread_1',
    run_id: 'run_1',
    role: 'assistant',
    content: [{ type: 'text', text: { value: text, annotations: annotations.map((a) => ({ type: 'url_citation', ...a, start_index: 0, end_index: 0 })) } }],
    metadata,
    created_at: '2026-11-23T00:00:00Z',
    status: 'completed',
    incomplete_details: null,
    completed_at: null,
    incomplete_at: null,
  };
}

describe('Markdown as Slack mrkdwn', () => {
  it('renders emphasis, code, lists, quotes, headings and tables the way Slack writes them', () => {
    const markdown = [
      '## Setting the variant',
      '',
      'Use **bold** and _italic_ and ~~old~~',
      'with `variant="primary"`.',
      '',
      '- first',
      '- second',
      '  - nested',
      '',
      '1. one',
      '2. two',
      '',
      '> quoted',
      '',
      '```tsx',
      '<Button variant="primary">Go</Button>',
      '```',
      '',
      '| Prop | Type |',
      '| --- | --- |',
      '| variant | string |',
    ].join('\n');
    expect(markdownToMrkdwn(markdown, SITE)).toBe(
      [
        '*Setting the variant*',
        '',
        'Use *bold* and _italic_ and ~old~ with `variant="primary"`.',
        '',
        '• first',
        '• second',
        '    • nested',
        '',
        '1. one',
        '2. two',
        '',
        '>quoted',
        '',
        '```',
        '&lt;Button variant="primary"&gt;Go&lt;/Button&gt;',
        '```',
        '',
        '*Prop | Type*',
        'variant | string',
      ].join('\n'),
    );
  });

  it('links site paths absolutely with their label, and shows a link off the site as its own address', () => {
    expect(markdownToMrkdwn('See [Buttons](/docs/components/button#variants).', SITE)).toBe('See <https://docs.example.com/docs/components/button#variants|Buttons>.');
    expect(markdownToMrkdwn('See [the docs](https://evil.example/phish).', SITE)).toBe('See <https://evil.example/phish|https://evil.example/phish>.');
    expect(markdownToMrkdwn('Run [this](javascript:alert(1)).', SITE)).toBe('Run this.');
  });

  it('never lets a mention or a disguised link through, in text, code or links', () => {
    const hostile = 'Hi <!channel> <@U0123> <https://evil.example|docs> `<!here>` [<!everyone>](/docs) ```\n<!channel>\n```';
    const rendered = markdownToMrkdwn(hostile, SITE);
    expect(controlSequences(rendered).every((inner) => inner.startsWith('https://docs.example.com/'))).toBe(true);
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        const sequences = controlSequences(markdownToMrkdwn(text, SITE));
        // Only links built here: http(s), escaped, never a mention (<!…>, <@…>, <#…>).
        return sequences.every((inner) => /^https?:\/\//.test(inner));
      }),
      { numRuns: 300 },
    );
  });
});

describe('the reply in Slack', () => {
  it('says "Searching the docs…" until text arrives, then shows it being written', () => {
    expect(renderProgress({ draft: '', siteUrl: SITE })).toBe(SEARCHING_TEXT);
    expect(renderProgress({ draft: 'Use **the** prop', siteUrl: SITE })).toBe('Use *the* prop\n\n_:hourglass_flowing_sand: Writing…_');
  });

  it('ends with the sources as links to the docs pages, each once, and how to give feedback', () => {
    const text = renderAnswer({
      answer: answer('Set `variant`.', [
        { url: '/docs/components/button#variants', title: 'Button › Variants' },
        { url: '/docs/components/button#variants', title: 'Button › Variants' },
        { url: '/docs/tokens', title: 'Tokens' },
      ]),
      question: 'Which variants?',
      siteUrl: SITE,
    });
    expect(text).toBe(
      'Set `variant`.\n\n*Sources:* <https://docs.example.com/docs/components/button#variants|Button › Variants> · <https://docs.example.com/docs/tokens|Tokens>\n\n' +
        '_React with :+1: or :-1: to tell the maintainers whether this helped._',
    );
  });

  it('names each quoted section with a link to it, and keeps a crawled site\'s section names (the offline model\'s answer)', async () => {
    const results = [
      { title: 'Install', heading: 'Configure', url: 'https://other.example/guide/install#configure', content: 'Set it on the server:\n\n```bash\nTOKEN=1\n```' },
      { title: 'Upgrade', heading: 'From v1', url: 'https://other.example/guide/upgrade#v1', content: 'Something else entirely.' },
    ];
    const response = await createOfflineModel().respond({
      instructions: '',
      tools: TOOL_DEFINITIONS,
      input: [
        { type: 'message', role: 'user', content: 'How do I configure the install?' },
        { type: 'function_call', call_id: 'c1', name: 'get_relevant_docs', arguments: '{"prompt":"configure install"}' },
        { type: 'function_call_output', call_id: 'c1', output: JSON.stringify({ query: 'configure install', results }) },
      ],
    });
    if (response.output.type !== 'message') throw new Error('expected a message');
    const row = { ...answer(''), content: [{ type: 'text' as const, text: { value: response.output.text, annotations: response.output.annotations ?? [] } }] };
    const toolRounds = [{ tool_calls: [], tool_outputs: [{ tool_call_id: 'c1', output: JSON.stringify({ query: 'configure install', results }) }] }];
    const text = renderAnswer({ answer: row, question: 'How do I configure the install?', siteUrl: SITE, toolRounds });
    // Without the run's search results, a page of the cited section's site keeps its name; another site's does not.
    expect(renderAnswer({ answer: row, question: 'q', siteUrl: SITE })).toContain('<https://other.example/guide/upgrade#v1|Upgrade › From v1>');
    const elsewhere = { ...row, content: [{ ...row.content[0]!, text: { ...row.content[0]!.text, value: `${row.content[0]!.text.value}\n\n[Reset](https://evil.example/x)` } }] };
    expect(renderAnswer({ answer: elsewhere, question: 'q', siteUrl: SITE })).toContain('<https://evil.example/x|https://evil.example/x>');
    expect(text).toContain('*<https://other.example/guide/install#configure|Install › Configure>*');
    expect(text).toContain('Set it on the server:\n\n```\nTOKEN=1\n```');
    expect(text).toContain('*Sources:* <https://other.example/guide/install#configure|Install › Configure>');
    // Related links name their sections too; no bare URL, no raw Markdown.
    expect(text).toContain('<https://other.example/guide/upgrade#v1|Upgrade › From v1>');
    expect(controlSequences(text).every((sequence) => sequence.includes('|'))).toBe(true);
    expect(text.replace(/```[\s\S]*?```/g, '')).not.toMatch(/\*\*|\]\(/);
  });

  it('says when the docs do not cover the question, with a search link for it (once: the offline answer has its own)', () => {
    const offline = renderAnswer({
      answer: answer("The docs don't cover this. You can [search the docs](/docs?q=frobnicate) with other words.", [], { no_docs_match: true, offline: true }),
      question: 'How do I frobnicate?',
      siteUrl: SITE,
    });
    expect(offline).toContain('You can <https://docs.example.com/docs?q=frobnicate|search the docs> with other words.');
    expect(offline).not.toContain(':books:');
    const text = renderAnswer({ answer: answer('I could not find that.', [], { no_docs_match: true }), question: 'How do I  frobnicate?', siteUrl: SITE });
    expect(text).toContain(":books: The docs don't cover this. <https://docs.example.com/docs?q=How+do+I+frobnicate%3F|Search the docs> yourself");
  });

  it('apologizes for a run that failed, keeping what was written, and says how to retry', () => {
    expect(renderRunEnded({ run: { status: 'failed', last_error: { code: 'timeout', message: 'The assistant took too long to answer.' }, incomplete_details: null }, partial: null, siteUrl: SITE })).toBe(
      ":warning: Sorry, I couldn't finish this answer. The assistant took too long to answer. Reply `retry` in this thread to try again.",
    );
    expect(renderRunEnded({ run: { status: 'incomplete', last_error: null, incomplete_details: null }, partial: 'Half **an**', siteUrl: SITE })).toMatch(
      /^Half \*an\*\n\n:warning: Sorry, I couldn't finish this answer\. The answer was cut off/,
    );
    expect(isRetryRequest(' Retry! ')).toBe(true);
    expect(isRetryRequest('retry the build')).toBe(false);
  });

  it('cuts a very long answer under Slack’s message size, closing an open code block', () => {
    const long = `${'word '.repeat(200)}\n\n\`\`\`\n${'code line\n'.repeat(2000)}\`\`\``;
    const text = renderAnswer({ answer: answer(long), question: 'q', siteUrl: SITE });
    expect(text.length).toBeLessThan(MAX_SLACK_ANSWER_CHARS + 400);
    expect((text.match(/```/g) ?? []).length % 2).toBe(0);
    expect(text).toContain('cut here');
  });
});

describe('the question as asked in Slack', () => {
  it('drops the app’s mention and reads Slack’s markup as Markdown', () => {
    const bots = new Set(['U0BOT']);
    expect(questionText('<@U0BOT> how do I use <https://x.test/a|this> with <@U0ANA|ana>?', bots)).toBe('how do I use [this](https://x.test/a) with @ana?');
    expect(questionText('<@U0BOT|paste> <@U0BOT>', bots)).toBe('');
    expect(questionText('<@U0SOMEBOT> hello', new Set())).toBe('hello');
  });

  it('reads an id from the envelope as data: one that is not a pattern ("(", ".*") drops only its own mention', () => {
    expect(questionText('<@U0BOT> hi', new Set(['(']))).toBe('@someone hi');
    expect(questionText('<@U0BOT> hi <@.*>', new Set(['.*']))).toBe('@someone hi');
  });
});

describe('slack-app-manifest.json', () => {
  it('asks for the scopes and events the Slack page lists, and points events at /api/slack/events', async () => {
    const { readFileSync } = await import('node:fs');
    const manifest = JSON.parse(readFileSync('slack-app-manifest.json', 'utf8')) as {
      oauth_config: { scopes: { bot: string[] } };
      settings: { event_subscriptions: { request_url: string; bot_events: string[] }; interactivity: { is_enabled: boolean; request_url: string } };
    };
    const page = readFileSync('content/docs/guides/slack.mdx', 'utf8');
    for (const scope of manifest.oauth_config.scopes.bot) expect(page).toContain(`\`${scope}\``);
    expect(manifest.oauth_config.scopes.bot).toEqual(expect.arrayContaining(['app_mentions:read', 'chat:write', 'im:history', 'reactions:read']));
    expect(manifest.settings.event_subscriptions.bot_events.sort()).toEqual(
      ['app_mention', 'message.channels', 'message.groups', 'message.im', 'reaction_added', 'reaction_removed'].sort(),
    );
    for (const event of manifest.settings.event_subscriptions.bot_events) expect(page).toContain(`\`${event}\``);
    expect(new URL(manifest.settings.event_subscriptions.request_url).pathname).toBe('/api/slack/events');
    // "Ask the maintainers" under an answer comes back through Slack's interactivity (pages/api/slack/interactivity.ts).
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    expect(new URL(manifest.settings.interactivity.request_url).pathname).toBe('/api/slack/interactivity');
    expect(page).toContain('/api/slack/interactivity');
  });
});

describe('the weekly digest', () => {
  it('says where the questions came from when Slack is among them, and which gaps came from Slack', async () => {
    const { formatDigestText } = await import('@/lib/maintainers/digest');
    const question = { text: 'theme buttons', kind: 'not_covered' as const, reason: null, createdAt: '2026-11-20T00:00:00Z', threadId: 'thread_1', source: 'slack', transcriptUrl: 'https://x.test/t' };
    const view = {
      period: { from: '2026-11-16T00:00:00Z', to: '2026-11-23T00:00:00Z', days: 7, preset: null },
      totals: { questions: 5, answered: 4, notCovered: 1, up: 1, down: 0, searches: 5, searchesWithoutResults: 0, maintainerReplies: 0 },
      days: [],
      sources: [
        { source: 'site', questions: 3 },
        { source: 'slack', questions: 2 },
      ],
      groups: [{ label: 'theme buttons', count: 1, notCovered: 1, votedDown: 0, threads: 1, sources: ['slack'], lastAskedAt: question.createdAt, questions: [question] }],
      reasons: [],
      searchesWithoutResults: [],
    };
    const text = formatDigestText(view, 'https://x.test/maintainers');
    expect(text).toContain('Questions *5* (site 3, slack 2)');
    expect(text).toContain('1. “theme buttons” — 1× (1 not covered, from slack) · <https://x.test/t|transcript>');
  });
});
