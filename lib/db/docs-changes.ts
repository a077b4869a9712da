import type { TDb } from './types';

// Which database handles this process changed the searchable docs through: sections (indexing, crawling,
// removing pages) or the approved vocabulary. The in-memory ranking index (lib/docs/search/ranking/store.ts) reads the
// stored version only now and then; a change made here bumps the handle's count, so that this process's next
// search checks the version at once instead of after its pause. Changes by other processes are not counted here.

const counts = new WeakMap<TDb, number>();

/** How many changes to the searchable docs went through `db` in this process. */
export function countDocsChanges(db: TDb): number {
  return counts.get(db) ?? 0;
}

/** Counts a change, after its call settled (a failed call may still have changed something). */
export async function afterDocsChange<T>(db: TDb, change: Promise<T>): Promise<T> {
  try {
    return await change;
  } finally {
    counts.set(db, countDocsChanges(db) + 1);
  }
}
