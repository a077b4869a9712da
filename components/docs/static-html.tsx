import { renderToStaticMarkup } from 'react-dom/server';
import type { TBlockNode, TNavLinkGroup } from '@/lib/shared/docs';
import { Callout } from '@/components/site/Callout';
import { DocBlocks } from './DocContent';
import { DocsNav } from './DocsNav';

// The parts of a docs page that never change in the browser (the page's content, the navigation), rendered to
// HTML once, on the server (getStaticProps / getServerSideProps): the page hands the browser a string, shown by
// StaticHtml, instead of a tree of blocks that React would have to build again and hydrate. Hydrating a long page
// was most of its main-thread time (scripts/bench-page-load.ts). Server-only: import it from data functions.

/** An HTML string made by this file, for StaticHtml. */
export type TStaticHtml = { html: string };

// Each string is rendered on its own, so each gets its own prefix for useId (the icons' titles): no two ids of a
// page can be equal.
export function renderDocBlocksHtml(blocks: TBlockNode[]): TStaticHtml {
  return { html: renderToStaticMarkup(<DocBlocks blocks={blocks} />, { identifierPrefix: 'doc-' }) };
}

export function renderDocsNavHtml(groups: TNavLinkGroup[], currentHref: string): TStaticHtml {
  return { html: renderToStaticMarkup(<DocsNav groups={groups} currentHref={currentHref} />, { identifierPrefix: 'nav-' }) };
}

/** In place of a page whose file does not parse: the error, as a callout (the browser need not carry Callout). */
export function renderParseErrorHtml(message: string): TStaticHtml {
  return {
    html: renderToStaticMarkup(
      <Callout variant="error">
        <h2 className="callout-heading">This page could not be read</h2>
        <p className="callout-text">{message}</p>
      </Callout>,
    ),
  };
}
