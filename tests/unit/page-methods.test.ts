import { describe, expect, it } from 'vitest';
import { API_PATH, isUndecodablePath, undecodablePathRefusal } from '@/lib/http/api-paths';
import { PAGE_PATH, pageMethodNotAllowed } from '@/lib/http/page-methods';
import { config } from '../../proxy';

// The guard that answers TRACE on pages covers the paths proxy.ts runs on, no more, no fewer.
describe('the paths of pages', () => {
  it('are the paths of the proxy matcher', () => {
    // The API's entries (paths with a `%`, lib/http/api-paths.ts) are no pages.
    const pageSources = config.matcher.filter((source) => !API_PATH.test(source));
    const matcher = pageSources.map((source) => new RegExp(`^${source.replace(/\/:path\*$/, '(?:/.*)?')}$`));
    const samples = ['/', '/docs', '/docs/', '/docs/guides/slack', '/docs/index.md', '/assistant', '/embed', '/maintainers', '/maintainers/threads/thread_1', '/shared', '/shared/AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-ab'];
    const others = ['/api/health', '/v1/assistants', '/widget.js', '/llms.txt', '/mcp', '/assistant/x', '/embedded', '/docsx', '/_next/static/a.js', '/nonexistent', '/sharedx'];
    for (const path of [...samples, ...others]) {
      expect(PAGE_PATH.test(path), path).toBe(matcher.some((pattern) => pattern.test(path)));
    }
    expect(samples.every((path) => PAGE_PATH.test(path))).toBe(true);
  });

  it('refuse other methods with 405 and Allow, as the error body or, when HTML is asked for, a page', () => {
    const json = pageMethodNotAllowed({ method: 'TRACE', accept: '*/*' });
    expect(json).toMatchObject({ status: 405, headers: { Allow: 'GET, HEAD', 'Content-Type': expect.stringMatching(/^application\/json/) } });
    expect(JSON.parse(json.body)).toEqual({ error: { code: 'method_not_allowed', message: 'Method TRACE is not allowed here. Allowed: GET, HEAD.' } });
    const html = pageMethodNotAllowed({ method: 'POST', accept: 'text/html,application/xhtml+xml' });
    expect(html.headers['Content-Type']).toMatch(/^text\/html/);
    expect(html.body).toContain('405 Method Not Allowed');
  });
});

describe('the API paths the proxy checks', () => {
  it('are those under /api and /v1 with a `%`, and it refuses those that do not decode with the JSON error body', () => {
    const apiSources = config.matcher.filter((source) => API_PATH.test(source));
    expect(apiSources.sort()).toEqual(['/api/:path(.*%.*)', '/v1/:path(.*%.*)']);
    for (const path of ['/api/x/%ff', '/api/%', '/v1/threads/%E0%A4%A']) expect(isUndecodablePath(path), path).toBe(true);
    for (const path of ['/api/x/%20', '/api/%C3%A9', '/v1/threads']) expect(isUndecodablePath(path), path).toBe(false);
    const site = undecodablePathRefusal('/api/paste-assistant-messages/%ff');
    expect(site.status).toBe(400);
    expect(JSON.parse(site.body)).toEqual({ error: { code: 'bad_request', message: expect.stringContaining('percent-escape') } });
    expect(JSON.parse(undecodablePathRefusal('/v1/threads/%ff').body)).toEqual({
      error: { code: null, type: 'invalid_request_error', param: null, message: expect.stringContaining('percent-escape') },
    });
  });
});
