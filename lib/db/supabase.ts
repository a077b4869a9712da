import { createClient } from '@supabase/supabase-js';
import { AppError } from '../errors';
import { assertIdentifier, mapDbError } from './errors';
import type { TDb } from './types';

/** The production transport: every rpc is a PostgREST call, `POST /rest/v1/rpc/<name>` with the service role. */
export function createSupabaseDb({ url, serviceRoleKey }: { url: string; serviceRoleKey: string }): TDb {
  const client = createClient(url, serviceRoleKey, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
  });
  return {
    transport: 'supabase',
    async rpc<T>(name: string, args: Record<string, unknown> = {}): Promise<T> {
      let response: { data: unknown; error: { code?: string; message?: string } | null };
      try {
        response = await client.rpc(assertIdentifier(name), args);
      } catch (error) {
        throw new AppError('unavailable', 'The database is not reachable right now. Please try again.', {
          detail: { fn: name },
          cause: error,
        });
      }
      if (response.error) throw mapDbError(response.error, name);
      return (response.data ?? null) as T;
    },
    async close() {},
  };
}
