// What a docs page's HTML hands its own client (components/docs/client/entry.ts), which takes Next's place on
// docs pages (pages/_document.tsx): the page's data and what the client needs to go to another docs page in place.

/** The id of the <script type="application/json"> that carries TDocsClientData. */
export const DOCS_CLIENT_DATA_ID = '__PA_DOCS_DATA__';

export type TDocsClientData = {
  /** Next's build id: the docs pages' data is at /_next/data/<buildId>/<path>.json. */
  buildId: string;
  /** The page route (`/docs/[[...slug]]`). */
  page: string;
  /** The route's parameters the page was rendered with. */
  query: Record<string, string | string[]>;
  pageProps: Record<string, unknown>;
  /** The site's pages, as Next orders them for matching (its build manifest's sortedPages). */
  sortedPages: string[];
};
