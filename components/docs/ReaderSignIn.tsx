import { useEffect, useState } from 'react';
import { OIDC_LOGIN_PATH, READER_SESSION_PATH, READER_STATUS_PATH, type TReaderStatus } from '@/lib/shared/reader';

/**
 * The header's sign-in and sign-out, shown only when the site signs readers in (OpenID Connect: OIDC_ISSUER).
 * The page is the same for every reader (a static page): who is signed in is asked after it loads. Signing in
 * goes to the provider and comes back to this page; signing out ends the reader session and reloads the page, so
 * that nothing of an audience stays on screen. Plain HTML in Paste's look (styles/site.css), like the rest of the header.
 */
export function ReaderSignIn() {
  const [status, setStatus] = useState<TReaderStatus | null>(null);
  const [isSigningOut, setIsSigningOut] = useState(false);
  useEffect(() => {
    let isCurrent = true;
    fetch(READER_STATUS_PATH, { headers: { Accept: 'application/json' } })
      .then((response) => (response.ok ? (response.json() as Promise<TReaderStatus>) : null))
      .then((value) => {
        if (isCurrent) setStatus(value);
      })
      .catch(() => {});
    return () => {
      isCurrent = false;
    };
  }, []);
  if (!status?.signIn.isOidcOn) return null;
  if (!status.reader) {
    const returnTo = `${window.location.pathname}${window.location.search}${window.location.hash}`;
    return (
      <a className="button button-secondary button-small reader-sign-in" href={`${OIDC_LOGIN_PATH}?returnTo=${encodeURIComponent(returnTo)}`}>
        Sign in
      </a>
    );
  }
  const signOut = () => {
    setIsSigningOut(true);
    void fetch(READER_SESSION_PATH, { method: 'DELETE' })
      .catch(() => {})
      .finally(() => window.location.reload());
  };
  return (
    <button
      type="button"
      className="button button-secondary button-small reader-sign-in"
      onClick={signOut}
      disabled={isSigningOut}
      title={`Signed in as ${status.reader.subject}`}
    >
      Sign out<span className="visually-hidden"> {status.reader.subject}</span>
    </button>
  );
}
