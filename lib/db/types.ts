// Application code reaches the database only through `rpc`: a call of one Postgres function in
// supabase/schemas, by name, with named arguments. Every transport returns the function's jsonb value.
//
// Notifications ride on the same transport: `notify` tells every listener of a channel, `listen` hears them.
// With Postgres they are LISTEN/NOTIFY and reach every instance on the database; with PGlite and supabase-js
// they stay in this process (`isNotifyShared` false), so other instances see changes at their next poll.
export type TDbTransport = 'pglite' | 'supabase' | 'postgres';

/**
 * A notification's payload, or null: notifications on this channel may have been missed (the listening
 * connection was lost and is back), so whatever a listener keeps from them should be read again.
 */
export type TNotificationHandler = (payload: string | null) => void;

export type TDb = {
  transport: TDbTransport;
  rpc<T = unknown>(name: string, args?: Record<string, unknown>): Promise<T>;
  /**
   * Tells every listener of `channel` (this process's too). Notifications from one process arrive in the order
   * they were sent. A payload is at most NOTIFY_MAX_BYTES of UTF-8. Never throws: a lost notification costs a
   * listener its wake-up, never data (listeners poll as well).
   */
  notify(channel: string, payload: string): Promise<void>;
  /** Calls `handler` for each notification on `channel` until the returned function is called. */
  listen(channel: string, handler: TNotificationHandler): () => void;
  /** Whether notifications reach other processes on the same database. */
  readonly isNotifyShared: boolean;
  close(): Promise<void>;
};

/** Postgres refuses a NOTIFY payload of 8000 bytes or more; the senders keep well under it. */
export const NOTIFY_MAX_BYTES = 7900;
