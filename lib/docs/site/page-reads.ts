import { z } from 'zod';
import { recordDocsPageRead } from '../../db/docs-page-reads';
import type { TDb } from '../../db/types';

// Page reads for the maintainers' "questions per page read" (lib/maintainers/deflection.ts): the docs layout counts
// each page it shows (components/docs/use-page-read.ts). A count per page and UTC day is all that is kept: no
// session, cookie, address or time; pages that are not indexed are not counted.

export const ZDocsPageRead = z.object({ path: z.string().trim().regex(/^\/docs(\/[^?#]*)?$/, 'a docs page path, /docs/…').max(500) }).strict();

export async function recordPageRead({ deps, path }: { deps: { db: TDb }; path: string }): Promise<{ recorded: boolean }> {
  const normalised = path.replace(/\/+$/, '') || '/docs';
  let decoded = normalised;
  try {
    decoded = decodeURI(normalised);
  } catch {
    return { recorded: false };
  }
  return { recorded: await recordDocsPageRead({ db: deps.db, path: decoded }) };
}
