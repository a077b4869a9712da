import { describe, expect, inject, it } from 'vitest';
import { expectError } from '../helpers/contract';
import { PRODUCTION_MAINTAINER_TOKEN, PRODUCTION_SITE_URL } from './helpers/global-setup';
import { answeredThread, mainClient, unknownId } from './helpers/tier';
import { SHARE_LINKS_PER_HOUR } from '@/lib/assistant/share';

// Share links and the deflection figures under `next start`: the owner shares a conversation, anyone opens the
// read-only page (noindex, no identity), another reader can neither share nor revoke it, and once revoked the link
// answers 410; a new link after revoking, at most SHARE_LINKS_PER_HOUR an hour (then 429); the maintainers' deflection route (JSON and CSV) behind the maintainer's token; the page-read counter.

const BEARER = { authorization: `Bearer ${PRODUCTION_MAINTAINER_TOKEN}` };
/** Links are built on SITE_URL; the tests open them on the server they started. */
const onServer = (url: string) => url.replace(PRODUCTION_SITE_URL, inject('mainUrl'));

async function open(url: string) {
  const response = await fetch(onServer(url), { redirect: 'manual' });
  return { status: response.status, headers: response.headers, html: await response.text() };
}

describe('share links', () => {
  it('the owner shares; anyone reads the snapshot (noindex, no identity); another reader gets 404; revoked, the link answers 410', async () => {
    const owner = mainClient();
    const question = 'How do I share the Slack setup with my team?';
    const { threadId, answerId } = await answeredThread(owner, question);

    const shared = await owner.post(`/api/paste-assistant-thread/${threadId}/share`);
    expect(shared.status, JSON.stringify(shared.body)).toBe(201);
    const url = shared.body.url as string;
    expect(url).toMatch(new RegExp(`^${PRODUCTION_SITE_URL}/shared/[A-Za-z0-9_-]{32}$`));
    // One live link per conversation: sharing again, however often, answers the same link.
    for (let index = 0; index < 12; index += 1) {
      const again = await owner.post(`/api/paste-assistant-thread/${threadId}/share`);
      expect([again.status, again.body.url, again.body.created_at]).toEqual([200, url, shared.body.created_at]);
    }

    // Anyone: no cookie at all.
    const page = await open(url);
    expect(page.status).toBe(200);
    expect(page.headers.get('x-robots-tag')).toMatch(/noindex/);
    expect(page.headers.get('cache-control')).toMatch(/no-store/);
    expect(page.html).toMatch(/<meta name="robots" content="noindex/);
    expect(page.html).toContain(question);
    expect(page.html).toMatch(/href="\/docs\/[^"]+"/);
    for (const identity of [threadId, answerId, owner.cookie ?? 'no-cookie']) expect(page.html).not.toContain(identity);
    // A page: GET and HEAD; any other method is a 405 with Allow, not the page.
    expect((await fetch(onServer(url), { method: 'HEAD' })).status).toBe(200);
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) {
      const refused = await fetch(onServer(url), { method });
      expect([refused.status, refused.headers.get('allow')], method).toEqual([405, 'GET, HEAD']);
      expect(await refused.text(), method).not.toContain(question);
    }

    // Later messages do not reach the snapshot, until the conversation is shared again: the same link, up to date.
    await owner.post('/api/paste-assistant-message', { threadId, message: 'And what about the buttons later on?' });
    expect((await open(url)).html).not.toContain('what about the buttons later on');
    expect((await owner.post(`/api/paste-assistant-thread/${threadId}/share`)).body.url).toBe(url);
    expect((await open(url)).html).toContain('what about the buttons later on');

    const other = mainClient();
    await other.post('/api/paste-assistant-thread');
    expectError(await other.post(`/api/paste-assistant-thread/${threadId}/share`), 404, 'not_found');
    expectError(await other.delete(`/api/paste-assistant-thread/${threadId}/share`), 404, 'not_found');
    expectError(await owner.post(`/api/paste-assistant-thread/${unknownId('thread')}/share`), 404, 'not_found');
    expectError(await owner.post('/api/paste-assistant-thread/not-a-thread/share'), 400, 'bad_request');
    const wrongMethod = await owner.get(`/api/paste-assistant-thread/${threadId}/share`);
    expect(wrongMethod.status).toBe(405);
    expect((await open(url)).status).toBe(200);

    const revoked = await owner.delete(`/api/paste-assistant-thread/${threadId}/share`);
    expect(revoked.status).toBe(200);
    expect(revoked.body).toEqual({ revoked: 1 });
    const gone = await open(url);
    expect(gone.status).toBe(410);
    expect(gone.html).not.toContain(question);
    expect(gone.headers.get('x-robots-tag')).toMatch(/noindex/);
    // Shared again after revoking: a new link; the revoked one stays gone.
    const renewed = await owner.post(`/api/paste-assistant-thread/${threadId}/share`);
    expect(renewed.status).toBe(201);
    expect(renewed.body.url).not.toBe(url);
    expect((await open(url)).status).toBe(410);
    expect((await open(`${PRODUCTION_SITE_URL}/shared/${'A'.repeat(32)}`)).status).toBe(404);
    expect((await open(`${PRODUCTION_SITE_URL}/shared/short`)).status).toBe(404);
  });
});

