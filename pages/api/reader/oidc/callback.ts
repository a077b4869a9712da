import { defineRoute, redirectResult } from '@/lib/http';
import { completeOidcSignIn } from '@/lib/identity/sign-in';

// Where the OpenID provider sends the reader back (lib/identity/oidc.ts): the state, the code and the ID token are
// checked, the reader session is started, and the reader goes back to where they were. A state that is not this
// session's, stale or altered, a code the provider refuses or an ID token that fails a check: 400, sign in again.
export default defineRoute({
  async GET(ctx) {
    const search = new URL(ctx.req.url ?? '/', 'http://local').search;
    const { returnTo } = await completeOidcSignIn({ deps: ctx.app, sessionId: ctx.owner, siteUrl: ctx.app.config.siteUrl, search });
    return redirectResult(returnTo);
  },
});
