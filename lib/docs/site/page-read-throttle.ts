import { takeRateLimits } from '../../db/limits';
import type { TDb } from '../../db/types';
import { signValue } from '../../session';

// Which page reads count (lib/docs/site/page-reads.ts), so that a script cannot inflate a page's reads: one read
// per page per client address every PAGE_READ_WINDOW_SECONDS, and at most PAGE_READS_PER_HOUR reads an hour per
// address. Counted in the site's rate-limit buckets (supabase/schemas/70_limits.sql), so that the limits hold across
// instances; a bucket's key is a keyed hash (HMAC with the session secret) of the address and the page, never the
// address or the page itself, and an idle bucket is forgotten after a day. Readers behind one address (an office's
// NAT) count once per page per window together: the figure is reads by distinct addresses, not page views.

const PAGE_READ_WINDOW_SECONDS = 30 * 60;
export const PAGE_READS_PER_HOUR = 120;

export type TPageReadThrottleDeps = { db: TDb; sessionSecret: string };

/** Takes the read's tokens (the page's and the address's, both or neither): true when it counts. */
export async function isPageReadCounted({ deps, path, clientIp }: { deps: TPageReadThrottleDeps; path: string; clientIp: string }): Promise<boolean> {
  const allowance = await takeRateLimits({
    db: deps.db,
    buckets: [
      { key: `read:${keyedHash(deps.sessionSecret, `page\n${clientIp}\n${path}`)}`, name: 'page_read', capacity: 1, per_seconds: PAGE_READ_WINDOW_SECONDS },
      { key: `read:${keyedHash(deps.sessionSecret, `client\n${clientIp}`)}`, name: 'client_reads', capacity: PAGE_READS_PER_HOUR, per_seconds: 3600 },
    ],
  });
  return allowance.allowed;
}

/** A bucket key's part that stands for the address and page: a keyed hash, shortened (it only needs to be distinct). */
function keyedHash(secret: string, value: string): string {
  return signValue(secret, value).slice(0, 32);
}
