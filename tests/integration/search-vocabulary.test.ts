import { afterEach, describe, expect, it } from 'vitest';
import type { TApp } from '@/lib/app';
import { querySql } from '../helpers/stores';
import { OPENED_PER_HOUR } from '@/lib/docs/search/ranking/vocabulary';
import { createTestApp } from '../helpers/app';
import { expectError } from '../helpers/contract';
import { createClient, startTestServer, type TTestServer } from '../helpers/server';

// The vocabulary learned from use, end to end over HTTP on the fixture docs: a reader's word that is not in the
// docs reaches a page (a search result opened, or an answer voted up), maintainers see it suggested, approve it,
// and the next search by that word finds the page. Nothing changes the ranking before the approval.

const TOKEN = 'maintainer-token-0123456789';
let app: TApp | undefined;
let server: TTestServer | undefined;

afterEach(async () => {
  await server?.close();
  await app?.db.close();
  server = undefined;
  app = undefined;
});

async function start() {
  app = await createTestApp({ env: { MAINTAINER_TOKEN: TOKEN } });
  server = await startTestServer(app);
  const reader = createClient(server.url);
  const client = createClient(server.url);
  // The bearer token (the dashboard's sign-in cookie is covered by the dashboard's own tests).
  const headers = { authorization: `Bearer ${TOKEN}` };
  const maintainer = {
    get: (route: string) => client.get(route, headers),
    post: (route: string, json: unknown) => client.request('POST', route, { json, headers }),
  };
  return { reader, maintainer };
}

const paths = (response: { body: { data: { path: string }[] } }) => response.body.data.map((hit) => hit.path);

