import type { ServerResponse } from 'node:http';
import { isPublicAccess, type TReaderAccess } from '../../audiences';

// The caching headers of a page that depends on who reads it (the docs, the API reference, the maintainers' answers):
// a reader with no identity gets the public page, revalidated on every request; a reader with audiences may read
// what others may not, so their page is never kept for anyone else. A page they may not read is answered as a
// missing one, with the same headers (`isFound` false), so that the headers never tell the two apart.

export function setReaderCacheHeaders(res: Pick<ServerResponse, 'setHeader'>, access: TReaderAccess, { isFound }: { isFound: boolean }): void {
  res.setHeader('Cache-Control', isFound && isPublicAccess(access) ? 'public, max-age=0, must-revalidate' : 'private, no-store');
  res.setHeader('Vary', 'Cookie, Authorization');
}
