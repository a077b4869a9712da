import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { getSortedRoutes } from 'next/dist/shared/lib/router/utils/sorted-routes';
import type { TDocsClientData } from '@/lib/shared/docs-client';

// The docs pages' own client (components/docs/client/entry.ts), as pages/_document.tsx names it on a page that
// runs it: the built files (scripts/build-docs-client.mjs writes their manifest into public/) and the data the
// page hands it.

/** Where scripts/build-docs-client.mjs writes, relative to the project (served by Next as /_docs-client/…). */
export const DOCS_CLIENT_MANIFEST = 'public/_docs-client/manifest.json';

const ZDocsClientManifest = z.object({ entry: z.string().startsWith('/_docs-client/'), preload: z.array(z.string().startsWith('/_docs-client/')) });
export type TDocsClientManifest = z.infer<typeof ZDocsClientManifest>;

const manifests = new Map<string, TDocsClientManifest>();

/**
 * The built client's files, read once per project folder. A build without them fails here, when the first docs page
 * is generated, rather than serve pages whose script is missing.
 */
export function readDocsClientManifest(root = process.cwd()): TDocsClientManifest {
  const known = manifests.get(root);
  if (known) return known;
  const file = path.join(root, DOCS_CLIENT_MANIFEST);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new Error(`${DOCS_CLIENT_MANIFEST} is missing: \`npm run build\` builds the docs pages' client before \`next build\``);
  }
  const manifest = ZDocsClientManifest.parse(JSON.parse(text));
  manifests.set(root, manifest);
  return manifest;
}

/** What the page's HTML hands the client: its data, and the site's pages in the order Next matches them. */
export function docsClientData({ buildId, page, query, pageProps, pages }: {
  buildId: string;
  page: string;
  query: Record<string, string | string[]>;
  pageProps: Record<string, unknown>;
  pages: string[];
}): TDocsClientData {
  const sortedPages = getSortedRoutes(pages.filter((route) => !route.startsWith('/_')));
  return { buildId, page, query, pageProps, sortedPages };
}
