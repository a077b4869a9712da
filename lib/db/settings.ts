import path from 'node:path';
import { ConfigError, defineSettings, intInRange, optionalString, optionalUrl, requirePartner } from '../settings';

// Where the data lives: the embedded PGlite in DATA_DIR (the default), any Postgres ≥ 15 (DATABASE_URL: with it,
// instances share runs and notifications), or Supabase (SUPABASE_URL with its service role key).

export type TStoreConfig =
  | { mode: 'embedded'; dataDir: string }
  | { mode: 'postgres'; url: string; poolSize: number }
  | { mode: 'supabase'; url: string; serviceRoleKey: string };

export const storeSettings = defineSettings(
  {
    DATA_DIR: optionalString,
    DATABASE_URL: optionalString.refine((value) => value === undefined || isPostgresUrl(value), {
      message: 'DATABASE_URL must be a postgres:// or postgresql:// URL',
    }),
    DATABASE_POOL_SIZE: intInRange(10, 1, 200),
    SUPABASE_URL: optionalUrl('SUPABASE_URL'),
    SUPABASE_SERVICE_ROLE_KEY: optionalString,
  },
  (env, { cwd }): { store: TStoreConfig; dataDir: string } => {
    requirePartner(env, 'SUPABASE_URL', 'SUPABASE_SERVICE_ROLE_KEY');
    requirePartner(env, 'SUPABASE_SERVICE_ROLE_KEY', 'SUPABASE_URL');
    if (env.DATABASE_URL !== undefined && env.SUPABASE_URL !== undefined) {
      // Both are a way to the same kind of store; with Supabase, DATABASE_URL (its direct connection) is the better one.
      throw new ConfigError('DATABASE_URL and SUPABASE_URL are both set: set one (DATABASE_URL for notifications across instances)');
    }
    const dataDir = path.resolve(cwd, env.DATA_DIR ?? '.data');
    const store: TStoreConfig = env.DATABASE_URL
      ? { mode: 'postgres', url: env.DATABASE_URL, poolSize: env.DATABASE_POOL_SIZE }
      : env.SUPABASE_URL && env.SUPABASE_SERVICE_ROLE_KEY
        ? { mode: 'supabase', url: env.SUPABASE_URL, serviceRoleKey: env.SUPABASE_SERVICE_ROLE_KEY }
        : { mode: 'embedded', dataDir };
    return { store, dataDir };
  },
);

function isPostgresUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'postgres:' || url.protocol === 'postgresql:') && url.hostname !== '';
  } catch {
    return false;
  }
}
