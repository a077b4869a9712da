import type { TDb } from './types';

// Where conversations come from (supabase/schemas/10_threads.sql, pa_thread_source): the chat doors' owner
// prefixes, each with the source the maintainers' dashboard shows, written at start from the doors' registry.

export type TThreadSource = { prefix: string; source: string };

/** Records each prefix's source (a prefix already recorded takes the new one; none is removed). */
export function setThreadSources({ db, sources }: { db: TDb; sources: readonly TThreadSource[] }) {
  return db.rpc<void>('set_thread_sources', { p_sources: sources });
}
