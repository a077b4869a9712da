import { z } from 'zod';
import { defineRoute, parseWith, redirectResult } from '@/lib/http';
import { beginOidcSignIn } from '@/lib/identity/oidc';

// Sign-in with OpenID Connect (lib/identity/oidc.ts): sends the reader to the provider, to come back to
// `returnTo` (a path of this site; anything else is the docs' home). 404 when sign-in is not set up.
const ZQuery = z.object({ returnTo: z.string().max(2000).optional() });

export default defineRoute({
  async GET(ctx) {
    const { returnTo } = parseWith(ZQuery, ctx.query);
    return redirectResult(await beginOidcSignIn({ deps: ctx.app, sessionId: ctx.owner, siteUrl: ctx.app.config.siteUrl, returnTo }));
  },
});
