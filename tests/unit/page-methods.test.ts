import { describe, expect, it } from 'vitest';
import { PAGE_PATH, pageMethodNotAllowed } from '@/lib/page-methods';
import { config } from '../../proxy';

// The guard that answers TRACE on pages covers the paths proxy.ts runs on, no more, no fewer.
describe('the paths of pages', () => {
  it('are the paths of the proxy matcher', () => {
    const matcher = config.matcher.map((source) => new RegExp(`^${source.replace(/\/:path\*$/, '(?:/.*)?')}$`));
    const samples = ['/', '/docs', '/docs/', '/docs/guides/slack', '/docs/index.md', '/assistant', '/embed', '/maintainers', '/maintainers/threads/thread_1'];
    const others = ['/api/health', '/v1/assistants', '/widget.js', '/llms.txt', '/mcp', '/assistant/x', '/embedded', '/docsx', '/_next/static/a.js', '/nonexistent'];
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
