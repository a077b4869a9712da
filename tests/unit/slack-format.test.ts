import fc from 'fast-check';
import { ErrorCode } from '@slack/web-api';
import { describe, expect, it } from 'vitest';
import { classifySlackError } from '@/lib/slack/client';
import { escapeMrkdwn } from '@/lib/slack/mrkdwn';
import {
  InvalidPayloadError,
  MAX_BODY_CHARS,
  quoteUserText,
  renderParentText,
  renderReplyText,
  slackLink,
  truncateText,
} from '@/lib/review-channel/format';

const SITE = 'https://docs.example.com';
const HOSTILE = [
  '<!channel>',
  '<!here|here>',
  '<!everyone>',
  '<@U0123ABC>',
  '<#C0123|general>',
  '<!subteam^S0123|@admins>',
  '<https://evil.example|https://docs.example.com/docs>',
  '<mailto:a@evil.example|Support>',
  '&lt;!channel&gt;',
  '>>> quoted <b>html</b> & more',
];

/** Slack control sequences in a text: `<…>` with the characters Slack would parse. */
const controlSequences = (text: string) => [...text.matchAll(/<([^<>]*)>/g)].map((match) => match[1]);

describe('Slack mrkdwn escaping', () => {
  it.each(HOSTILE)('shows %s as typed, with no control sequence', (input) => {
    const escaped = escapeMrkdwn(input);
    expect(controlSequences(escaped)).toEqual([]);
    expect(escaped.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&')).toBe(input);
  });

  it('never lets reader text open a control sequence, whatever it contains', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (input) => {
        const escaped = escapeMrkdwn(input);
        expect(escaped).not.toMatch(/[<>]/);
        // Every & starts one of the three entities we write: no stray entity from the input survives.
        expect(escaped.replace(/&(amp|lt|gt);/g, '')).not.toContain('&');
      }),
    );
  });

  it('quotes every line and cuts long text with a marker, after the cut, so that no entity is split', () => {
    const text = `${'a'.repeat(MAX_BODY_CHARS - 2)}<!channel> and more`;
    const quoted = quoteUserText(text);
    expect(quoted).not.toContain('<!channel');
    expect(quoted).not.toMatch(/&(a|am|l|g)?$/m);
    expect(quoted).toContain(`… [truncated: ${MAX_BODY_CHARS.toLocaleString('en-US')} of ${text.length.toLocaleString('en-US')} characters shown`);
    expect(quoted.split('\n').every((line) => line.startsWith('>'))).toBe(true);
    expect(quoteUserText('one\r\ntwo\n\nthree')).toBe('>one\n>two\n>\n>three');
    expect(quoteUserText('kept part', 5000)).toContain('9 of 5,000 characters shown');
  });

  it('truncates without cutting a surrogate pair, and says so when the stored text was already cut', () => {
    const emoji = '😀'.repeat(10);
    const cut = truncateText(emoji, 5);
    expect(cut.split('\n')[0]).toBe('😀😀');
    expect(truncateText('short', 100)).toBe('short');
    expect(truncateText('x'.repeat(4000), 5000, 9000)).toContain('4,000 of 9,000 characters shown');
  });
});

