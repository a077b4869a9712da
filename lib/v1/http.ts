import { accessOfAudiences } from '../audiences';
import { defineRouteWithDoor, type TMethod, type TRouteHandler } from '../http';
import { enforceApiKeyRequestLimit, resolveClientIp } from '../limits';
import { openAiStreamError, toOpenAiError } from '../http/openai-errors';
import { authenticateApiKey, ownerOfKey } from './keys';

// The route wrapper of /v1 (pages/api/v1, served at /v1 by a rewrite in next.config.mjs): the site's wrapper
// (lib/http/index.ts) with the API's door. The caller is its bearer key, never a session: no cookie is read or set, so
// a reader's session never reaches /v1 (nor /api/v1), and a request without a valid key is a 401. Each key has
// its own request limit (429 with Retry-After). Errors have OpenAI's body ({error: {message, type, param, code}})
// with the site's statuses. Writes need no same-origin check: a bearer key does not ride along on a cross-site
// request as a cookie does.

export function defineApiRoute(handlers: Partial<Record<TMethod, TRouteHandler>>) {
  return defineRouteWithDoor(handlers, {
    originCheck: 'none',
    async identify({ req, app }) {
      const key = await authenticateApiKey({ deps: app, authorization: req.headers.authorization });
      await enforceApiKeyRequestLimit({ deps: { db: app.db, api: app.config.api, rateLimits: app.config.rateLimits }, keyId: key.id });
      const owner = ownerOfKey(key.id);
      // The key's audiences are what its runs read (issue 57): known here, with the key, not looked up again.
      return { owner, client: { sessionId: owner, ip: resolveClientIp(req, app.config.rateLimits) }, access: accessOfAudiences(key.audiences) };
    },
    errorBody: toOpenAiError,
    streamErrorBody: openAiStreamError,
  });
}
