import { defineRoute, redirectResult } from '@/lib/http';
import { completeOidcSignIn } from '@/lib/identity/sign-in';

// Where the OpenID provider sends the reader back (lib/identity/oidc.ts): the state, the code and the ID token are
// checked, the reader session is started on a new session cookie (which keeps the reader's conversations), and the
// reader goes back to where they were (a path of this site: lib/shared/return-path.ts). A state that is not this
// session's, stale or altered, a code the provider refuses or an ID token that fails a check: 400, sign in again.
export default defineRoute({
  async GET(ctx) {
    const search = new URL(ctx.req.url ?? '/', 'http://local').search;
    const { returnTo } = await completeOidcSignIn({ deps: ctx.app, sessionId: ctx.owner, renewSession: ctx.renewSession, siteUrl: ctx.app.config.siteUrl, search });
    return redirectResult(returnTo);
  },
});
