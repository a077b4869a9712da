import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

// A real OpenID Connect provider on 127.0.0.1 (the oidc-provider library, certified by the OpenID Foundation),
// for the docs site's sign-in: discovery, the authorization endpoint with its own login and consent forms (its
// development interactions: the login is the account's id, any password), PKCE required, the token endpoint
// (client_secret_basic) and userinfo. Each account's `groups` claim comes from `accounts` (an unknown login has
// none); oidc-provider keeps it out of the ID token and serves it from userinfo, as many providers do.
//
// The provider listens before it knows the client's redirect URI (a `next start` picks its port after the
// provider's URL is in its environment): `configure` registers the client; until then every request is a 503.

export const OIDC_TEST_CLIENT_ID = 'paste-assistant-docs';
export const OIDC_TEST_CLIENT_SECRET = 'oidc-test-client-secret-0123456789abcdef';

export type TOidcTestProvider = {
  issuer: string;
  /** Registers the docs site as the client, redirecting to `redirectUris`. */
  configure(args: { redirectUris: string[] }): void;
  close(): Promise<void>;
};

export async function startOidcProvider({ accounts }: { accounts: Record<string, string[]> }): Promise<TOidcTestProvider> {
  let handler: ((req: IncomingMessage, res: ServerResponse) => void) | null = null;
  const server = createServer((req, res) => {
    if (handler) return handler(req, res);
    res.statusCode = 503;
    res.end('not configured');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    issuer,
    configure({ redirectUris }) {
      const provider = new Provider(issuer, {
        clients: [
          {
            client_id: OIDC_TEST_CLIENT_ID,
            client_secret: OIDC_TEST_CLIENT_SECRET,
            redirect_uris: redirectUris,
            response_types: ['code'],
            grant_types: ['authorization_code'],
            token_endpoint_auth_method: 'client_secret_basic',
          },
        ],
        pkce: { required: () => true },
        claims: { openid: ['sub'], profile: ['name', 'groups'] },
        cookies: { keys: ['oidc-test-cookie-key-0123456789'] },
        ttl: { Interaction: 600, Session: 3600, Grant: 3600, AccessToken: 600, IdToken: 600 },
        findAccount: (_ctx, id) => ({
          accountId: id,
          claims: () => ({ sub: id, name: id, groups: accounts[id] ?? [] }),
        }),
      });
      handler = provider.callback() as (req: IncomingMessage, res: ServerResponse) => void;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * Goes through the provider's forms as a browser would (its cookies kept, redirects followed by hand): from the
 * authorization URL, signs in as `login`, consents, and returns the URL the provider sends the browser back to
 * (the client's redirect URI with `code`, `state` and `iss`), without following it.
 */
export async function signInAtProvider({ authorizationUrl, login, redirectUri }: { authorizationUrl: string; login: string; redirectUri: string }): Promise<string> {
  const cookies = new Map<string, string>();
  const remember = (response: Response) => {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const index = pair!.indexOf('=');
      cookies.set(pair!.slice(0, index), pair!.slice(index + 1));
    }
  };
  const cookieHeader = () => [...cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  let url = authorizationUrl;
  let body: string | undefined;
  for (let step = 0; step < 20; step += 1) {
    if (url.startsWith(redirectUri)) return url;
    const response = await fetch(url, {
      method: body === undefined ? 'GET' : 'POST',
      redirect: 'manual',
      headers: { cookie: cookieHeader(), ...(body === undefined ? {} : { 'content-type': 'application/x-www-form-urlencoded' }) },
      body,
    });
    remember(response);
    const location = response.headers.get('location');
    if (location) {
      url = new URL(location, url).toString();
      body = undefined;
      continue;
    }
    const html = await response.text();
    if (response.status !== 200) throw new Error(`the provider answered ${response.status}: ${html.slice(0, 500)}`);
    const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
    const prompt = /name="prompt" value="([^"]+)"/.exec(html)?.[1];
    if (!action || !prompt) throw new Error(`no form on the provider's page: ${html.slice(0, 500)}`);
    url = new URL(action.replace(/&amp;/g, '&'), url).toString();
    body = new URLSearchParams(prompt === 'login' ? { prompt, login, password: 'any-password' } : { prompt }).toString();
  }
  throw new Error('the provider never sent the browser back');
}
