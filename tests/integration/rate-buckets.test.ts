import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getRateBucketLevels, takeRateLimits, type TBucketSpec } from '@/lib/db/limits';
import type { TDb } from '@/lib/db/types';
import { createStoreDb, STORES } from '../helpers/stores';

// The token buckets under concurrency (supabase/schemas/70_limits.sql, pa_take_buckets): requests that share buckets,
// each listing them in its own order, all finish (the buckets are locked in key order, so no two wait on each other),
// and together they take exactly what the buckets hold, all or none per request. A bucket follows the settings
// when they change (an operator raised or lowered a quota and restarted): what its holder used is kept, not what
// they had left.

const bucket = (key: string, capacity: number): TBucketSpec & { name: string } => ({ key, name: key, capacity, per_seconds: 86_400 });

describe.each(STORES)('rate buckets on %s', (store) => {
  let db: TDb;
  beforeAll(async () => {
    db = await createStoreDb(store, { poolSize: 8 });
  });
  afterAll(() => db.close());

  it('concurrent requests over shared buckets, listed in opposite orders, finish and take exactly the capacity', async () => {
    const run = `${store}-${Date.now()}`;
    const shared = [bucket(`${run}:a`, 30), bucket(`${run}:b`, 1000), bucket(`${run}:c`, 1000)];
    const requests = Array.from({ length: 60 }, (_, at) => (at % 2 === 0 ? shared : [...shared].reverse()));
    const outcomes = await Promise.all(requests.map((buckets) => takeRateLimits({ db, buckets })));
    // Bucket a holds 30: exactly 30 requests are allowed (the refill over the test's seconds is far under one token).
    expect(outcomes.filter((outcome) => outcome.allowed)).toHaveLength(30);
    const refused = outcomes.filter((outcome) => !outcome.allowed);
    expect(refused.every((outcome) => !outcome.allowed && outcome.limit === `${run}:a`)).toBe(true);
    // All or none: b and c gave a token only to the 30 allowed requests.
    const levels = await takeRateLimits({ db, buckets: [bucket(`${run}:b`, 1000), { ...bucket(`${run}:c`, 1000), cost: 970 }] });
    expect(levels.allowed).toBe(true);
    const past = await takeRateLimits({ db, buckets: [{ ...bucket(`${run}:c`, 1000), cost: 1 }] });
    expect(past).toMatchObject({ allowed: false, limit: `${run}:c` });
  });

  it('a raised capacity gives a bucket that was emptied under the old one its extra room at once; a lowered one takes it away', async () => {
    const run = `${store}-${Date.now()}-settings`;
    const hourly = (key: string, capacity: number) => ({ key, name: key, capacity, per_seconds: 3600 });
    // Emptied under a quota of 1 an hour: refused again under it.
    expect(await takeRateLimits({ db, buckets: [hourly(`${run}:raised`, 1)] })).toEqual({ allowed: true });
    expect(await takeRateLimits({ db, buckets: [hourly(`${run}:raised`, 1)] })).toMatchObject({ allowed: false });
    // Raised to 60: one used, 59 left, the levels the challenge reads included.
    const [level] = await getRateBucketLevels({ db, buckets: [hourly(`${run}:raised`, 60)] });
    expect(Math.floor(level!.available)).toBe(59);
    for (let index = 0; index < 10; index += 1) expect(await takeRateLimits({ db, buckets: [hourly(`${run}:raised`, 60)] })).toEqual({ allowed: true });
    expect(Math.floor((await getRateBucketLevels({ db, buckets: [hourly(`${run}:raised`, 60)] }))[0]!.available)).toBe(49);

    // Five used of ten, then lowered to three: none left (not three).
    for (let index = 0; index < 5; index += 1) await takeRateLimits({ db, buckets: [hourly(`${run}:lowered`, 10)] });
    expect(await takeRateLimits({ db, buckets: [hourly(`${run}:lowered`, 3)] })).toMatchObject({ allowed: false });
    // Raised back to ten: the same five left.
    expect(Math.floor((await getRateBucketLevels({ db, buckets: [hourly(`${run}:lowered`, 10)] }))[0]!.available)).toBe(5);
  });
});
