import { describe, expect, it } from 'vitest';
import { markdownUrl } from '@/lib/docs/agents/markdown';
import { resolveDocPage } from '@/lib/mcp/pages';
import { mcpServerName } from '@/lib/mcp/identity';
import { markdownHref } from '@/lib/shared/page-actions';
import { FIXTURE_DOCS_DIR } from '../helpers/app';

const SITE = 'https://docs.example.test';
const resolve = (target: { url?: string; path?: string }, requestOrigin?: string) =>
  resolveDocPage({ docsDir: FIXTURE_DOCS_DIR, siteUrl: SITE, requestOrigin, target });

describe('get_page: which page an agent means', () => {
  it('reads URLs as search_docs returns them, with or without .md, an anchor or a query', () => {
    expect(resolve({ url: `${SITE}/docs/guides/slack#creating-a-bot-token` })).toBe('guides/slack.mdx');
    expect(resolve({ url: `${SITE}/docs/guides/slack.md` })).toBe('guides/slack.mdx');
    expect(resolve({ url: `${SITE}/docs/guides/slack/?utm=x` })).toBe('guides/slack.mdx');
    expect(resolve({ url: '/docs/reference' })).toBe('reference.md');
    expect(resolve({ url: `${SITE}/docs` })).toBe('index.mdx');
    expect(resolve({ url: `${SITE}/docs.md` })).toBe('index.mdx');
  });

  it('reads paths as slugs or file names', () => {
    expect(resolve({ path: 'guides/slack' })).toBe('guides/slack.mdx');
    expect(resolve({ path: '/docs/guides/slack/' })).toBe('guides/slack.mdx');
    expect(resolve({ path: 'guides/slack.mdx' })).toBe('guides/slack.mdx');
    expect(resolve({ path: 'guides/slack.md' })).toBe('guides/slack.mdx');
    expect(resolve({ path: 'reference.md' })).toBe('reference.md');
    expect(resolve({ path: '' })).toBe('index.mdx');
  });

  it('finds nothing outside the docs: other sites, other paths, climbing out, pages that do not exist', () => {
    expect(resolve({ url: 'https://elsewhere.example/docs/guides/slack' })).toBeNull();
    expect(resolve({ url: `${SITE}/api/health` })).toBeNull();
    expect(resolve({ url: `${SITE}/docs/guides/../../package.json` })).toBeNull();
    expect(resolve({ url: `${SITE}/docs/%E0%A4%A` })).toBeNull();
    expect(resolve({ path: '../package.json' })).toBeNull();
    expect(resolve({ path: 'guides/../../package.json' })).toBeNull();
    expect(resolve({ path: 'guides/nothing' })).toBeNull();
    expect(resolve({ url: 'not a url at all' })).toBeNull();
  });

  it('accepts the origin the request came to as this site', () => {
    expect(resolve({ url: 'http://127.0.0.1:3000/docs/guides/slack' }, 'http://127.0.0.1:3000')).toBe('guides/slack.mdx');
    expect(resolve({ url: 'http://127.0.0.1:3000/docs/guides/slack' })).toBeNull();
  });
});

describe('names and links', () => {
  it('names the server in reverse DNS from SITE_URL', () => {
    expect(mcpServerName('https://docs.example.com')).toBe('com.example.docs/docs');
    expect(mcpServerName('http://localhost:3000')).toBe('localhost/docs');
    expect(mcpServerName('http://127.0.0.1:8080')).toBe('127.0.0.1/docs');
    for (const site of ['https://docs.example.com', 'http://localhost:3000', 'http://[::1]:3000']) expect(mcpServerName(site)).toMatch(/^[a-zA-Z0-9.-]+\/[a-zA-Z0-9._-]+$/);
  });

  it('links each page to its twin, the index included', () => {
    expect(markdownHref('/docs')).toBe('/docs.md');
    expect(markdownHref('/docs/guides/slack#anchor')).toBe('/docs/guides/slack.md');
    expect(markdownUrl(SITE, '/docs/guides/slack')).toBe(`${SITE}/docs/guides/slack.md`);
  });
});
