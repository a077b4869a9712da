import { readReaderSession, startReaderSession, type TReaderSessionDeps, type TRenewSession } from '../audiences/session';
import type { TReaderStatus } from '../shared/reader';
import { finishOidcSignIn, type TOidcDeps } from './oidc';

// What the OIDC routes call: the callback (the provider's answer checked and exchanged, then the reader session
// started on a new session id that takes over the caller's, lib/audiences/session.ts), and the header's question of
// who is signed in.

/** GET /api/reader/oidc/callback: the signed-in reader's session (a new session id); where the reader goes back to. */
export async function completeOidcSignIn({
  deps,
  sessionId,
  renewSession,
  siteUrl,
  search,
}: {
  deps: TOidcDeps & TReaderSessionDeps;
  sessionId: string;
  renewSession: TRenewSession;
  siteUrl: string;
  search: string;
}): Promise<{ returnTo: string }> {
  const { reader, returnTo } = await finishOidcSignIn({ deps, sessionId, siteUrl, search });
  await startReaderSession({ deps, sessionId, renewSession, subject: reader.subject, audiences: reader.audiences, expiresAt: reader.expiresAt, via: 'oidc' });
  deps.log.info({ audiences: reader.audiences.length }, 'reader signed in with OIDC');
  return { returnTo };
}

/** GET /api/reader/status: whether readers sign in here, and the session's reader while their identity holds. */
export async function readReaderStatus({ deps, sessionId }: { deps: Pick<TOidcDeps, 'oidc'> & TReaderSessionDeps; sessionId: string }): Promise<TReaderStatus> {
  const reader = await readReaderSession({ deps, sessionId });
  return { signIn: { isOidcOn: deps.oidc !== null }, reader: reader ? { subject: reader.subject, audiences: reader.audiences, expiresAt: reader.expiresAt } : null };
}
