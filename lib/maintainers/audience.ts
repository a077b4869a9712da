import type { IncomingHttpHeaders } from 'node:http';
import { isAppError } from '../errors';
import { authenticateApiKey, type TApiKeyDeps } from '../v1/keys';
import { authorizeMaintainer, type TMaintainerAccessDeps } from './access';

// Who a search is for: a signed-in caller (a maintainer, by the dashboard's link, token or cookie, or a holder of
// an API key, lib/v1/keys.ts) may see the threads of a private repository (GITHUB_INCLUDE_PRIVATE); anyone else is a
// reader, who never does. The doors that know their caller (/api/docs-search, /mcp) ask here and hand the answer
// to the search as `isPrivateAllowed`; the assistant's runs, the embed and every door that does not ask search as a
// reader (the search's default).

export type TAudienceDeps = TMaintainerAccessDeps & TApiKeyDeps;

/** True for a maintainer or a valid API key; false for anyone else (a wrong key is a reader, not an error). */
export async function isSignedInCaller({
  deps,
  headers,
  query = {},
}: {
  deps: TAudienceDeps;
  headers: IncomingHttpHeaders;
  query?: Record<string, string | string[] | undefined>;
}): Promise<boolean> {
  if (authorizeMaintainer({ deps, headers, query })) return true;
  if (!headers.authorization) return false;
  try {
    await authenticateApiKey({ deps, authorization: headers.authorization });
    return true;
  } catch (error) {
    if (isAppError(error) && error.code === 'unauthorized') return false;
    throw error;
  }
}
