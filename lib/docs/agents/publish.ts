import { z } from 'zod';
import { AppError } from '../../errors';
import type { TTextResult } from '../../http';
import { getLlmsFullTxt, getLlmsTxt } from './llms';
import { etagOf, findDocPath, getMarkdownPage } from './markdown';
import type { TReaderAccess } from '../../audiences';
import { isFolderPagePublic, isFolderPageReadable, isPublicFolderNav, type TFolderRules } from '../gate/folder-nav';

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

type TDocsPublishConfig = { docsDir: string; siteUrl: string; docsSources: TFolderRules };

/**
 * A page's markdown twin. A page of an audience (lib/audiences) is served only to a reader who may read it, never to a
 * shared cache (`private, no-store`); to anyone else it is the 404 of a page that does not exist.
 */
export function serveDocMarkdown({
  config,
  slug,
  ifNoneMatch,
  access,
}: {
  config: TDocsPublishConfig;
  slug: string;
  ifNoneMatch?: string;
  /** Who reads (lib/audiences/access.ts): a page they may not read is a 404, as a missing one. */
  access: TReaderAccess;
}): TTextResult {
  const relativePath = findDocPath(config.docsDir, slug);
  if (!relativePath || !isFolderPageReadable({ docsDir: config.docsDir, rules: config.docsSources, relativePath, access })) throw new AppError('not_found', `There is no docs page at /docs${slug ? `/${slug}` : ''}.`);
  const page = getMarkdownPage({ docsDir: config.docsDir, relativePath, siteUrl: config.siteUrl });
  const served = revalidated({ text: page.markdown, etag: etagOf(page.markdown), contentType: MARKDOWN_TYPE, ifNoneMatch, headers: { Link: `<${config.siteUrl}${page.href}>; rel="canonical"` } });
  return isFolderPagePublic(config.docsDir, config.docsSources, relativePath) ? served : { ...served, headers: { ...served.headers, 'Cache-Control': 'private, no-store' } };
}

/**
 * /llms.txt and /llms-full.txt as the caller may read them (lib/docs/agents/llms.ts). What holds only public pages is
 * everyone's (`public, no-cache`); what holds a page of an audience is the caller's own (`private, no-store`), never in a
 * shared cache. Either varies by the caller's credentials (`Vary: Cookie, Authorization`), so that a shared cache never
 * hands one caller's answer to another.
 */
export function serveLlmsTxt({
  config,
  isFull,
  ifNoneMatch,
  access,
}: {
  config: TDocsPublishConfig;
  isFull: boolean;
  ifNoneMatch?: string;
  access: TReaderAccess;
}): TTextResult {
  const { text, etag } = (isFull ? getLlmsFullTxt : getLlmsTxt)({ docsDir: config.docsDir, rules: config.docsSources, siteUrl: config.siteUrl, access });
  const served = revalidated({ text, etag, contentType: PLAIN_TYPE, ifNoneMatch, headers: { Vary: 'Cookie, Authorization' } });
  return isPublicFolderNav({ docsDir: config.docsDir, rules: config.docsSources, access }) ? served : { ...served, headers: { ...served.headers, 'Cache-Control': 'private, no-store' } };
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
