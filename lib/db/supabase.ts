import { createClient, type WebSocketLikeConstructor } from '@supabase/supabase-js';
import { AppError } from '../errors';
import { assertIdentifier, mapDbError } from './errors';
import { createLocalNotifier } from './notifications';
import type { TDb } from './types';

/**
 * The PostgREST transport: every rpc is a call of `POST /rest/v1/rpc/<name>` with the service role.
 * PostgREST cannot LISTEN, so notifications stay in this process: other instances see a change at their next
 * poll. For notifications across instances, use Supabase's direct connection string as DATABASE_URL instead.
 */
export function createSupabaseDb({ url, serviceRoleKey }: { url: string; serviceRoleKey: string }): TDb {
  const client = createClient(url, serviceRoleKey, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
    // Realtime is never used here. Without a transport, supabase-js refuses to start on Node 20 (no native
    // WebSocket); this one says so if anything ever tries to open a socket.
    realtime: { transport: NoRealtime as unknown as WebSocketLikeConstructor },
  });
  const notifier = createLocalNotifier();
  return {
    transport: 'supabase',
    ...notifier,
    async rpc<T>(name: string, args: Record<string, unknown> = {}): Promise<T> {
      const fn = assertIdentifier(name);
      let response: { data: unknown; error: { code?: string; message?: string } | null; status: number };
      try {
        response = await client.rpc(fn, args);
      } catch (error) {
        throw unavailable(name, error);
      }
      if (response.error) {
        // supabase-js reports a failed fetch as status 0; PostgREST answers 502-504 when it cannot reach Postgres.
        if (response.status === 0 || (response.status >= 502 && response.status <= 504)) throw unavailable(name, response.error);
        throw mapDbError(response.error, name);
      }
      return (response.data ?? null) as T;
    },
    async close() {},
  };
}

function unavailable(fn: string, cause: unknown): AppError {
  return new AppError('unavailable', 'The database is not reachable right now. Please try again.', { detail: { fn }, cause });
}

class NoRealtime {
  constructor() {
    throw new Error('Supabase Realtime is not used by Paste Assistant');
  }
}
