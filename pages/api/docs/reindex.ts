import { acceptReindexHook } from '@/lib/docs/sources/reindex-hook';
import { defineRoute } from '@/lib/http';

// The deploy hook: re-reads every docs source now (lib/docs/sources/reindex-hook.ts). No session: a CI job or a host's
// webhook calls it with the token.
export const config = { api: { bodyParser: false } };

export default defineRoute(
  {
    async POST({ app, req, client }) {
      const accepted = await acceptReindexHook({
        deps: { db: app.db, reindexToken: app.config.docsSources.reindexToken ?? null, reindexer: app.docsReindex },
        authorization: req.headers.authorization,
        ip: client.ip,
      });
      return { status: 202, body: accepted };
    },
  },
  { isSessionless: true },
);
