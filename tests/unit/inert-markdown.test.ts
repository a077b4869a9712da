import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { inertQuote, inertTitle } from '@/lib/github/markdown';
import { handoffBody, handoffTitle } from '@/lib/handoff/github';
import { draftBody, draftTitle } from '@/lib/maintainers/gaps/markdown';
import { liveInGithub } from '../helpers/github-render';

// Issue 67, 1.6: readers' words in what is posted on GitHub under the maintainers' name (a hand-off's issue or
// discussion, a drafted docs issue or pull request), bodies and titles alike, hold nothing GitHub renders live. The
// check is not the quoting's own patterns: the posted Markdown is rendered by micromark's GFM (the reference
// implementation of GitHub's autolink rules), and what GitHub adds on top (mentions, team mentions, #7, GH-7,
// owner/repo#7, commit SHAs, ftp://) is looked for in the rendered text outside code (tests/helpers/github-render.ts).

const SITE = 'https://docs.example.com';

/** What the outside probe found live, and the rest of what GitHub links. */
const HOSTILE = [
  'see GH-1 and #1 and acme/secret#7',
  'ping @octocat and @acme/security-team now',
  'HTTP://EVIL.EXAMPLE/login and HtTpS://evil.example',
  'ftp://evil.example/payload',
  'snake_www.evil.example and x_http://evil.example and (www.evil.example) and *www.evil.example*',
  '![pixel](https://evil.example/p.png) [Verify](https://evil.example/login) [Buttons](/docs/buttons)',
  '<img src=x onerror=alert(1)> <details><summary>hi</summary></details> <https://evil.example>',
  '&#64;hubot &#x40;octocat &commat;someone',
  'mail me: someone@example.org or mailto:someone@example.org',
  'fixed in deadbeef1 or 0123456789abcdef0123456789abcdef01234567',
  '`@Input() <b>` and ``code with ` tick`` and an unclosed ` tick',
  '[x][ref] and [ref]: https://evil.example and [^1]',
  '\\@escaped \\#2 \\<b> trailing\\',
];

function expectInert(markdown: string) {
  const { live, html } = liveInGithub(markdown);
  expect(live, `${markdown}\n→ ${html}`).toEqual([]);
}

describe('the GitHub render check', () => {
  it('finds every hostile string live as written (so an inert result means something)', () => {
    for (const text of HOSTILE.slice(0, 10)) expect(liveInGithub(text).live, text).not.toEqual([]);
  });
});

describe('inertQuote and inertTitle', () => {
  it('leave nothing of the probe’s strings live, in a body or a title', () => {
    for (const text of HOSTILE) {
      expectInert(`> ${inertQuote(text)}`);
      expectInert(inertTitle(text, 300));
    }
  });

  it('keep the reader’s words readable: masked mentions, live-looking runs as code, prose as written', () => {
    expect(inertQuote('Can I fax a transcript? @octocat said so, see acme/secret#7.')).toBe('Can I fax a transcript? `@[user]` said so, see `acme/secret#7.`');
    expect(inertTitle('Why does *Button* break on ftp://x.example?', 90)).toBe('Why does *Button* break on `ftp://x.example?`');
    expect(inertQuote('use `variant="primary"` and 2 * 3_000')).toBe('use `variant="primary"` and 2 \\* 3\\_000');
    expect(inertQuote('- not a list')).toBe('\\- not a list');
    expect(inertQuote(`a\nb ${'word '.repeat(100)}`)).not.toContain('\n');
    expect(inertQuote('word '.repeat(100)).length).toBeLessThanOrEqual(300);
  });

  it('leave nothing live over hostile strings (property)', () => {
    const piece = fc.oneof(
      fc.constantFrom('@', 'octocat', '@acme/team', '/', '#', '7', 'GH-', 'gh-', 'http://', 'HTTP://', 'ftp://', 'www.', 'WWW.', '_', '*', '~', '.', ':', 'example.com',
        '<img src=x>', '<a href=x>', '</details>', '![a](b)', '[x](http://y)', '[', ']', '(', ')', '`', '``', '&#64;', '&#35;', '&', ';', '\\', '!', '|', '-', '+', '1.', '>',
        'deadbeef', 'cafe1234', 'a@b.co', 'mailto:', ' ', '  ', '\n', '\t', '«', '…', 'é', '😀'),
      fc.string({ maxLength: 6 }),
    );
    const hostile = fc.array(piece, { maxLength: 30 }).map((pieces) => pieces.join(''));
    fc.assert(
      fc.property(hostile, (text) => {
        expect(liveInGithub(`> ${inertQuote(text)}`).live, text).toEqual([]);
        expect(liveInGithub(inertTitle(text, 90)).live, text).toEqual([]);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('what is posted on GitHub', () => {
  it('a hand-off’s title and body (sources aside, which the server links) hold nothing live from the reader', () => {
    for (const text of HOSTILE) {
      const post = { question: text, isNotCovered: true, sources: [], note: text };
      expectInert(handoffBody(post, SITE));
      expectInert(handoffTitle(post));
    }
    const withSource = handoffBody({ question: '#1', isNotCovered: false, sources: [{ url: '/docs/button', title: '@octocat GH-2' }], note: null }, SITE);
    expect([...withSource.matchAll(/\]\(([^)]+)\)/g)].map((match) => match[1])).toEqual(['https://docs.example.com/docs/button']);
    expect(liveInGithub(withSource).live).toEqual(['link']);
  });

  it('a drafted docs issue’s or pull request’s title and body hold nothing live from readers', () => {
    for (const text of HOSTILE) {
      const topic = {
        id: 'gap_0',
        topic: text,
        count: 2,
        counts: { not_covered: 1, voted_down: 1, maintainer: 0 },
        questions: [{ text, kind: 'not_covered', createdAt: '2026-01-01T00:00:00Z' }],
        reasons: [text],
        answers: [text],
      } as unknown as Parameters<typeof draftBody>[0]['topic'];
      for (const kind of ['issue', 'pull'] as const) {
        expectInert(draftTitle(topic, kind));
        expectInert(draftBody({ topic, nearest: [], siteUrl: SITE, days: 30, pagePath: 'docs/button.mdx', kind }));
      }
    }
  });
});
