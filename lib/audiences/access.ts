import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { isAppError } from '../errors';
import { authorizeMaintainer, type TMaintainerAccessDeps } from '../maintainers/access';
import { readSessionId } from '../session';
import { authenticateApiKey, type TApiKeyDeps } from '../v1/keys';
import { accessOfAudiences, MAINTAINER_ACCESS, PUBLIC_ACCESS, type TReaderAccess } from './index';
import { readReaderSession, type TReaderSessionDeps } from './session';

// The one resolver of what a caller may read, used by every surface (routes, pages, MCP, the assistant's runs). A
// reader's audiences come only from a verified identity:
// - a maintainer (the dashboard's link, token or cookie: lib/maintainers/access.ts) sees everything;
// - an API key (`Authorization: Bearer`, lib/v1/keys.ts) sees its audiences (api_key.audiences); a key without
//   audiences (made without them, one of API_KEYS, or made before audiences existed) sees the public pages only;
// - the session's reader (a host-signed token or OpenID Connect sign-in: ./session.ts) their audiences, until they expire.
// Nothing a reader sends in a question, a header or a query grants an audience; a wrong key is a reader, not an error.

export type TReaderAccessDeps = TMaintainerAccessDeps &
  TApiKeyDeps &
  TReaderSessionDeps & { config: { docsSources: { github?: { privateAudience?: string | null } | null } } };

/** What the caller of this request may read (`sessionId`: the caller's session, ctx.owner; absent: none is read). */
export async function readerAccessOf({
  deps,
  headers,
  query = {},
  sessionId,
}: {
  deps: TReaderAccessDeps;
  headers: IncomingHttpHeaders;
  query?: Record<string, string | string[] | undefined>;
  sessionId?: string;
}): Promise<TReaderAccess> {
  if (authorizeMaintainer({ deps, headers, query })) return MAINTAINER_ACCESS;
  const audiences = new Set<string>();
  if (headers.authorization) {
    try {
      const key = await authenticateApiKey({ deps, authorization: headers.authorization });
      for (const audience of key.audiences) audiences.add(audience);
    } catch (error) {
      if (!(isAppError(error) && error.code === 'unauthorized')) throw error;
    }
  }
  if (sessionId) {
    const reader = await readReaderSession({ deps, sessionId });
    for (const audience of reader?.audiences ?? []) audiences.add(audience);
  }
  return accessOfAudiences(audiences);
}

/**
 * readerAccessOf for a page or a route that makes no session (a docs page, a shared conversation, a `.md` twin): the
 * request's own session cookie, when it carries a valid one, says who the reader is.
 */
export function readerAccessOfRequest({ deps, req }: { deps: TReaderAccessDeps & { sessionSecret: string }; req: IncomingMessage }): Promise<TReaderAccess> {
  return readerAccessOf({ deps, headers: req.headers, sessionId: readSessionId({ req, secret: deps.sessionSecret }) });
}

/**
 * The access of the session's reader alone (a host-signed token, OpenID Connect sign-in), for the site's assistant: its
 * answers are posted to the review channel and may be shared, so a maintainer's token or an API key sent along with a
 * reader's question grants its run nothing (tests/production/github-private.test.ts); the reader's own identity does.
 */
export async function sessionReaderAccessOf({ deps, sessionId }: { deps: TReaderSessionDeps; sessionId: string }): Promise<TReaderAccess> {
  const reader = await readReaderSession({ deps, sessionId });
  return reader && reader.audiences.length > 0 ? { audiences: [...reader.audiences].sort(), isMaintainer: false } : PUBLIC_ACCESS;
}
