import { createHash, timingSafeEqual } from 'node:crypto';
import { takeRateLimits } from '../../db/limits';
import type { TDb } from '../../db/types';
import { AppError } from '../../errors';
import { describeWait } from '../../limits';
import type { TDocsReindexer } from './reindex';

// The deploy hook, `POST /api/docs/reindex` (pages/api/docs/reindex.ts): with DOCS_REINDEX_TOKEN set and
// `Authorization: Bearer <it>`, every source is re-read at once (./reindex.ts) and the hook answers 202
// with the kinds it re-reads. Unset: 404, as if there were no such route. A missing or wrong token: 401 (compared
// in constant time). The token is checked before any limit is taken: wrong tokens are limited per address in a
// bucket of their own (429 past it), and calls with the right token for the site as a whole (429 past it), so that
// no number of wrong guesses, from any address, costs the deploy hook's right token anything.

/** Wrong tokens a minute from one address, and calls with the right token a minute in all. A deploy calls it once; a retry or two fit. */
const WRONG_TOKENS_PER_ADDRESS_PER_MINUTE = 10;
const PER_SITE_PER_MINUTE = 6;

export type TReindexHookDeps = { db: TDb; reindexToken: string | null; reindexer: TDocsReindexer };

/** Constant time: as long whatever the guess (both sides hashed to one length). */
export function isReindexToken(configured: string, given: string | undefined): boolean {
  if (!given) return false;
  return timingSafeEqual(createHash('sha256').update(configured).digest(), createHash('sha256').update(given).digest());
}

export async function acceptReindexHook({
  deps,
  authorization,
  ip,
}: {
  deps: TReindexHookDeps;
  authorization: string | undefined;
  ip: string;
}): Promise<{ accepted: true; sources: string[] }> {
  if (!deps.reindexToken) throw new AppError('not_found', 'Re-indexing on request is off: set DOCS_REINDEX_TOKEN to turn it on.');
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  if (!isReindexToken(deps.reindexToken, match?.[1])) {
    await takeOrRefuse(deps.db, [{ key: `reindex:wrong:ip:${ip}`, name: 'reindex_wrong_token', capacity: WRONG_TOKENS_PER_ADDRESS_PER_MINUTE, per_seconds: 60 }]);
    throw new AppError('unauthorized', 'A re-index needs Authorization: Bearer with the DOCS_REINDEX_TOKEN.', { headers: { 'WWW-Authenticate': 'Bearer' } });
  }
  await takeOrRefuse(deps.db, [{ key: 'reindex:site', name: 'reindex_site', capacity: PER_SITE_PER_MINUTE, per_seconds: 60 }]);
  return { accepted: true, sources: deps.reindexer.start() };
}

async function takeOrRefuse(db: TDb, buckets: Parameters<typeof takeRateLimits>[0]['buckets']): Promise<void> {
  const allowance = await takeRateLimits({ db, buckets });
  if (allowance.allowed) return;
  const retryAfter = allowance.retry_after_seconds ?? 60;
  throw new AppError('rate_limited', `Too many re-index requests. Please wait ${describeWait(retryAfter)}.`, {
    headers: { 'Retry-After': String(retryAfter) },
    detail: { limit: allowance.limit },
  });
}
