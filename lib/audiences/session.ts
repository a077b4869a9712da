import { deleteReaderSessionById, getReaderSessionById, putReaderSession } from '../db/reader-sessions';
import type { TDb } from '../db/types';
import { AppError } from '../errors';
import { audienceNamesOf } from './index';
import { verifyReaderToken } from './token';
import type { TReadersConfig } from './settings';

// A reader's identity on their session: the one way it is made, whatever verified it (a host-signed token here, the
// OpenID Connect callback elsewhere), and the one way it ends. The session is the caller's own (the session cookie's
// id, or the embed's reader id): an identity is never put on a session the caller does not hold.

export type TReaderSessionDeps = { db: TDb };

export type TReaderIdentity = { subject: string; audiences: string[]; expiresAt: string; via: string };

/**
 * Makes `sessionId`'s reader `subject`, holding `audiences` until `expiresAt` (then they hold none again, and keep
 * their conversations). `via`: what verified them (`token`, `oidc`), for the logs and the reader's own view.
 */
export async function startReaderSession({
  deps,
  sessionId,
  subject,
  audiences,
  expiresAt,
  via = 'token',
}: {
  deps: TReaderSessionDeps;
  sessionId: string;
  subject: string;
  audiences: readonly string[];
  expiresAt: Date;
  via?: string;
}): Promise<TReaderIdentity> {
  if (expiresAt.getTime() <= Date.now()) throw new AppError('unauthorized', 'The reader\'s identity has already expired.');
  const row = await putReaderSession({ db: deps.db, sessionId, subject, audiences: audienceNamesOf([...audiences]), via, expiresAt });
  return { subject: row.subject, audiences: row.audiences, expiresAt: new Date(row.expires_at).toISOString(), via: row.via };
}

/** POST /api/reader/session: a host-signed token becomes the session's reader (401 when it does not verify; 404 when tokens are off). */
export async function startReaderSessionFromToken({
  deps,
  sessionId,
  token,
}: {
  deps: TReaderSessionDeps & { config: { readers: TReadersConfig } };
  sessionId: string;
  token: string;
}): Promise<TReaderIdentity> {
  const config = deps.config.readers.token;
  if (!config) throw new AppError('not_found', 'Reader tokens are not configured here (READER_TOKEN_SECRET or READER_JWKS_URL).');
  const reader = await verifyReaderToken({ config, token });
  return startReaderSession({ deps, sessionId, subject: reader.subject, audiences: reader.audiences, expiresAt: reader.expiresAt, via: 'token' });
}

/** The session's reader while their identity holds, else null. */
export async function readReaderSession({ deps, sessionId }: { deps: TReaderSessionDeps; sessionId: string }): Promise<TReaderIdentity | null> {
  const row = await getReaderSessionById({ db: deps.db, sessionId });
  return row ? { subject: row.subject, audiences: row.audiences, expiresAt: new Date(row.expires_at).toISOString(), via: row.via } : null;
}

/** DELETE /api/reader/session: the session holds no identity any more (its conversations stay its own). */
export async function endReaderSession({ deps, sessionId }: { deps: TReaderSessionDeps; sessionId: string }): Promise<{ deleted: boolean }> {
  return { deleted: await deleteReaderSessionById({ db: deps.db, sessionId }) };
}
