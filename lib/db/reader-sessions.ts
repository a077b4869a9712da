import type { TDb } from './types';

// A site session's verified reader (supabase/schemas/15_reader_sessions.sql): written only once an identity is
// verified (lib/audiences/session.ts), read by the one resolver of a reader's access (lib/audiences/access.ts).
// Signing in and out move the reader to a new session id, with their conversations, in one transaction.

export type TReaderSessionRow = { subject: string; audiences: string[]; via: string; expires_at: string };

/**
 * Signs the reader in on the new session id `sessionId`, moving to it what `fromSessionId` owned (which keeps no
 * identity); 400 when `expiresAt` is already past, 401 when `tokenKey` names a token whose reader signed out.
 */
export function startReaderSession({
  db,
  fromSessionId,
  sessionId,
  subject,
  audiences,
  via,
  expiresAt,
  tokenKey,
}: {
  db: TDb;
  fromSessionId: string;
  sessionId: string;
  subject: string;
  audiences: readonly string[];
  via: string;
  expiresAt: Date;
  /** The host-signed token that verified the reader (lib/audiences/token.ts readerTokenKey); null for OpenID Connect. */
  tokenKey: string | null;
}) {
  return db.rpc<TReaderSessionRow>('start_reader_session', {
    p_from_session_id: fromSessionId,
    p_session_id: sessionId,
    p_subject: subject,
    p_audiences: [...audiences],
    p_via: via,
    p_expires_at: expiresAt.toISOString(),
    p_token_key: tokenKey,
  });
}

/** The session's reader while their identity holds; null when none, or expired. */
export function getReaderSessionById({ db, sessionId }: { db: TDb; sessionId: string }) {
  return db.rpc<TReaderSessionRow | null>('get_reader_session_by_id', { p_session_id: sessionId });
}

/**
 * Signs `fromSessionId`'s reader out (their token, if one verified them, is refused until it expires) and moves what
 * it owned to the new session id `sessionId`. True when a reader was signed in.
 */
export function endReaderSession({ db, fromSessionId, sessionId }: { db: TDb; fromSessionId: string; sessionId: string }) {
  return db.rpc<boolean>('end_reader_session', { p_from_session_id: fromSessionId, p_session_id: sessionId });
}
