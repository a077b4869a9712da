import { z } from 'zod';
import { recordDocsPageRead } from '../../db/docs-page-reads';
import { PUBLIC_ACCESS } from '../../audiences';
import { isSitePageVisible } from '../gate';
import { isPageReadCounted, type TPageReadThrottleDeps } from './page-read-throttle';

// Page reads for the maintainers' "questions per page read" (lib/maintainers/deflection.ts): the docs layout counts
// each page it shows (components/docs/use-page-read.ts). A count per page and UTC day is all that is kept: no
// session, cookie, address or time; pages that are not indexed are not counted, nor a read that the throttle
// (lib/docs/site/page-read-throttle.ts) refuses: the same page again from the same address within 30 minutes, or
// an address past its hourly cap. A refused read is answered like a read of a page that is not indexed,
// `{recorded: false}` with 200, never 429: the docs page sends it and forgets it, and a reader who opens a page
// twice sees no error in the console. Only pages read on this site at /docs/… count, as a reader who is not signed
// in may see them (isSitePageVisible, the search's own filter): a GitHub thread or a crawled page is read on
// another site, and a private repository's thread is, for this route, a page that does not exist — the same
// answer by the same steps (the throttle taken as for any path, nothing recorded), so that no one learns it exists.

export const ZDocsPageRead = z.object({ path: z.string().trim().regex(/^\/docs(\/[^?#]*)?$/, 'a docs page path, /docs/…').max(500) }).strict();

export async function recordPageRead({
  deps,
  path,
  clientIp,
}: {
  deps: TPageReadThrottleDeps;
  path: string;
  /** The reader's address as the rate limits key it (lib/limits/client-ip.ts); only a keyed hash of it is stored. */
  clientIp: string;
}): Promise<{ recorded: boolean }> {
  const normalised = path.replace(/\/+$/, '') || '/docs';
  let decoded = normalised;
  try {
    decoded = decodeURI(normalised);
  } catch {
    return { recorded: false };
  }
  if (!(await isPageReadCounted({ deps, path: decoded, clientIp }))) return { recorded: false };
  if (!(await isSitePageVisible({ db: deps.db, url: decoded, access: PUBLIC_ACCESS }))) return { recorded: false };
  return { recorded: await recordDocsPageRead({ db: deps.db, path: decoded }) };
}