describe('learned search vocabulary', () => {
  it('turns an opened result into a suggestion; once approved, the word finds the page', async () => {
    const { reader, maintainer } = await start();
    expect(paths(await reader.post('/api/docs-search', { prompt: 'ejector' }))).toEqual([]);

    const searched = await reader.post('/api/docs-search', { prompt: 'ejector button' });
    expect(paths(searched)).toContain('guides/buttons.mdx');
    expect((await reader.post('/api/docs-search-opened', { query: 'ejector button', path: 'guides/buttons.mdx' })).body).toEqual({ recorded: true });
    // A page that is not indexed is not recorded.
    expect((await reader.post('/api/docs-search-opened', { query: 'ejector', path: 'nowhere.mdx' })).body).toEqual({ recorded: false });

    const listed = await maintainer.get('/api/maintainers/vocabulary');
    expect(listed.status).toBe(200);
    // "button" is on the page already: only the reader's own word is suggested.
    expect(listed.body.suggestions).toEqual([{ word: 'ejector', path: 'guides/buttons.mdx', count: 1, sources: ['open'], examples: ['ejector button'] }]);
    // Suggested is not approved: the ranking is unchanged.
    expect(paths(await reader.post('/api/docs-search', { prompt: 'ejector' }))).toEqual([]);

    const approved = await maintainer.post('/api/maintainers/vocabulary', { word: 'Ejector', path: 'guides/buttons.mdx', status: 'approved' });
    expect(approved.body).toEqual({ word: 'ejector', path: 'guides/buttons.mdx', status: 'approved' });
    expect(paths(await reader.post('/api/docs-search', { prompt: 'ejector' }))[0]).toBe('guides/buttons.mdx');
    expect(paths(await reader.post('/api/docs-search', { prompt: 'ejectors' }))[0]).toBe('guides/buttons.mdx');
    const after = await maintainer.get('/api/maintainers/vocabulary');
    expect(after.body.suggestions).toEqual([]);
    expect(after.body.approved).toEqual([expect.objectContaining({ word: 'ejector', path: 'guides/buttons.mdx', status: 'approved' })]);

    // Withdrawn: the word no longer finds the page, and is suggested again.
    await maintainer.post('/api/maintainers/vocabulary', { word: 'ejector', path: 'guides/buttons.mdx', status: null });
    expect(paths(await reader.post('/api/docs-search', { prompt: 'ejector' }))).toEqual([]);
    expect((await maintainer.get('/api/maintainers/vocabulary')).body.suggestions).toHaveLength(1);
  });

  it('suggests the words of a question whose answer was voted up, for the pages the answer cites', async () => {
    const { reader, maintainer } = await start();
    const thread = (await reader.post('/api/paste-assistant-thread')).body as { id: string };
    await reader.post('/api/paste-assistant-message', { threadId: thread.id, message: 'Where do I get the bot credential for Slack?' });
    const messages = (await reader.get(`/api/paste-assistant-messages/${thread.id}?order=asc`)).body as {
      data: { id: string; role: string; content: { text: { annotations: { url: string }[] } }[] }[];
    };
    const answer = messages.data.find((message) => message.role === 'assistant')!;
    expect(answer.content[0]!.text.annotations.map((annotation) => annotation.url).join(' ')).toContain('/docs/guides/slack');
    expect((await maintainer.get('/api/maintainers/vocabulary')).body.suggestions).toEqual([]);

    expect((await reader.post('/api/paste-assistant-message-vote', { threadId: thread.id, messageId: answer.id, vote: 'up' })).status).toBe(200);
    const suggestions = (await maintainer.get('/api/maintainers/vocabulary')).body.suggestions as { word: string; path: string; sources: string[] }[];
    expect(suggestions).toContainEqual(expect.objectContaining({ word: 'credential', path: 'guides/slack.mdx', sources: ['vote'] }));
    expect(suggestions.map((item) => item.word)).not.toContain('slack');

    await maintainer.post('/api/maintainers/vocabulary', { word: 'credential', path: 'guides/slack.mdx', status: 'approved' });
    expect(paths(await reader.post('/api/docs-search', { prompt: 'credential' }))[0]).toBe('guides/slack.mdx');
  });

  it('counts readers, not requests: sixty posts without a cookie from one address are one reader; sessions are readers; an address is capped', async () => {
    const { reader, maintainer } = await start();
    const url = server!.url;
    const opened = async (query: string, cookie?: string) => {
      const response = await fetch(`${url}/api/docs-search-opened`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
        body: JSON.stringify({ query, path: 'guides/buttons.mdx' }),
      });
      return ((await response.json()) as { recorded: boolean }).recorded;
    };
    const outcomes: boolean[] = [];
    for (let index = 0; index < 60; index += 1) outcomes.push(await opened('ejector button'));
    // The first counts; the others are the same reader (the address, without a session) on the same page.
    expect(outcomes.filter(Boolean)).toHaveLength(1);
    const suggestion = () =>
      maintainer.get('/api/maintainers/vocabulary').then((listed) => (listed.body.suggestions as { word: string; count: number }[]).find((item) => item.word === 'ejector'));
    expect(await suggestion()).toMatchObject({ count: 1 });

    // Two readers with sessions of their own are two more.
    for (const client of [reader, createClient(url)]) {
      await client.get('/api/paste-assistant-thread');
      expect(await opened('ejector please', client.cookie)).toBe(true);
    }
    expect(await suggestion()).toMatchObject({ count: 3 });

    // Neither the session nor the address is stored, only a keyed hash of either.
    const readers = (await querySql<{ reader: string }>(app!.db, 'select reader from docs_feedback')).rows.map((row) => row.reader);
    expect(new Set(readers).size).toBe(3);
    for (const value of readers) expect(value).toMatch(/^[A-Za-z0-9_-]{32}$/);
    for (const value of readers) expect(value).not.toContain('127.0.0.1');

    // However many sessions one address holds, it gives at most OPENED_PER_HOUR an hour.
    let recorded = 3;
    for (let index = 0; index < OPENED_PER_HOUR; index += 1) {
      const client = createClient(url);
      await client.get('/api/paste-assistant-thread');
      if (await opened('ejector again', client.cookie)) recorded += 1;
    }
    expect(recorded).toBe(OPENED_PER_HOUR);
  });

  it('is for maintainers only, and validates decisions', async () => {
    const { reader, maintainer } = await start();
    expectError(await reader.get('/api/maintainers/vocabulary'), 401, 'unauthorized');
    expectError(await reader.post('/api/maintainers/vocabulary', { word: 'x1', path: 'guides/buttons.mdx', status: 'approved' }), 401, 'unauthorized');
    expectError(await maintainer.post('/api/maintainers/vocabulary', { word: 'ok', path: 'nowhere.mdx', status: 'approved' }), 404, 'not_found');
    expectError(await maintainer.post('/api/maintainers/vocabulary', { word: '<script>', path: 'guides/buttons.mdx', status: 'approved' }), 400, 'bad_request');
    expectError(await maintainer.post('/api/maintainers/vocabulary', { word: 'ok', path: 'guides/buttons.mdx', status: 'maybe' }), 400, 'bad_request');
    expectError(await reader.post('/api/docs-search-opened', { query: '', path: 'guides/buttons.mdx' }), 400, 'bad_request');
  });
});
