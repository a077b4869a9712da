import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { getDocPageSlugs } from '@/lib/docs/folder/load';
import { resolveDocHref, SITE_ROUTE_SEGMENTS } from '@/lib/docs/site/links';
import { renderDoc } from '@/lib/docs/site/render';
import { blockHrefs, countRenderedLinks, countTwinLinks } from '../helpers/doc-links';

const CONTENT_DOCS = path.resolve(import.meta.dirname, '../../content/docs');
const PAGES_DIR = path.resolve(import.meta.dirname, '../../pages');
const PUBLIC_DIR = path.resolve(import.meta.dirname, '../../public');
const NEXT_CONFIG = path.resolve(import.meta.dirname, '../../next.config.mjs');

const pageSlugs = new Set(['', 'components/select', 'components/select/api', 'components/button', 'components/popover', 'assistant', 'guides/setup']);
const resolve = (href: string, pagePath = 'components/select/index.mdx') => resolveDocHref({ href, pagePath, pageSlugs });

describe('resolveDocHref: a docs page link as this site serves it', () => {
  it('points a root-relative link that names a page of the docs at /docs, keeping its anchor and query', () => {
    expect(resolve('/components/button')).toBe('/docs/components/button');
    expect(resolve('/components/select#props')).toBe('/docs/components/select#props');
    expect(resolve('/components/select/api?tab=props#size')).toBe('/docs/components/select/api?tab=props#size');
    expect(resolve('/components/button/')).toBe('/docs/components/button');
  });

  it('leaves a root-relative link that names no page as written (no guessing)', () => {
    expect(resolve('/components/form')).toBe('/components/form');
    expect(resolve('/components/form#errors')).toBe('/components/form#errors');
    expect(resolve('/Components/Button')).toBe('/Components/Button');
    expect(resolve('/')).toBe('/');
  });

  it('leaves /docs links, the site’s own routes, absolute URLs and other schemes alone', () => {
    for (const href of [
      '/docs/components/button',
      '/docs/components/nope',
      '/docs',
      '/docs/components/button.md',
      '/api/health',
      '/assistant',
      '/maintainers',
      '/mcp',
      '/llms.txt',
      '/llms-full.txt',
      '/v1/threads',
      'https://paste.twilio.design/components/button',
      'http://example.com/components/button',
      '//cdn.example.com/components/button',
      'mailto:paste@twilio.com',
      'tel:+15555550100',
      '#props',
      '?tab=1',
      '',
    ]) {
      expect(resolve(href), href).toBe(href);
    }
  });

  it('resolves relative links against the page’s file where its URL would miss the page', () => {
    // components/select/index.mdx is served at /docs/components/select: a browser reads `./api` as
    // /docs/components/api, the file beside it is components/select/api.mdx.
    expect(resolve('./api')).toBe('/docs/components/select/api');
    expect(resolve('api#size')).toBe('/docs/components/select/api#size');
    expect(resolve('../button')).toBe('/docs/components/button');
    // The docs index is served at /docs: a browser reads `guides/setup` as /guides/setup.
    expect(resolve('guides/setup', 'index.mdx')).toBe('/docs/guides/setup');
    // Written without its leading slash on a page of another folder.
    expect(resolve('components/popover', 'blog/2023-04-13-newsletter.mdx')).toBe('/docs/components/popover');
  });

  it('leaves a relative link as written when the browser already reads it as a page, or when it names none', () => {
    // components/select/api.mdx is served at /docs/components/select/api: `../button` is /docs/components/button.
    expect(resolve('../button#a', 'components/select/api.mdx')).toBe('../button#a');
    expect(resolve('./select', 'components/button/index.mdx')).toBe('./select');
    expect(resolve('../nope')).toBe('../nope');
    expect(resolve('./nope#x')).toBe('./nope#x');
    expect(resolve('../../../../etc/passwd')).toBe('../../../../etc/passwd');
  });
});

describe('JSX link components in a page', () => {
  it('render as links, resolved like markdown links, whether inline or alone on their line', () => {
    const source = [
      '# Select',
      '',
      'Pair it with a <Anchor href="/components/button">Button</Anchor> or <a href="https://example.com/x">this</a>.',
      '',
      '<Anchor href="/guides/setup#start">Set it up</Anchor>',
      '',
      '<Box href="/components/button">A box is not a link</Box>',
    ].join('\n');
    const doc = renderDoc({ source, path: 'components/select/index.mdx', pageSlugs });
    expect(blockHrefs(doc.blocks)).toEqual(['/docs/components/button', 'https://example.com/x', '/docs/guides/setup#start']);
    expect(JSON.stringify(doc.blocks)).toContain('A box is not a link');
  });
});

describe('the site routes a docs link is never pointed away from', () => {
  it('are every top-level page, public file and rewrite of the site', async () => {
    const pageTops = readdirSync(PAGES_DIR)
      .map((name) => name.replace(/\.tsx?$/, ''))
      .filter((name) => !name.startsWith('_') && name !== 'index');
    const { default: nextConfig } = (await import(/* @vite-ignore */ NEXT_CONFIG)) as { default: { rewrites: () => Promise<{ source: string }[]> } };
    const rewrites = await nextConfig.rewrites();
    const rewriteTops = rewrites.map((rewrite) => rewrite.source.split('/')[1] ?? '');
    const tops = [...new Set([...pageTops, ...readdirSync(PUBLIC_DIR), ...rewriteTops])].filter((top) => !SITE_ROUTE_SEGMENTS.has(top));
    expect(tops).toEqual([]);
  });
});

describe('content/docs: every link lands on a page or a site route', () => {
  it('on the pages, in their twins and in llms-full.txt', () => {
    const slugs = getDocPageSlugs(CONTENT_DOCS);
    const rendered = countRenderedLinks(CONTENT_DOCS, slugs);
    expect(rendered.internal).toBeGreaterThan(30);
    expect(rendered.unresolved).toEqual([]);
    // They were written as /docs links: resolving them changes nothing.
    expect(countRenderedLinks(CONTENT_DOCS, new Set())).toEqual(rendered);
    const twins = countTwinLinks(CONTENT_DOCS);
    expect(twins).toMatchObject({ internal: rendered.internal, unresolved: [] });
  });
});
