import { z } from 'zod';
import type { TConfig } from '../../config';
import { AppError } from '../../errors';
import type { TTextResult } from '../../http';
import { getLlmsFullTxt, getLlmsTxt } from './llms';
import { etagOf, findDocPath, getMarkdownPage } from './markdown';
import { canSee, PUBLIC_ACCESS, type TReaderAccess } from '../../audiences';
import { folderPageAudiences } from '../site/pages';

// The docs as plain text over HTTP: `<page>.md`, /llms.txt and /llms-full.txt. Each response carries an ETag
// of its text and `Cache-Control: public, no-cache`: any cache may keep it, and asks again (If-None-Match →
// 304) before using it, so a client holds a page until the page changes and never longer. The routes set no
// cookie (defineRoute's isSessionless), which is what makes a shared cache safe.

export const MARKDOWN_TYPE = 'text/markdown; charset=utf-8';
export const PLAIN_TYPE = 'text/plain; charset=utf-8';

/** `guides/slack` from the `.md` rewrite; '' (or nothing) for the docs index. Segments as URLs allow them. */
export const ZDocMarkdownQuery = z.object({
  path: z
    .union([z.string(), z.array(z.string()).transform((parts) => parts.join('/'))])
    .optional()
    .transform((value) => (value ?? '').replace(/^\/+|\/+$/g, ''))
    .refine((value) => value.length <= 512 && !value.split('/').some((segment) => segment === '..' || segment === '.'), 'path must be a docs page path'),
});

type TDocsPublishConfig = Pick<TConfig, 'docsDir' | 'siteUrl'>;

/**
 * A page's markdown twin. A page of an audience (lib/audiences) is served only to a reader who may read it, never to a
 * shared cache (`private, no-store`); to anyone else it is the 404 of a page that does not exist.
 */
export function serveDocMarkdown({
  config,
  slug,
  ifNoneMatch,
  access = PUBLIC_ACCESS,
}: {
  config: TDocsPublishConfig;
  slug: string;
  ifNoneMatch?: string;
  access?: TReaderAccess;
}): TTextResult {
  const relativePath = findDocPath(config.docsDir, slug);
  const audiences = relativePath ? folderPageAudiences(config.docsDir, relativePath) : [];
  if (!relativePath || !canSee(audiences, access)) throw new AppError('not_found', `There is no docs page at /docs${slug ? `/${slug}` : ''}.`);
  const page = getMarkdownPage({ docsDir: config.docsDir, relativePath, siteUrl: config.siteUrl });
  const served = revalidated({ text: page.markdown, etag: etagOf(page.markdown), contentType: MARKDOWN_TYPE, ifNoneMatch, headers: { Link: `<${config.siteUrl}${page.href}>; rel="canonical"` } });
  return audiences.length === 0 ? served : { ...served, headers: { ...served.headers, 'Cache-Control': 'private, no-store' } };
}

export function serveLlmsTxt({ config, isFull, ifNoneMatch }: { config: TDocsPublishConfig; isFull: boolean; ifNoneMatch?: string }): TTextResult {
  const { text, etag } = (isFull ? getLlmsFullTxt : getLlmsTxt)({ docsDir: config.docsDir, siteUrl: config.siteUrl });
  return revalidated({ text, etag, contentType: PLAIN_TYPE, ifNoneMatch });
}

export function revalidated({
  text,
  etag,
  contentType,
  ifNoneMatch,
  headers = {},
}: {
  text: string;
  etag: string;
  contentType: string;
  ifNoneMatch?: string;
  headers?: Record<string, string>;
}): TTextResult {
  const cacheHeaders = { ...headers, ETag: etag, 'Cache-Control': 'public, no-cache' };
  const isFresh = ifNoneMatch !== undefined && ifNoneMatch.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag || tag.trim() === '*');
  return isFresh ? { status: 304, text: '', contentType, headers: cacheHeaders } : { text, contentType, headers: cacheHeaders };
}
