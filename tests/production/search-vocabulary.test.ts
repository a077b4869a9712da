import { randomInt } from 'node:crypto';
import { describe, expect, inject, it } from 'vitest';
import { PRODUCTION_MAINTAINER_TOKEN } from './helpers/global-setup';
import { mainClient } from './helpers/tier';

// The learned search vocabulary under `next start`: a result opened from search suggests the reader's word to
// maintainers, the approval reaches the ranking at once, and the routes keep the error contract.

/** A word no docs page has, letters only (suggestions are words), unique to this run. */
const unknownWord = () => `zq${Array.from({ length: 8 }, () => String.fromCharCode(97 + randomInt(26))).join('')}`;

describe('learned search vocabulary', () => {
  it('suggests a word of an opened result to maintainers; approved, the word finds the page', async () => {
    const reader = mainClient();
    const maintainer = mainClient();
    const headers = { authorization: `Bearer ${PRODUCTION_MAINTAINER_TOKEN}` };
    const word = unknownWord();
    expect((await reader.post('/api/docs-search', { prompt: word })).body.data).toEqual([]);

    const query = `${word} slack bot token`;
    const [hit] = (await reader.post('/api/docs-search', { prompt: query })).body.data as { path: string }[];
    expect(hit).toBeDefined();
    expect((await reader.post('/api/docs-search-opened', { query, path: hit!.path })).body).toEqual({ recorded: true });

    expect((await reader.get('/api/maintainers/vocabulary')).status).toBe(401);
    const listed = await maintainer.get('/api/maintainers/vocabulary', headers);
    expect(listed.status).toBe(200);
    expect(listed.headers.get('cache-control')).toContain('no-store');
    expect(listed.body.suggestions).toContainEqual({ word, path: hit!.path, count: 1, sources: ['open'], examples: [query] });

    const approved = await maintainer.request('POST', '/api/maintainers/vocabulary', { json: { word, path: hit!.path, status: 'approved' }, headers });
    expect(approved.body).toEqual({ word, path: hit!.path, status: 'approved' });
    expect(((await reader.post('/api/docs-search', { prompt: word })).body.data as { path: string }[])[0]?.path).toBe(hit!.path);

    await maintainer.request('POST', '/api/maintainers/vocabulary', { json: { word, path: hit!.path, status: null }, headers });
    expect((await reader.post('/api/docs-search', { prompt: word })).body.data).toEqual([]);
  });

  it('counts readers, not requests: sixty posts without a cookie from one address put a word at count 1, not 60', async () => {
    const maintainer = mainClient();
    const headers = { authorization: `Bearer ${PRODUCTION_MAINTAINER_TOKEN}` };
    const word = unknownWord();
    const query = `${word} slack bot token`;
    const [hit] = (await mainClient().post('/api/docs-search', { prompt: query })).body.data as { path: string }[];
    expect(hit).toBeDefined();
    const recorded: boolean[] = [];
    for (let index = 0; index < 60; index += 1) {
      const response = await fetch(`${inject('mainUrl')}/api/docs-search-opened`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query, path: hit!.path }),
      });
      expect(response.status).toBe(200);
      recorded.push(((await response.json()) as { recorded: boolean }).recorded);
    }
    expect(recorded.filter(Boolean)).toHaveLength(1);
    const suggestions = (await maintainer.get('/api/maintainers/vocabulary', headers)).body.suggestions as { word: string; count: number }[];
    expect(suggestions.filter((suggestion) => suggestion.word === word)).toEqual([expect.objectContaining({ word, path: hit!.path, count: 1 })]);
  });

  it('answers bad input with the error contract', async () => {
    const reader = mainClient();
    const opened = await reader.post('/api/docs-search-opened', { query: 'x', path: 'a.mdx', extra: 1 });
    expect(opened.status).toBe(400);
    expect(opened.body).toEqual({ error: { code: 'bad_request', message: expect.any(String) } });
    expect((await reader.request('GET', '/api/docs-search-opened')).status).toBe(405);
  });
});
