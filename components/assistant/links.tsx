import Link from 'next/link';
import type { ReactNode } from 'react';
import { Anchor } from '@twilio-paste/core/anchor';
import { css, styled } from '@twilio-paste/core/styling-library';

// Links written by the model are untrusted. Only three kinds are rendered as links:
//   - paths on this site ("/docs/…#heading") navigate in-site with next/link, to the heading;
//   - http(s) URLs open in a new tab with rel="noopener noreferrer";
//   - mailto: addresses.
// Anything else (javascript:, data:, protocol-relative "//host", relative paths) is shown as plain text.

export type TLinkTarget = { kind: 'internal'; href: string } | { kind: 'external'; href: string } | { kind: 'unsafe' };

export function classifyHref(raw: string): TLinkTarget {
  const href = raw.trim();
  if (href.startsWith('/') && !href.startsWith('//') && !href.startsWith('/\\')) return { kind: 'internal', href };
  if (href.startsWith('#')) return { kind: 'internal', href };
  try {
    const url = new URL(href);
    if (url.protocol === 'http:' || url.protocol === 'https:') {
      // An absolute link to this very site is still in-site navigation.
      if (typeof window !== 'undefined' && url.origin === window.location.origin) {
        return { kind: 'internal', href: `${url.pathname}${url.search}${url.hash}` };
      }
      return { kind: 'external', href: url.toString() };
    }
    if (url.protocol === 'mailto:') return { kind: 'external', href };
  } catch {
    // Not a URL at all: plain text below.
  }
  return { kind: 'unsafe' };
}

// next/link's anchor, styled like Paste's Anchor (Paste's Anchor cannot render a next/link itself).
export const InSiteAnchor = styled(Link)(
  css({
    color: 'colorTextLink',
    textDecoration: 'underline',
    outline: 'none',
    fontSize: 'inherit',
    fontWeight: 'inherit',
    lineHeight: 'inherit',
    ':hover': { color: 'colorTextLinkStronger', textDecoration: 'none' },
    ':active': { color: 'colorTextLinkStrongest', textDecoration: 'none' },
    ':focus': { boxShadow: 'shadowFocus', borderRadius: 'borderRadius20' },
  }),
);

export function SafeLink({ href, children, title }: { href: string; children: NonNullable<ReactNode>; title?: string }) {
  const target = classifyHref(href);
  if (target.kind === 'internal') {
    return (
      <InSiteAnchor href={target.href} title={title}>
        {children}
      </InSiteAnchor>
    );
  }
  if (target.kind === 'external') {
    return (
      <Anchor href={target.href} target="_blank" rel="noopener noreferrer" showExternal title={title}>
        {children}
      </Anchor>
    );
  }
  return <>{children}</>;
}