describe('new share links after revoking', () => {
  it(`are at most ${SHARE_LINKS_PER_HOUR} an hour per conversation: then 429 with the error contract and Retry-After, while the live link is always answered`, async () => {
    const owner = mainClient();
    const { threadId } = await answeredThread(owner, 'How do I share a conversation more than once?');
    const route = `/api/paste-assistant-thread/${threadId}/share`;
    const urls: string[] = [];
    for (let index = 0; index < SHARE_LINKS_PER_HOUR; index += 1) {
      const shared = await owner.post(route);
      expect(shared.status, JSON.stringify(shared.body)).toBe(201);
      urls.push(shared.body.url as string);
      // The live link, asked again at the limit: the same link.
      const again = await owner.post(route);
      expect([again.status, again.body.url]).toEqual([200, shared.body.url]);
      if (index < SHARE_LINKS_PER_HOUR - 1) expect((await owner.delete(route)).body).toEqual({ revoked: 1 });
    }
    expect(new Set(urls).size).toBe(SHARE_LINKS_PER_HOUR);
    expect((await owner.delete(route)).body).toEqual({ revoked: 1 });
    const refused = await owner.post(route);
    expectError(refused, 429, 'rate_limited');
    expect(refused.body.error.message).toMatch(new RegExp(`^This conversation has had ${SHARE_LINKS_PER_HOUR} new share links in the last hour\\. Try again in \\d+ minutes?\\.$`));
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(3600);
    // Every link made stays revoked: the refusal made none.
    for (const url of urls) expect((await open(url)).status).toBe(410);
  });
});

