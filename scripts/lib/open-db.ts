import type { TConfig } from '@/lib/config';
import { createPgliteDb } from '@/lib/db/pglite';
import { createPostgresDb } from '@/lib/db/postgres';
import { createSupabaseDb } from '@/lib/db/supabase';
import type { TDb } from '@/lib/db/types';

/** The app's database as configured (PGlite in DATA_DIR, Postgres, or Supabase). Stop a running server first when it is PGlite. */
export async function openConfiguredDb(config: TConfig): Promise<TDb> {
  const { store } = config;
  if (store.mode === 'postgres') return createPostgresDb({ connectionString: store.url, poolSize: 2 });
  return store.mode === 'supabase'
    ? createSupabaseDb({ url: store.url, serviceRoleKey: store.serviceRoleKey })
    : createPgliteDb({ dataDir: store.dataDir });
}
