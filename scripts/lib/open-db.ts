import type { TConfig } from '@/lib/config';
import { createPgliteDb } from '@/lib/db/pglite';
import { createSupabaseDb } from '@/lib/db/supabase';
import type { TDb } from '@/lib/db/types';

/** The app's database as configured (PGlite in DATA_DIR, or Supabase). Stop a running server first when it is PGlite. */
export async function openConfiguredDb(config: TConfig): Promise<TDb> {
  return config.store.mode === 'supabase'
    ? createSupabaseDb({ url: config.store.url, serviceRoleKey: config.store.serviceRoleKey })
    : createPgliteDb({ dataDir: config.store.dataDir });
}
