import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '@/lib/config';
import { publishedPath, publishedUrl } from '@/lib/docs/folder/published';

// Where the docs come from: DOCS_DIR, DOCS_CRAWL_URL or both, and where a folder's pages are published.

describe('docs sources in the config', () => {
  it('only DOCS_CRAWL_URL: the crawled site alone; with DOCS_DIR too: both; neither: this site\'s folder', () => {
    const crawlOnly = parseConfig({ DOCS_CRAWL_URL: 'https://docs.example.com/, https://other.example/sitemap.xml' });
    expect(crawlOnly.docsSources).toMatchObject({
      isDirIndexed: false,
      crawl: { urls: ['https://docs.example.com/', 'https://other.example/sitemap.xml'], intervalMinutes: 60, concurrency: 4 },
    });
    expect(parseConfig({ DOCS_CRAWL_URL: 'https://docs.example.com/', DOCS_DIR: 'content/docs' }).docsSources.isDirIndexed).toBe(true);
    expect(parseConfig({}).docsSources).toEqual({ isDirIndexed: true, published: null, crawl: null, github: null, openapi: null, code: null, reindexToken: null });
    expect(parseConfig({ DOCS_CRAWL_URL: 'https://docs.example.com/', DOCS_CRAWL_INTERVAL_MINUTES: '15' }).docsSources.crawl?.intervalMinutes).toBe(15);
  });

  it('refuses a crawl URL that is not http(s), and a base URL that is not a URL', () => {
    expect(() => parseConfig({ DOCS_CRAWL_URL: 'file:///etc/passwd' })).toThrow(ConfigError);
    expect(() => parseConfig({ DOCS_BASE_URL: 'docs.example.com' })).toThrow(ConfigError);
    expect(parseConfig({ DOCS_BASE_URL: 'https://docs.example.com', DOCS_URL_SUFFIX: '/' }).docsSources.published).toEqual({ baseUrl: 'https://docs.example.com', suffix: '/' });
  });
});

describe('OpenAPI specs and the re-index token in the config', () => {
  it('reads DOCS_OPENAPI as paths (resolved) and URLs, with its defaults, and the token', () => {
    const config = parseConfig({ DOCS_OPENAPI: 'specs/api.yaml, https://api.example.com/openapi.json', DOCS_REINDEX_TOKEN: 'a-token-of-16-chars' }, '/srv/site');
    expect(config.docsSources.openapi).toEqual({
      specs: ['/srv/site/specs/api.yaml', 'https://api.example.com/openapi.json'],
      baseUrl: null,
      intervalMinutes: 60,
      maxBytes: 20_000_000,
      timeoutMs: 15_000,
    });
    expect(config.docsSources.reindexToken).toBe('a-token-of-16-chars');
    expect(parseConfig({ DOCS_OPENAPI: 'a.json', DOCS_OPENAPI_BASE_URL: 'https://docs.example.com/{spec}/' }).docsSources.openapi?.baseUrl).toBe('https://docs.example.com/{spec}');
  });

  it('refuses a base URL without specs, a spec URL that is not http(s), a short token, one line each', () => {
    expect(() => parseConfig({ DOCS_OPENAPI_BASE_URL: 'https://docs.example.com/api' })).toThrow('DOCS_OPENAPI_BASE_URL is set but DOCS_OPENAPI is missing');
    expect(() => parseConfig({ DOCS_OPENAPI: 'ftp://example.com/api.json' })).toThrow('DOCS_OPENAPI: ftp://example.com/api.json is neither a file path nor an http(s) URL');
    expect(() => parseConfig({ DOCS_OPENAPI: 'a.json', DOCS_OPENAPI_BASE_URL: 'docs.example.com' })).toThrow('DOCS_OPENAPI_BASE_URL must be an http(s) URL');
    expect(() => parseConfig({ DOCS_REINDEX_TOKEN: 'short' })).toThrow('DOCS_REINDEX_TOKEN must be at least 16 characters');
  });
});

describe('published URLs of a framework folder', () => {
  it('follows the frameworks: index/README, number prefixes, id, slug', () => {
    expect(publishedPath('index.md')).toBe('');
    expect(publishedPath('guides/README.md')).toBe('guides');
    expect(publishedPath('01-basics/02-install.mdx')).toBe('basics/install');
    expect(publishedPath('guides/intro.md', { id: 'welcome' })).toBe('guides/welcome');
    expect(publishedPath('guides/intro.md', { slug: 'start-here' })).toBe('guides/start-here');
    expect(publishedPath('guides/intro.md', { slug: '/start/' })).toBe('start');
    expect(publishedUrl({ baseUrl: 'https://a.example/docs/', suffix: '.html' }, 'guides/intro.md')).toBe('https://a.example/docs/guides/intro.html');
    expect(publishedUrl({ baseUrl: 'https://a.example', suffix: '/' }, 'index.md')).toBe('https://a.example/');
    expect(path.posix.basename(publishedUrl({ baseUrl: 'https://a.example', suffix: '' }, 'a b.md'))).toBe('a%20b');
  });
});
