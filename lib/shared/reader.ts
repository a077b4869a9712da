// What the site's header knows of its reader (GET /api/reader/status): whether readers can sign in here, and who
// is signed in (the reader session's subject, audiences and expiry), or null.

export type TReaderStatus = {
  signIn: { isOidcOn: boolean };
  reader: { subject: string; audiences: string[]; expiresAt: string } | null;
};

export const READER_STATUS_PATH = '/api/reader/status';
export const OIDC_LOGIN_PATH = '/api/reader/oidc/login';
export const READER_SESSION_PATH = '/api/reader/session';
