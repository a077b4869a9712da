import pg from 'pg';
import { AppError } from '../errors';
import { assertIdentifier, mapDbError } from './errors';
import { applyMigrationsWith, readLegacyMigrations, readMigrations, readSchemas, type TMigration, type TSqlFile } from './migrations';
import type { TDb, TNotificationHandler } from './types';

// The Postgres transport: any Postgres ≥ 15 (self-hosted, RDS, Neon, Supabase's direct connection) through a
// node-postgres pool. The same SQL functions as the other transports, called the way PGlite calls them
// (`select name(p_arg => $1, …)`). Migrations and schema files are applied at start under an advisory lock,
// so instances that start together apply them once. Notifications are LISTEN/NOTIFY: a dedicated connection listens, and
// reconnects when it is lost (telling listeners that they may have missed notifications).

type TPgError = { code?: string; message?: string };
type TWarnLog = { warn(fields: object, message: string): void; info(fields: object, message: string): void };

/** Any fixed number, shared by every instance of this app: the lock they take around migrations. */
const MIGRATION_LOCK_KEY = 7_245_161_022;
const RECONNECT_MIN_MS = 100;
const RECONNECT_MAX_MS = 5000;

// bigint (int8) as a number, as PGlite returns it; counts and ids here stay far below 2^53.
const INT8_OID = 20;
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

export type TPostgresDb = TDb & {
  pool: pg.Pool;
  /** Resolves once the listening connection is up and LISTENs on every channel asked for so far (tests). */
  whenListening(): Promise<void>;
};

export async function createPostgresDb({
  connectionString,
  migrations = readMigrations(),
  schemas = readSchemas(),
  legacyMigrations = readLegacyMigrations(),
  poolSize = 10,
  log,
}: {
  connectionString: string;
  migrations?: TMigration[];
  schemas?: TSqlFile[];
  /** The chain before the baseline, for a database a release before it migrated (lib/db/migrations.ts). */
  legacyMigrations?: TMigration[];
  poolSize?: number;
  log?: TWarnLog;
}): Promise<TPostgresDb> {
  const pool = new pg.Pool({ connectionString, max: poolSize, types, application_name: 'paste-assistant' });
  // An idle connection that dies (a restarted server, a proxy's timeout) is replaced on the next query;
  // without a handler its error would end the process.
  pool.on('error', (error) => log?.warn({ err: error.message }, 'postgres: idle connection lost'));

  try {
    const ran = await withMigrationLock(pool, (client) =>
      applyMigrationsWith(
        {
          query: async <T,>(sql: string, params?: unknown[]) => (await client.query(sql, params)) as unknown as { rows: T[] },
          transaction: async (run) => {
            await client.query('begin');
            try {
              await run({ exec: (sql) => client.query(sql), query: (sql, params) => client.query(sql, params) });
              await client.query('commit');
            } catch (error) {
              await client.query('rollback').catch(() => undefined);
              throw error;
            }
          },
        },
        migrations,
        schemas,
        legacyMigrations,
      ),
    );
    if (ran.length > 0) log?.info({ migrations: ran.length }, 'postgres: migrations applied');
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw error;
  }

  const listener = createListener({ connectionString, log });
  const notifier = createNotifier(pool, log);

  return {
    transport: 'postgres',
    isNotifyShared: true,
    pool,
    async rpc<T>(name: string, args: Record<string, unknown> = {}): Promise<T> {
      const names = Object.keys(args).map(assertIdentifier);
      const params = names.map((key, index) => `${key} => $${index + 1}`).join(', ');
      const values = names.map((key) => toParam(args[key]));
      try {
        const result = await pool.query<{ result: T }>(`select ${assertIdentifier(name)}(${params}) as result`, values);
        return (result.rows[0]?.result ?? null) as T;
      } catch (error) {
        if (isConnectionError(error)) throw unavailable(name, error);
        throw mapDbError(error as TPgError, name);
      }
    },
    notify: notifier.notify,
    listen: listener.listen,
    whenListening: listener.whenListening,
    async close() {
      await listener.close();
      await notifier.drain();
      await pool.end();
    },
  };
}

async function withMigrationLock<T>(pool: pg.Pool, run: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    // Session-level: held across the migrations' own transactions, released below (or when the connection ends).
    await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      return await run(client);
    } finally {
      await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    client.release();
  }
}

// Arrays and objects go to jsonb parameters as JSON text; node-postgres would send arrays as Postgres arrays.
function toParam(value: unknown): unknown {
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) return JSON.stringify(value);
  return value;
}

function isConnectionError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return error instanceof Error && /Connection terminated|timeout exceeded when trying to connect/i.test(error.message);
  // Class 08 (connection exception), 57P01-57P03 (the server is shutting down or starting), and socket errors.
  return code.startsWith('08') || code.startsWith('57P') || ['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'ETIMEDOUT', 'EPIPE'].includes(code);
}

function unavailable(fn: string, cause: unknown): AppError {
  return new AppError('unavailable', 'The database is not reachable right now. Please try again.', { detail: { fn }, cause });
}

