import Link from 'next/link';
import { createContext, useContext, type ReactNode } from 'react';
import { Anchor } from '@twilio-paste/core/anchor';
import { css, styled } from '@twilio-paste/core/styling-library';
import { classifyLink, docsSearchQuery, EXTERNAL_LINK_REL, hostSearchHref, type TLinkTarget } from '@/lib/shared/links';

// Links written by the model are untrusted; what they become is decided by the one link policy in
// lib/shared/links.ts, resolved against the site the reader is on:
//   - in-site links (any path of this origin) navigate in the same tab with next/link, to the parsed path;
//   - other http(s) origins and mailto: open in a new tab, rel="noopener noreferrer nofollow", marked as external;
//   - anything else (javascript:, data:, unparseable…) is shown as plain text.

export type { TLinkTarget };

// Before hydration there is no window: links are judged against an origin nothing can name, so only relative
// links count as in-site, unless the page says which site it is (SiteUrl below).
const SERVER_RENDER_ORIGIN = 'https://site.invalid';

/**
 * The site's URL (SITE_URL), for a page rendered on the server (the shared conversation, pages/shared/[id].tsx):
 * an absolute link to the site is judged in-site on the server as it is in the browser, so the server's HTML is
 * what the browser would render. Null: the page's own origin.
 */
const SiteUrlContext = createContext<string | null>(null);
export const SiteUrl = SiteUrlContext.Provider;

/** The site links are judged against: the page's own origin in the browser. */
export function currentSiteUrl(): string {
  return typeof window === 'undefined' ? SERVER_RENDER_ORIGIN : window.location.origin;
}

export function classifyHref(raw: string, siteUrl: string = currentSiteUrl()): TLinkTarget {
  return classifyLink({ href: raw, siteUrl });
}

/**
 * In the embed frame (components/embed), in-site links lead out of the frame: absolute URLs opened in the top
 * window, where the reader's tab is, never inside the frame.
 */
const TopWindowLinksContext = createContext(false);
export const TopWindowLinks = TopWindowLinksContext.Provider;

/**
 * In the embed, the host's own search (widget.js's data-search-url), where "search the docs" links in answers
 * go, in a new tab: the reader keeps the page they are on and the conversation. Null: the host configured none,
 * and such links are shown as plain text (this server's /docs is not the host's site).
 */
const HostSearchContext = createContext<string | null>(null);
export const HostSearch = HostSearchContext.Provider;

/**
 * Where a transcript is reviewed (the maintainers' pages), only links to the site's docs sections stay links: any
 * other link the model wrote is shown as its text followed by its address, so that a maintainer sees where it
 * pointed without a hostile link one click away in a signed-in session.
 */
const DocsLinksOnlyContext = createContext(false);
export const DocsLinksOnly = DocsLinksOnlyContext.Provider;

function isDocsSection(target: TLinkTarget): boolean {
  return target.kind === 'internal' && /^\/docs(\/|#|$)/.test(target.href);
}

const inSiteAnchorStyle = css({
  color: 'colorTextLink',
  textDecoration: 'underline',
  outline: 'none',
  fontSize: 'inherit',
  fontWeight: 'inherit',
  lineHeight: 'inherit',
  ':hover': { color: 'colorTextLinkStronger', textDecoration: 'none' },
  ':active': { color: 'colorTextLinkStrongest', textDecoration: 'none' },
  ':focus': { boxShadow: 'shadowFocus', borderRadius: 'borderRadius20' },
});

// next/link's anchor, styled like Paste's Anchor (Paste's Anchor cannot render a next/link itself).
export const InSiteAnchor = styled(Link)(inSiteAnchorStyle);
/** A plain anchor in the same style, for links that leave the embed frame. */
const TopWindowAnchor = styled('a')(inSiteAnchorStyle);

export function SafeLink({
  href,
  children,
  title,
  siteUrl,
}: {
  href: string;
  children: NonNullable<ReactNode>;
  title?: string;
  /** The site's URL when the caller knows it (a server-rendered page); the page's origin otherwise. */
  siteUrl?: string;
}) {
  const contextSiteUrl = useContext(SiteUrlContext);
  const target = classifyHref(href, siteUrl ?? contextSiteUrl ?? undefined);
  const isTopWindow = useContext(TopWindowLinksContext);
  const hostSearch = useContext(HostSearchContext);
  const isDocsLinksOnly = useContext(DocsLinksOnlyContext);
  if (isDocsLinksOnly && !isDocsSection(target)) {
    return (
      <>
        {children} ({href})
      </>
    );
  }
  const searchQuery = isTopWindow ? docsSearchQuery(target) : null;
  if (searchQuery !== null) {
    const searchHref = hostSearch === null ? null : hostSearchHref(hostSearch, searchQuery);
    if (searchHref === null) return <>{children}</>;
    return (
      <Anchor href={searchHref} target="_blank" rel={EXTERNAL_LINK_REL} showExternal title={title}>
        {children}
      </Anchor>
    );
  }
  if (target.kind === 'internal' && isTopWindow) {
    return (
      <TopWindowAnchor href={new URL(target.href, siteUrl ?? currentSiteUrl()).toString()} target="_top" title={title}>
        {children}
      </TopWindowAnchor>
    );
  }
  if (target.kind === 'internal') {
    return (
      <InSiteAnchor href={target.href} title={title}>
        {children}
      </InSiteAnchor>
    );
  }
  if (target.kind === 'external') {
    return (
      <Anchor href={target.href} target="_blank" rel={EXTERNAL_LINK_REL} showExternal title={title}>
        {children}
      </Anchor>
    );
  }
  return <>{children}</>;
}

/**
 * An answer as the clipboard gets it: its Markdown with in-site links made absolute (so they work wherever it
 * is pasted), followed by its numbered sources, also absolute.
 */
export function answerForClipboard(text: string, sources: { number: number; url: string; title: string }[], siteUrl: string = currentSiteUrl()): string {
  const absolute = (href: string) => {
    const target = classifyHref(href, siteUrl);
    return target.kind === 'internal' ? new URL(target.href, siteUrl).toString() : href;
  };
  const body = text.replace(/\]\((\/[^)\s]*)\)/g, (_match, href: string) => `](${absolute(href)})`);
  if (sources.length === 0) return body;
  return `${body}\n\nSources:\n${sources.map((source) => `[${source.number}] ${source.title}: ${absolute(source.url)}`).join('\n')}`;
}
