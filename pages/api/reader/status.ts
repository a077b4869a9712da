import { defineRoute } from '@/lib/http';
import { readReaderStatus } from '@/lib/identity/sign-in';

// The header's sign-in control asks here (components/docs/ReaderSignIn.tsx): whether readers sign in on this site
// (OpenID Connect), and who the session's reader is, or null. Never cached: it is the reader's own.
export default defineRoute({
  async GET(ctx) {
    return { body: await readReaderStatus({ deps: ctx.app, sessionId: ctx.owner }), headers: { 'Cache-Control': 'no-store' } };
  },
});
