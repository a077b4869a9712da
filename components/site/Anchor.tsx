import type { ReactNode } from 'react';
import { Icon } from './Icon';
import { LinkExternalIcon } from './paste-icons/LinkExternalIcon';

const EXTERNAL_URL = /^https?:\S*$/;

/**
 * Paste's Anchor in plain HTML: links to other sites open in a new tab without the opener or the referrer; with
 * `showExternal` they also say so, with Paste's external-link icon.
 */
export function Anchor({ href, showExternal = false, children, ...rest }: { href: string; showExternal?: boolean; children: ReactNode; rel?: string; 'aria-label'?: string; 'aria-current'?: 'page' }) {
  const isExternal = EXTERNAL_URL.test(href);
  return (
    <a className="anchor" href={href} {...rest} {...(isExternal ? { target: '_blank', rel: 'noreferrer noopener' } : {})}>
      {showExternal ? (
        <span>
          {children}
          <span className="anchor-external">
            <Icon icon={LinkExternalIcon} title="(link takes you to an external page)" />
          </span>
        </span>
      ) : (
        children
      )}
    </a>
  );
}
