import type { TDb } from './types';

// Which database handles this process changed the searchable docs through: sections (indexing, crawling,
// removing pages, a maintainers' answer approved or retracted) or the approved vocabulary. The in-memory ranking
// index (lib/docs/search/ranking/store.ts) reads the stored version only now and then; a change made here bumps
// the handle's count, so that this process's next search checks the version at once instead of after its pause.
// Where notifications reach other processes (Postgres: LISTEN/NOTIFY), a change also tells every other instance
// on the database, whose count is bumped the same way as soon as the notification arrives: a retracted answer
// leaves every instance's next search, not one a second later. Elsewhere (PGlite is one process; supabase-js
// cannot listen) other processes see it at their next version read.

/** The channel other instances hear a docs change on (no payload: the stored version says what changed). */
export const DOCS_CHANGED_CHANNEL = 'pa_docs_changed';

// Kept on globalThis, as the ranking index is: Next bundles the background jobs (instrumentation) and the routes
// apart, each with its own copy of this module, and a sync's change must reach the routes' next search.
const SHARED = Symbol.for('paste-assistant.docs-changes');
const shared = ((globalThis as { [SHARED]?: { counts: WeakMap<TDb, number>; listening: WeakSet<TDb> } })[SHARED] ??= {
  counts: new WeakMap(),
  listening: new WeakSet(),
});
const { counts, listening } = shared;

function bump(db: TDb): void {
  counts.set(db, (counts.get(db) ?? 0) + 1);
}

/** How many changes to the searchable docs went through `db` (in this process, or told by another instance). */
export function countDocsChanges(db: TDb): number {
  // The first count starts hearing other instances (the ranking index asks at start and on every search).
  if (db.isNotifyShared && !listening.has(db)) {
    listening.add(db);
    db.listen(DOCS_CHANGED_CHANNEL, () => bump(db));
  }
  return counts.get(db) ?? 0;
}

/** Counts a change, after its call settled (a failed call may still have changed something), and tells other instances. */
export async function afterDocsChange<T>(db: TDb, change: Promise<T>): Promise<T> {
  try {
    return await change;
  } finally {
    bump(db);
    if (db.isNotifyShared) void db.notify(DOCS_CHANGED_CHANNEL, '');
  }
}