describe('links in posts', () => {
  it('links site URLs with their label, and shows the address of any other link', () => {
    expect(slackLink('/docs/guides/slack#token', 'Slack › Token', SITE)).toBe('<https://docs.example.com/docs/guides/slack#token|Slack › Token>');
    expect(slackLink('https://evil.example/x?a=1&b=2', 'Paste docs', SITE)).toBe(
      '<https://evil.example/x?a=1&amp;b=2|https://evil.example/x?a=1&amp;b=2>',
    );
    expect(slackLink('javascript:alert(1)', 'Click', SITE)).toBe('Click');
    expect(slackLink('/docs/a|b>c', '<!channel>', SITE)).toBe('<https://docs.example.com/docs/a%7Cb%3Ec|&lt;!channel&gt;>');
  });

  it('renders the parent with the title, the thread id and the transcript link', () => {
    const text = renderParentText({
      threadId: 'thread_abc',
      title: '<!channel> title\nwith lines',
      isThreadPresent: true,
      transcript: { url: `${SITE}/maintainers/threads/thread_abc?exp=1&sig=x`, expiresAt: new Date('2026-12-21T00:00:00Z') },
    });
    expect(text).toBe(
      ':speech_balloon: *&lt;!channel&gt; title with lines*\nThread `thread_abc` · ' +
        '<https://docs.example.com/maintainers/threads/thread_abc?exp=1&amp;sig=x|Open the transcript> (link valid until 2026-12-21)',
    );
    expect(renderParentText({ threadId: 'thread_abc', title: null, isThreadPresent: false, transcript: null })).toBe(
      ':speech_balloon: *New thread*\nThread `thread_abc` (deleted by the reader)',
    );
  });

  it('marks a reader\'s message that moderation flagged', () => {
    const payload = { message_id: 'msg_1', text: 'hi', flagged: true };
    expect(renderReplyText({ kind: 'message', siteUrl: SITE, payload })).toContain(':triangular_flag_on_post: Flagged by moderation');
    expect(renderReplyText({ kind: 'message', siteUrl: SITE, payload: { ...payload, flagged: false } })).not.toContain('Flagged');
  });

  it('posts an answer in Slack\'s own formatting: bold, italics, links with their names, code kept, text escaped', () => {
    const text = [
      '**Slack setup › Tokens**',
      '',
      'Set it _on the server_ (see [Configure the server](/docs/guides/slack#configure)):',
      '',
      '```bash',
      'SLACK_BOT_TOKEN=xoxb-<token> && echo **ok**',
      '```',
      '',
      'Also [Crawled page](https://other.example/guide#setup), [its other page](https://other.example/faq), [not cited](https://evil.example/x) and <!channel> & `a<b>`.',
    ].join('\n');
    const posted = renderReplyText({
      kind: 'answer',
      siteUrl: SITE,
      payload: { message_id: 'msg_1', text, sources: [{ url: 'https://other.example/guide#setup', title: 'Guide › Setup' }] },
    });
    expect(posted).toBe(
      [
        '*Assistant* `msg_1`:',
        '>*Slack setup › Tokens*',
        '>',
        '>Set it _on the server_ (see <https://docs.example.com/docs/guides/slack#configure|Configure the server>):',
        '>',
        '>```',
        '>SLACK_BOT_TOKEN=xoxb-&lt;token&gt; &amp;&amp; echo **ok**',
        '>```',
        '>',
        // A page of the cited site keeps its name too; a link elsewhere shows where it points.
        '>Also <https://other.example/guide#setup|Crawled page>, <https://other.example/faq|its other page>, <https://evil.example/x|https://evil.example/x> and &lt;!channel&gt; &amp; `a&lt;b&gt;`.',
        // A cited section keeps its name on another origin (a crawled site's page).
        '*Sources:* <https://other.example/guide#setup|Guide › Setup>',
      ].join('\n'),
    );
    // No raw Markdown outside the code block.
    const prose = posted.replace(/```[\s\S]*?```/g, '');
    expect(prose).not.toMatch(/\*\*|\]\(|^>#/m);
  });

  it('cuts a long answer before converting it, so that no code block is left open', () => {
    const posted = renderReplyText({ kind: 'answer', siteUrl: SITE, payload: { message_id: 'msg_1', text: `**Intro**\n\n\`\`\`\n${'line\n'.repeat(1000)}\`\`\``, sources: [] } });
    expect(posted).toContain('>*Intro*');
    expect((posted.match(/```/g) ?? []).length % 2).toBe(0);
    expect(posted).toMatch(/\n>… \[truncated: 3,000 of 5,018 characters shown; the transcript has the full text\]$/);
  });

  it('renders answers with sources and searches, votes and failed runs', () => {
    const answer = renderReplyText({
      kind: 'answer',
      siteUrl: SITE,
      payload: {
        message_id: 'msg_1',
        run_id: 'run_1',
        text: 'See <https://evil|here>',
        length: 23,
        no_docs_match: true,
        sources: [{ url: '/docs/a', title: 'A' }],
        searches: ['{"prompt":"<!here> tokens"}', 'not json'],
      },
    });
    expect(answer).toBe(
      // Not a URL Slack could open, so no link: its text as typed.
      '*Assistant* `msg_1` (run `run_1`):\n>See https://evil|here\n:warning: The docs did not cover this question.\n' +
        '*Sources:* <https://docs.example.com/docs/a|A>\n*Searched:* “&lt;!here&gt; tokens”',
    );
    expect(renderReplyText({ kind: 'vote', siteUrl: SITE, payload: { message_id: 'msg_1', vote: 'down', previous: 'up' } })).toContain(
      ':thumbsdown:',
    );
    expect(renderReplyText({ kind: 'vote', siteUrl: SITE, payload: { message_id: 'msg_1', vote: null, previous: 'up' } })).toContain(
      'withdrew',
    );
    expect(
      renderReplyText({
        kind: 'run_ended',
        siteUrl: SITE,
        payload: { run_id: 'run_1', status: 'failed', error: { code: 'rate_limit_exceeded', message: 'Too <many>' } },
      }),
    ).toBe(':warning: Run `run_1` ended *failed* (`rate_limit_exceeded`): Too &lt;many&gt;');
    expect(() => renderReplyText({ kind: 'message', siteUrl: SITE, payload: { nope: true } })).toThrow(InvalidPayloadError);
  });
});

describe('classifySlackError', () => {
  it('retries what may pass, waits out rate limits and gives up on rejections', () => {
    expect(classifySlackError({ code: ErrorCode.RateLimitedError, retryAfter: 7 })).toEqual({ type: 'rate_limited', reason: 'ratelimited', retryAfterMs: 7000 });
    expect(classifySlackError({ code: ErrorCode.PlatformError, data: { error: 'channel_not_found' } })).toEqual({ type: 'permanent', reason: 'channel_not_found' });
    expect(classifySlackError({ code: ErrorCode.PlatformError, data: { error: 'invalid_auth' } }).type).toBe('permanent');
    expect(classifySlackError({ code: ErrorCode.PlatformError, data: { error: 'internal_error' } }).type).toBe('transient');
    expect(classifySlackError({ code: ErrorCode.PlatformError, data: { error: 'ratelimited', response_metadata: { retryAfter: 3 } } })).toMatchObject({
      type: 'rate_limited',
      retryAfterMs: 3000,
    });
    expect(classifySlackError({ code: ErrorCode.HTTPError, statusCode: 503 }).type).toBe('transient');
    expect(classifySlackError({ code: ErrorCode.HTTPError, statusCode: 404 }).type).toBe('permanent');
    expect(classifySlackError({ code: ErrorCode.RequestError }).type).toBe('transient');
    expect(classifySlackError(new Error('socket hang up')).type).toBe('transient');
  });
});
