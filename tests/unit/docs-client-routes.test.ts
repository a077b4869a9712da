import { describe, expect, it } from 'vitest';
import { interpolateRoute, pageDataUrl, pageForPath, routeParams } from '@/components/docs/client/routes';
import { docsClientData } from '@/lib/docs/site/docs-client';

// The docs pages' own client goes to another page in place only when the docs page serves it
// (components/docs/client/routes.ts): which page serves a path must agree with Next's matching.

// This site's pages as `next build` lists them, in the order pages/_document.tsx hands them over (Next's own sort).
const SORTED_PAGES = docsClientData({
  buildId: 'b1',
  page: '/docs/[[...slug]]',
  query: {},
  pageProps: {},
  pages: ['/_app', '/_error', '/docs/[[...slug]]', '/', '/404', '/assistant', '/docs/answers/[id]', '/docs/reference', '/docs/reference/[spec]', '/embed', '/maintainers', '/maintainers/threads/[tid]', '/shared/[id]'],
}).sortedPages;

describe('pageForPath', () => {
  it('gives a docs path to the docs page, and the paths of other pages to them', () => {
    expect(pageForPath(SORTED_PAGES, '/docs')).toBe('/docs/[[...slug]]');
    expect(pageForPath(SORTED_PAGES, '/docs/')).toBe('/docs/[[...slug]]');
    expect(pageForPath(SORTED_PAGES, '/docs/guides/slack')).toBe('/docs/[[...slug]]');
    expect(pageForPath(SORTED_PAGES, '/docs/reference')).toBe('/docs/reference');
    expect(pageForPath(SORTED_PAGES, '/docs/reference/messaging')).toBe('/docs/reference/[spec]');
    expect(pageForPath(SORTED_PAGES, '/docs/answers/abc')).toBe('/docs/answers/[id]');
    // Deeper than the answers page's one parameter: the docs page's catch-all.
    expect(pageForPath(SORTED_PAGES, '/docs/answers/abc/def')).toBe('/docs/[[...slug]]');
    expect(pageForPath(SORTED_PAGES, '/assistant')).toBe('/assistant');
    expect(pageForPath(SORTED_PAGES, '/shared/t1')).toBe('/shared/[id]');
    expect(pageForPath(SORTED_PAGES, '/elsewhere')).toBeNull();
  });

  it('is handed the pages in the order Next matches them, without its internals', () => {
    expect(SORTED_PAGES.indexOf('/docs/reference')).toBeLessThan(SORTED_PAGES.indexOf('/docs/[[...slug]]'));
    expect(SORTED_PAGES.indexOf('/docs/answers/[id]')).toBeLessThan(SORTED_PAGES.indexOf('/docs/[[...slug]]'));
    expect(SORTED_PAGES.some((page) => page.startsWith('/_'))).toBe(false);
  });

  it('never matches API routes or Next internals', () => {
    expect(pageForPath(['/api/[...all]', '/_error', '/docs/[[...slug]]'], '/api/health')).toBeNull();
    expect(pageForPath(['/_error'], '/_error')).toBeNull();
  });

  it('takes a route name literally where it has characters a pattern would read', () => {
    expect(pageForPath(['/a.b'], '/a.b')).toBe('/a.b');
    expect(pageForPath(['/a.b'], '/axb')).toBeNull();
  });
});

describe('routeParams', () => {
  it('reads a catch-all as the list of segments, decoded, and an empty one as absent', () => {
    expect(routeParams('/docs/[[...slug]]', '/docs/guides/slack')).toEqual({ slug: ['guides', 'slack'] });
    expect(routeParams('/docs/[[...slug]]', '/docs/caf%C3%A9')).toEqual({ slug: ['café'] });
    expect(routeParams('/docs/[[...slug]]', '/docs')).toEqual({});
    expect(routeParams('/shared/[id]', '/shared/t1')).toEqual({ id: 't1' });
    expect(routeParams('/shared/[id]', '/docs/x')).toBeNull();
  });
});

describe('interpolateRoute', () => {
  it('fills a route with its parameters, as next/router does for {pathname: router.pathname, query}', () => {
    expect(interpolateRoute('/docs/[[...slug]]', { slug: ['guides', 'slack'], q: 'x' })).toEqual({ path: '/docs/guides/slack', used: ['slug'] });
    expect(interpolateRoute('/docs/[[...slug]]', {})).toEqual({ path: '/docs', used: ['slug'] });
    expect(interpolateRoute('/shared/[id]', { id: 'a b' })).toEqual({ path: '/shared/a%20b', used: ['id'] });
    expect(interpolateRoute('/docs/guides', { q: 'x' })).toEqual({ path: '/docs/guides', used: [] });
    expect(interpolateRoute('/', {})).toEqual({ path: '/', used: [] });
  });
});

describe('pageDataUrl', () => {
  it("names Next's data file of a static page", () => {
    expect(pageDataUrl('b1', '/docs/guides/slack')).toBe('/_next/data/b1/docs/guides/slack.json');
    expect(pageDataUrl('b1', '/docs/')).toBe('/_next/data/b1/docs.json');
    expect(pageDataUrl('b1', '/')).toBe('/_next/data/b1/index.json');
  });
});
