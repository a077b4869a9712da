import { defineRoute } from '@/lib/http';
import { signInMaintainer, signOutMaintainerCookie, ZMaintainerSignIn } from '@/lib/maintainers/access';

// Next's own body parser answers 413 in plain text; the route wrapper reads and limits the body itself.
export const config = { api: { bodyParser: false } };

// The dashboard's sign-in: {token} (MAINTAINER_TOKEN) → 204 and an httpOnly, SameSite=Strict cookie that opens
// /maintainers for 12 hours; 401 for a wrong token. DELETE signs out. No reader session is made here, and the
// burst limits apply (guessing is slow).
export default defineRoute(
  {
    async POST(ctx) {
      const { token } = await ctx.body(ZMaintainerSignIn);
      const cookie = signInMaintainer({ deps: ctx.app, token, isSecure: ctx.app.config.siteUrl.startsWith('https:') });
      return { status: 200, body: { ok: true }, headers: { 'Set-Cookie': cookie } };
    },
    async DELETE({ app }) {
      return { status: 200, body: { ok: true }, headers: { 'Set-Cookie': signOutMaintainerCookie(app.config.siteUrl.startsWith('https:')) } };
    },
  },
  { isSessionless: true },
);
