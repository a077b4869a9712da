import { handleGithubWebhook } from '@/lib/handoff/replies';
import { defineRoute } from '@/lib/http';

// The signature covers the raw bytes: Next's body parser stays off, the handler reads the body as sent.
export const config = { api: { bodyParser: false } };

// GitHub's webhook (lib/handoff/replies.ts): a maintainer's comment on a hand-off's issue or discussion reaches the
// reader's conversation. 404 without GITHUB_WEBHOOK_SECRET; 401 unsigned or forged (X-Hub-Signature-256); a replayed
// delivery (X-GitHub-Delivery) is acknowledged and adds nothing. GitHub has no session and sends from many addresses:
// no cookie, no burst limit (the signature check comes first and is cheap).
export default defineRoute(
  {
    async POST({ app, req, rawBody }) {
      const outcome = await handleGithubWebhook({ deps: app, headers: req.headers, body: await rawBody() });
      return { body: { ok: true, outcome: outcome.type } };
    },
  },
  { isSessionless: true, isRateLimited: false },
);