/**
 * NOTIFY through the pool, in order: notifications queued while one batch is in flight go together in the
 * next, one statement (`pg_notify` over an array, in array order), so a sender's notifications never overtake
 * each other and a burst of text deltas costs few round trips.
 */
function createNotifier(pool: pg.Pool, log?: TWarnLog) {
  let queue: { channel: string; payload: string }[] = [];
  let inFlight: Promise<void> | undefined;

  const sendAll = async (): Promise<void> => {
    while (queue.length > 0) {
      const batch = queue;
      queue = [];
      try {
        await pool.query('select count(pg_notify(c, p)) from unnest($1::text[], $2::text[]) as x(c, p)', [
          batch.map((item) => item.channel),
          batch.map((item) => item.payload),
        ]);
      } catch (error) {
        // Listeners poll as well: a lost notification delays a wake-up, it loses no data.
        log?.warn({ err: error instanceof Error ? error.message : String(error), count: batch.length }, 'postgres: notify failed');
      }
    }
  };

  return {
    async notify(channel: string, payload: string): Promise<void> {
      queue.push({ channel: assertIdentifier(channel), payload });
      inFlight ??= sendAll().finally(() => {
        inFlight = undefined;
      });
      await inFlight;
    },
    async drain() {
      await inFlight;
    },
  };
}

/** One connection that LISTENs on every channel someone listens to, reconnecting with backoff when lost. */
function createListener({ connectionString, log }: { connectionString: string; log?: TWarnLog }) {
  const handlers = new Map<string, Set<TNotificationHandler>>();
  const listening = new Set<string>();
  let client: pg.Client | undefined;
  let connecting: Promise<void> | undefined;
  let isClosed = false;
  let delayMs = RECONNECT_MIN_MS;
  let reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  let hasConnectedBefore = false;
  // LISTEN commands in order, after the connection is up.
  let commands: Promise<void> = Promise.resolve();

  const dispatch = (channel: string, payload: string | null) => {
    for (const handler of handlers.get(channel) ?? []) {
      try {
        handler(payload);
      } catch (error) {
        log?.warn({ err: error instanceof Error ? error.message : String(error), channel }, 'postgres: notification handler failed');
      }
    }
  };

  const connect = (): Promise<void> => {
    connecting ??= (async () => {
      const next = new pg.Client({ connectionString, application_name: 'paste-assistant-listen' });
      next.on('notification', (message) => dispatch(message.channel, message.payload ?? ''));
      next.on('error', () => lost(next));
      next.on('end', () => lost(next));
      try {
        await next.connect();
        listening.clear();
        for (const channel of handlers.keys()) {
          await next.query(`listen ${channel}`);
          listening.add(channel);
        }
      } catch (error) {
        await next.end().catch(() => undefined);
        throw error;
      }
      if (isClosed) {
        await next.end().catch(() => undefined);
        return;
      }
      client = next;
      delayMs = RECONNECT_MIN_MS;
      // After a reconnection, whatever was sent meanwhile is lost: listeners read again.
      if (hasConnectedBefore) for (const channel of handlers.keys()) dispatch(channel, null);
      hasConnectedBefore = true;
    })().finally(() => {
      connecting = undefined;
    });
    return connecting;
  };

  const scheduleReconnect = () => {
    if (isClosed || reconnectTimer) return;
    reconnectTimer = setTimeout(() => {
      reconnectTimer = undefined;
      connect().catch((error: unknown) => {
        log?.warn({ err: error instanceof Error ? error.message : String(error), retryMs: delayMs }, 'postgres: listen connection failed');
        delayMs = Math.min(RECONNECT_MAX_MS, delayMs * 2);
        scheduleReconnect();
      });
    }, delayMs);
    reconnectTimer.unref?.();
  };

  function lost(which: pg.Client) {
    if (client !== which) return;
    client = undefined;
    listening.clear();
    which.end().catch(() => undefined);
    if (!isClosed) {
      log?.warn({}, 'postgres: listen connection lost; reconnecting');
      scheduleReconnect();
    }
  }

  const ensureListening = (channel: string) => {
    commands = commands
      .then(async () => {
        if (!client && !connecting) await connect();
        else if (connecting) await connecting;
        if (client && !listening.has(channel) && handlers.has(channel)) {
          await client.query(`listen ${channel}`);
          listening.add(channel);
        }
      })
      .catch((error: unknown) => {
        log?.warn({ err: error instanceof Error ? error.message : String(error), channel }, 'postgres: listen failed');
        scheduleReconnect();
      });
  };

  return {
    listen(channel: string, handler: TNotificationHandler): () => void {
      assertIdentifier(channel);
      let set = handlers.get(channel);
      if (!set) {
        set = new Set();
        handlers.set(channel, set);
      }
      set.add(handler);
      ensureListening(channel);
      return () => {
        set.delete(handler);
        // The LISTEN stays: a channel costs nothing while nobody sends on it, and listeners come back.
      };
    },
    whenListening: () => commands,
    async close() {
      isClosed = true;
      clearTimeout(reconnectTimer);
      await commands;
      await connecting?.catch(() => undefined);
      const current = client;
      client = undefined;
      await current?.end().catch(() => undefined);
    },
  };
}
