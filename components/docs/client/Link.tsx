import type { AnchorHTMLAttributes, MouseEvent, ReactNode, Ref } from 'react';
import { formatUrl, useRouter } from './router';

// next/link for the docs page's own client (./entry.ts): an anchor whose plain clicks go through ./router.ts
// (in place when the target is a docs page, a page load otherwise). Modified clicks, other targets and downloads
// are the browser's. The props the site's components pass: href, prefetch, replace, scroll, shallow.

type TLinkProps = Omit<AnchorHTMLAttributes<HTMLAnchorElement>, 'href'> & {
  href: Parameters<typeof formatUrl>[0];
  as?: string;
  prefetch?: boolean | null;
  replace?: boolean;
  scroll?: boolean;
  shallow?: boolean;
  legacyBehavior?: boolean;
  passHref?: boolean;
  locale?: string | false;
  ref?: Ref<HTMLAnchorElement>;
  children?: ReactNode;
};

function isPlainClick(event: MouseEvent<HTMLAnchorElement>): boolean {
  const target = event.currentTarget.getAttribute('target');
  return (
    event.button === 0 &&
    !event.metaKey &&
    !event.ctrlKey &&
    !event.shiftKey &&
    !event.altKey &&
    (target === null || target === '' || target === '_self') &&
    !event.currentTarget.hasAttribute('download')
  );
}

export default function Link({ href, as, prefetch, replace, scroll, shallow, legacyBehavior: _legacy, passHref: _passHref, locale: _locale, onClick, onMouseEnter, ref, ...rest }: TLinkProps) {
  const router = useRouter();
  const url = as ?? formatUrl(href);
  return (
    <a
      {...rest}
      ref={ref}
      href={url}
      onMouseEnter={(event) => {
        onMouseEnter?.(event);
        // As next/link: pointing at a link fetches what it leads to, unless prefetching is off.
        if (prefetch !== false) void router.prefetch(url);
      }}
      onClick={(event) => {
        onClick?.(event);
        if (event.defaultPrevented || !isPlainClick(event)) return;
        event.preventDefault();
        void (replace ? router.replace(url, undefined, { scroll, shallow }) : router.push(url, undefined, { scroll, shallow }));
      }}
    />
  );
}
