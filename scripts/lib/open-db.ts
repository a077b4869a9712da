import { ConfigError, type TConfig } from '@/lib/config';
import { createPgliteDb } from '@/lib/db/pglite';
import { createPostgresDb } from '@/lib/db/postgres';
import { createSupabaseDb } from '@/lib/db/supabase';
import type { TDb } from '@/lib/db/types';
import { describeDataDirInUse, type TServerScript } from './running-server';

/**
 * The app's database as configured (PGlite in DATA_DIR, Postgres, or Supabase). The embedded one is refused while a
 * running server holds it; with `script`, the refusal says how that script reaches the server instead.
 */
export async function openConfiguredDb(config: TConfig, { script }: { script?: TServerScript } = {}): Promise<TDb> {
  const inUse = script ? describeDataDirInUse({ config, script }) : null;
  if (inUse) throw new ConfigError(inUse);
  const { store } = config;
  if (store.mode === 'postgres') return createPostgresDb({ connectionString: store.url, poolSize: 2 });
  return store.mode === 'supabase'
    ? createSupabaseDb({ url: store.url, serviceRoleKey: store.serviceRoleKey })
    : createPgliteDb({ dataDir: store.dataDir });
}
