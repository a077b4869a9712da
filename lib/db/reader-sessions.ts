import type { TDb } from './types';

// A site session's verified reader (supabase/schemas/15_reader_sessions.sql): written only once an identity is
// verified (lib/audiences/session.ts), read by the one resolver of a reader's access (lib/audiences/access.ts).

export type TReaderSessionRow = { subject: string; audiences: string[]; via: string; expires_at: string };

/** Makes or replaces the session's reader; 400 when `expiresAt` is already past. */
export function putReaderSession({
  db,
  sessionId,
  subject,
  audiences,
  via,
  expiresAt,
}: {
  db: TDb;
  sessionId: string;
  subject: string;
  audiences: readonly string[];
  via: string;
  expiresAt: Date;
}) {
  return db.rpc<TReaderSessionRow>('put_reader_session', {
    p_session_id: sessionId,
    p_subject: subject,
    p_audiences: [...audiences],
    p_via: via,
    p_expires_at: expiresAt.toISOString(),
  });
}

/** The session's reader while their identity holds; null when none, or expired. */
export function getReaderSessionById({ db, sessionId }: { db: TDb; sessionId: string }) {
  return db.rpc<TReaderSessionRow | null>('get_reader_session_by_id', { p_session_id: sessionId });
}

export function deleteReaderSessionById({ db, sessionId }: { db: TDb; sessionId: string }) {
  return db.rpc<boolean>('delete_reader_session_by_id', { p_session_id: sessionId });
}
