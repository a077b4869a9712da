import { listDocFiles, slugFromPath } from '../docs/folder/load';

// Which docs page an agent means. get_page takes a URL (absolute or a path, with or without `.md`, an anchor
// or a query) or a path (a slug like `guides/slack`, or the file `guides/slack.mdx`). Only pages of DOCS_DIR
// are ever read: the answer is a path from listDocFiles, never a path built from the input.

export type TPageTarget = { url?: string; path?: string };

/** The page's file relative to DOCS_DIR, or null when no page matches. */
export function resolveDocPage({
  docsDir,
  siteUrl,
  requestOrigin,
  target,
}: {
  docsDir: string;
  siteUrl: string;
  /** The origin the request was sent to (its Host), when it is not SITE_URL's: its URLs are this site's too. */
  requestOrigin?: string;
  target: TPageTarget;
}): string | null {
  const candidate = target.url !== undefined ? slugFromUrl(target.url, siteUrl, requestOrigin) : pathFromInput(target.path ?? '');
  if (candidate === null) return null;
  const files = listDocFiles(docsDir);
  // A file name (`guides/slack.mdx`, or `SOURCE.md`) first, then a slug, then a slug given with the twin's `.md`.
  return (
    files.find((file) => file === candidate) ??
    files.find((file) => slugFromPath(file) === candidate) ??
    files.find((file) => slugFromPath(file) === candidate.replace(/\.md$/i, '')) ??
    null
  );
}

function slugFromUrl(input: string, siteUrl: string, requestOrigin: string | undefined): string | null {
  let url: URL;
  try {
    url = new URL(input.trim(), `${siteUrl}/`);
  } catch {
    return null;
  }
  // Another site's page is not one of ours, whatever its path.
  if (url.origin !== new URL(siteUrl).origin && url.origin !== requestOrigin) return null;
  let pathname: string;
  try {
    pathname = decodeURIComponent(url.pathname);
  } catch {
    return null;
  }
  pathname = pathname.replace(/\/+$/, '');
  if (pathname === '/docs' || pathname === '/docs.md') return '';
  if (!pathname.startsWith('/docs/')) return null;
  return pathname.slice('/docs/'.length);
}

function pathFromInput(input: string): string | null {
  const trimmed = input.trim().replace(/^\/+|\/+$/g, '');
  if (trimmed.split('/').some((segment) => segment === '..' || segment === '.')) return null;
  // `docs/guides/slack` is the page at /docs/guides/slack, as is `guides/slack`.
  return trimmed === 'docs' || trimmed === 'docs.md' ? '' : trimmed.replace(/^docs\//, '');
}
