import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TApp } from '@/lib/app';
import { runToolCall } from '@/lib/assistant/tools';
import { createTestApp } from '../helpers/app';
import { expectError } from '../helpers/contract';
import { toolCall } from '../helpers/models';
import { createClient, startTestServer, type TTestServer } from '../helpers/server';
import { PUBLIC_ACCESS } from '@/lib/audiences';

// What a reader's search box and follow-up questions get from the server, over real HTTP on the fixture docs:
// short typos corrected (and said so), words being typed left alone, follow-ups from the sections next to an
// answer's sources, and a question about a page searching that page first.

let app: TApp;
let server: TTestServer;

beforeAll(async () => {
  app = await createTestApp();
  server = await startTestServer(app);
});

afterAll(async () => {
  await server.close();
  await app.db.close();
});

const search = (prompt: string) => createClient(server.url).post('/api/docs-search', { prompt, limit: 3 });

describe('search box typo tolerance', () => {
  it('corrects a short typo ("slak") and says which query it searched', async () => {
    const typo = await search('slak');
    expect(typo.status).toBe(200);
    expect(typo.body.corrected).toBe('slack');
    expect(typo.body.data.length).toBeGreaterThan(0);
    expect(typo.body.data[0].url).toMatch(/^\/docs\/guides\/slack/);
    const exact = await search('slack');
    expect(exact.body.corrected).toBeUndefined();
    expect(typo.body.data.map((hit: any) => hit.url)).toEqual(exact.body.data.map((hit: any) => hit.url));
  });

  it('corrects a typo within a longer query and leaves known words and words being typed alone', async () => {
    const typo = await search('choosing the chanel');
    expect(typo.body.corrected).toBe('choosing the channel');
    expect(typo.body.data[0].url).toBe('/docs/guides/slack#choosing-the-channel');
    // Shown back in the reader's own capitals.
    expect((await search('Choosing the Chanel for SLACK')).body.corrected).toBe('Choosing the Channel for SLACK');
    // "cha" starts a docs word: the reader is still typing it.
    expect((await search('cha')).body.corrected).toBeUndefined();
  });

  it('leaves a plain English word and an acronym alone, though a docs word is one edit away', async () => {
    // "slick" and "black" are one letter from the docs' "slack", but they are words, not typos of it.
    for (const prompt of ['slick', 'black channel', 'SLAK channel']) {
      const response = await search(prompt);
      expect(response.status).toBe(200);
      expect(response.body.corrected, prompt).toBeUndefined();
    }
    // The same letters typed in lower case are a typo.
    expect((await search('slak channel')).body.corrected).toBe('slack channel');
    // Corrected where it is written in lower case; the same letters in capitals elsewhere stay an acronym.
    expect((await search('slak channel for SLAK')).body.corrected).toBe('slack channel for SLAK');
  });

  it('answers as before when nothing is one edit away', async () => {
    const response = await search('zzqx');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ data: [] });
  });
});

describe('follow-up questions', () => {
  it('suggests the sections next to the cited one, not the cited one itself', async () => {
    const response = await createClient(server.url).post('/api/docs-follow-ups', { sources: ['/docs/guides/slack#creating-a-bot-token'] });
    expect(response.status).toBe(200);
    const urls = response.body.data.map((followUp: any) => followUp.url);
    expect(urls[0]).toBe('/docs/guides/slack#choosing-the-channel');
    expect(urls).not.toContain('/docs/guides/slack#creating-a-bot-token');
    expect(response.body.data[0].question).toMatch(/Choosing the channel/);
  });

  it('ignores unknown pages and refuses what is not a docs URL', async () => {
    const unknown = await createClient(server.url).post('/api/docs-follow-ups', { sources: ['/docs/nope#x'] });
    expect(unknown.body).toEqual({ data: [] });
    expectError(await createClient(server.url).post('/api/docs-follow-ups', { sources: ['https://evil.example/docs'] }), 400, 'bad_request');
    expectError(await createClient(server.url).post('/api/docs-follow-ups', { sources: [] }), 400, 'bad_request');
  });
});

describe('a question about a page', () => {
  it('puts that page\'s matching sections first in the search the model gets', async () => {
    const call = { id: 'call_1', type: 'function' as const, function: { name: toolCall('x').name, arguments: JSON.stringify({ prompt: 'copy the token or messages' }) } };
    const plain = JSON.parse(await runToolCall({ access: PUBLIC_ACCESS, deps: app, call }));
    const onPage = JSON.parse(await runToolCall({ access: PUBLIC_ACCESS, deps: app, call, page: '/docs/reference' }));
    expect(plain.results.length).toBeGreaterThan(1);
    expect(onPage.results[0].url.split('#')[0]).toBe('/docs/reference');
    expect(plain.results[0].url.split('#')[0]).not.toBe('/docs/reference');
  });

  it('the message route takes the page and refuses one that is not a docs path', async () => {
    const reader = createClient(server.url);
    const threadId = (await reader.post('/api/paste-assistant-thread')).body.id;
    expectError(await reader.post('/api/paste-assistant-message', { threadId, message: 'Hi', context: { page: 'https://x.test/' } }), 400, 'bad_request');
    const sent = await reader.post('/api/paste-assistant-message', { threadId, message: 'What are the limits?', context: { page: '/docs/reference' } });
    expect(sent.status).toBe(200);
    expect(sent.body.run.metadata).toMatchObject({ page: '/docs/reference' });
    const [question] = (await reader.get(`/api/paste-assistant-messages/${threadId}`)).body.data;
    expect(question.metadata).toMatchObject({ page: '/docs/reference' });
  });
});