describe('deflection for maintainers', () => {
  it('answers 401 without access, 400 for a bad period, 405 for a write; JSON and CSV with the token', async () => {
    const reader = mainClient();
    expectError(await reader.get('/api/maintainers/deflection?days=30'), 401, 'unauthorized');
    expectError(await reader.get('/api/maintainers/deflection?format=csv'), 401, 'unauthorized');
    expectError(await reader.get('/api/maintainers/deflection?days=0', BEARER), 400, 'bad_request');
    expectError(await reader.get('/api/maintainers/deflection?format=xml', BEARER), 400, 'bad_request');
    expectError(await reader.get('/api/maintainers/deflection?from=2026-02-30', BEARER), 400, 'bad_request');
    const post = await reader.request('POST', '/api/maintainers/deflection', { json: {}, headers: BEARER });
    expect(post.status).toBe(405);

    // A shared conversation and a page read, then the figures.
    const before = await reader.get('/api/maintainers/deflection?days=7', BEARER);
    expect(before.status).toBe(200);
    const { threadId } = await answeredThread(reader, 'How do I configure Slack for deflection figures?');
    expect((await reader.post(`/api/paste-assistant-thread/${threadId}/share`)).status).toBe(201);
    const read = await reader.post('/api/docs-page-read', { path: '/docs/guides/slack' });
    expect(read.status).toBe(200);
    expect(read.body).toEqual({ recorded: true });
    // The same page again from the same address within 30 minutes: answered alike, not counted.
    const again = await mainClient().post('/api/docs-page-read', { path: '/docs/guides/slack' });
    expect([again.status, again.body]).toEqual([200, { recorded: false }]);
    expect((await reader.post('/api/docs-page-read', { path: '/docs/no-such-page-here' })).body).toEqual({ recorded: false });
    expectError(await reader.post('/api/docs-page-read', { path: 'https://evil.example/' }), 400, 'bad_request');
    expectError(await reader.request('POST', '/api/docs-page-read', { body: 'path=/docs', headers: { 'content-type': 'text/plain' } }), 415, 'unsupported_media_type');

    const after = await reader.get('/api/maintainers/deflection?days=7', BEARER);
    expect(after.status).toBe(200);
    expect(after.headers.get('cache-control')).toMatch(/no-store/);
    expect(after.body.questions).toBe(before.body.questions + 1);
    expect(after.body.shares.conversations).toBe(before.body.shares.conversations + 1);
    expect(after.body.reads.total).toBe(before.body.reads.total + 1);
    expect(after.body.rates.answered.count).toBeGreaterThanOrEqual(1);
    expect(after.body.kinds.map((kind: { kind: string }) => kind.kind).sort()).toEqual(['answer', 'api', 'code', 'docs', 'page', 'thread']);
    expect(after.body.indexedPages).toBeGreaterThan(0);

    const csv = await fetch(`${inject('mainUrl')}/api/maintainers/deflection?days=7&format=csv`, { headers: BEARER });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(csv.headers.get('content-disposition')).toMatch(/^attachment; filename="deflection-\d{4}-\d{2}-\d{2}-to-\d{4}-\d{2}-\d{2}\.csv"$/);
    const text = await csv.text();
    expect(text.split('\r\n')[0]).toBe('section,name,title,kind,count,rate,reads,questions');
    expect(text).toContain(`\r\nrate,answered,,,${after.body.rates.answered.count},`);
  });
});

describe('a shared conversation without JavaScript', () => {
  it("holds the answer's markdown rendered on the server: the list, the safe links, the code; never the hostile link or raw HTML", async () => {
    const owner = mainClient();
    const { threadId } = await answeredThread(owner, 'Which steps set up Slack? [[model:markdown]]');
    const shared = await owner.post(`/api/paste-assistant-thread/${threadId}/share`);
    expect(shared.status, JSON.stringify(shared.body)).toBe(201);
    const page = await open(shared.body.url as string);
    expect(page.status).toBe(200);
    // The page's HTML, without the props Next sends for hydration (they hold the markdown as data).
    const html = page.html.replace(/<script id="__NEXT_DATA__"[^>]*>[\s\S]*?<\/script>/, '');
    expect(html.length).toBeLessThan(page.html.length);

    // Rendered, not waiting for the lazily loaded renderer: no plain-text stand-in, no literal markdown.
    expect(html).not.toContain('data-markdown="pending"');
    expect(html).not.toContain('- Open [the Slack guide]');
    expect(html).not.toContain('```');
    expect(html).toMatch(/<ul[^>]*>(<style[^>]*>[^<]*<\/style>)?<li[^>]*>Open (<style[^>]*>[^<]*<\/style>)?<a [^>]*href="\/docs\/configuration"[^>]*>the Slack guide<\/a>/);
    const external = html.match(/<a [^>]*href="https:\/\/api\.example\/ref"[^>]*>/)?.[0];
    expect(external).toBeDefined();
    expect(external).toContain('target="_blank"');
    expect(external).toContain('rel="noopener noreferrer nofollow"');
    // The code, in a code block (highlighted into tokens: its words are there, the fence is not).
    expect(html).toMatch(/data-paste-element="CODE_BLOCK/);
    expect(html.replace(/<style[^>]*>[^<]*<\/style>/g, '').replace(/<[^>]+>/g, '')).toContain('const markdownProbe = 42;');
    // A link the model wrote to javascript: is text; raw HTML is shown as text, never markup.
    expect(html).not.toMatch(/href="javascript:/i);
    expect(html).not.toContain('<script>window.pwned');
    expect(html).toContain('&lt;script&gt;window.pwned = 1&lt;/script&gt;');
  });
});
