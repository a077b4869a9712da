import { endReaderSession as endReaderSessionRow, getReaderSessionById, startReaderSession as startReaderSessionRow } from '../db/reader-sessions';
import type { TDb } from '../db/types';
import { AppError } from '../errors';
import type { TRenewSession } from '../session';
import { isStorableText } from '../shared/text';
import { audienceNamesOf } from './index';
import { readerTokenKey, verifyReaderToken } from './token';
import type { TReadersConfig } from './settings';

// A reader's identity on their session: the one way it is made, whatever verified it (a host-signed token here, the
// OpenID Connect callback elsewhere), and the one way it ends. The session is the caller's own (the session cookie's
// id, or the embed's reader id): an identity is never put on a session the caller does not hold.
//
// Signing in and signing out each move the caller to a new session id (`renewSession`: a new cookie, or a new embed
// token), taking the reader's conversations along (supabase/schemas/15_reader_sessions.sql). So a session id someone
// else knows (a cookie planted in the reader's browser before they sign in, a token handed to the embed) never
// becomes the signed-in reader's, and an id copied while they were signed in holds nothing once they sign out.

export type TReaderSessionDeps = { db: TDb };
export type { TRenewSession };

export type TReaderIdentity = { subject: string; audiences: string[]; expiresAt: string; via: string };

/** The longest subject a reader session keeps (reader_session's check). */
const MAX_SUBJECT_CHARS = 300;

/**
 * Makes the caller's reader `subject`, holding `audiences` until `expiresAt` (then they hold none again, and keep
 * their conversations), on a new session id (`renewSession`) that takes over what `sessionId` owned. `via`: what
 * verified them (`token`, `oidc`), for the logs and the reader's own view. `tokenKey`: the host-signed token that did
 * (readerTokenKey), refused once its reader signs out. A subject that is blank, longer than 300 characters or holds a
 * NUL or an unpaired surrogate is refused (400) as it is, never shortened or cleaned: it is an identity, and another
 * reader's could be what a cleaned one reads as.
 */
export async function startReaderSession({
  deps,
  sessionId,
  renewSession,
  subject,
  audiences,
  expiresAt,
  via = 'token',
  tokenKey = null,
}: {
  deps: TReaderSessionDeps;
  sessionId: string;
  renewSession: TRenewSession;
  subject: string;
  audiences: readonly string[];
  expiresAt: Date;
  via?: string;
  tokenKey?: string | null;
}): Promise<TReaderIdentity> {
  if (expiresAt.getTime() <= Date.now()) throw new AppError('unauthorized', 'The reader\'s identity has already expired.');
  if (subject.trim() === '' || subject.length > MAX_SUBJECT_CHARS || !isStorableText(subject)) {
    throw new AppError('bad_request', `The reader's identity was refused: its subject must be 1 to ${MAX_SUBJECT_CHARS} characters without a NUL character or an unpaired surrogate.`, { param: 'sub' });
  }
  const row = await renewSession((newSessionId) =>
    startReaderSessionRow({ db: deps.db, fromSessionId: sessionId, sessionId: newSessionId, subject, audiences: audienceNamesOf([...audiences]), via, expiresAt, tokenKey }),
  );
  return { subject: row.subject, audiences: row.audiences, expiresAt: new Date(row.expires_at).toISOString(), via: row.via };
}

/** POST /api/reader/session: a host-signed token becomes the session's reader (401 when it does not verify or was signed out; 404 when tokens are off). */
export async function startReaderSessionFromToken({
  deps,
  sessionId,
  renewSession,
  token,
}: {
  deps: TReaderSessionDeps & { config: { readers: TReadersConfig } };
  sessionId: string;
  renewSession: TRenewSession;
  token: string;
}): Promise<TReaderIdentity> {
  const config = deps.config.readers.token;
  if (!config) throw new AppError('not_found', 'Reader tokens are not configured here (READER_TOKEN_SECRET or READER_JWKS_URL).');
  const reader = await verifyReaderToken({ config, token });
  return startReaderSession({ deps, sessionId, renewSession, subject: reader.subject, audiences: reader.audiences, expiresAt: reader.expiresAt, via: 'token', tokenKey: readerTokenKey(token, reader) });
}

/** The session's reader while their identity holds, else null. */
export async function readReaderSession({ deps, sessionId }: { deps: TReaderSessionDeps; sessionId: string }): Promise<TReaderIdentity | null> {
  const row = await getReaderSessionById({ db: deps.db, sessionId });
  return row ? { subject: row.subject, audiences: row.audiences, expiresAt: new Date(row.expires_at).toISOString(), via: row.via } : null;
}

/**
 * DELETE /api/reader/session: the reader signs out. The caller moves to a new session id with their conversations;
 * the old id holds nothing, and the token that signed them in (if one did) is refused until it expires.
 */
export async function endReaderSession({ deps, sessionId, renewSession }: { deps: TReaderSessionDeps; sessionId: string; renewSession: TRenewSession }): Promise<{ deleted: boolean }> {
  return { deleted: await renewSession((newSessionId) => endReaderSessionRow({ db: deps.db, fromSessionId: sessionId, sessionId: newSessionId })) };
}
