import { z } from 'zod';
import { ConfigError, defineSettings, optionalString, requirePartner } from '../settings';

// Sign-in on the docs site itself with OpenID Connect (lib/identity/oidc.ts): the provider's issuer URL, this
// site's client at the provider, and the ID token's (or userinfo's) claim that lists the reader's audiences.
// OIDC_ISSUER and OIDC_CLIENT_ID turn it on; OIDC_CLIENT_SECRET is for a confidential client (without it the
// site is a public client, PKCE alone). The issuer is https, or http on this machine's own address (a provider
// in a test or on a developer's machine): tokens and the client secret never cross a network in the clear.

export type TOidcConfig = {
  issuer: string;
  clientId: string;
  /** Unset: a public client (token_endpoint_auth_method none). */
  clientSecret: string | null;
  /** The claim whose value (a list, or one name) gives the reader's audiences. */
  audiencesClaim: string;
};

export type TIdentityConfig = { oidc: TOidcConfig | null };

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** https, or http on a loopback address. */
export function isAllowedIssuer(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (url.protocol === 'https:') return true;
  return url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname);
}

export const identitySettings = defineSettings(
  {
    OIDC_ISSUER: optionalString.refine((value) => value === undefined || isAllowedIssuer(value), {
      message: 'OIDC_ISSUER must be an https URL (http only on localhost or 127.0.0.1)',
    }),
    OIDC_CLIENT_ID: optionalString,
    OIDC_CLIENT_SECRET: optionalString,
    OIDC_AUDIENCES_CLAIM: optionalString.pipe(z.string().regex(/^[\x21-\x7e]{1,200}$/, 'OIDC_AUDIENCES_CLAIM must be a claim name').optional()),
  },
  (env): { identity: TIdentityConfig } => {
    requirePartner(env, 'OIDC_ISSUER', 'OIDC_CLIENT_ID');
    requirePartner(env, 'OIDC_CLIENT_ID', 'OIDC_ISSUER');
    requirePartner(env, 'OIDC_CLIENT_SECRET', 'OIDC_ISSUER');
    if (env.OIDC_AUDIENCES_CLAIM !== undefined && env.OIDC_ISSUER === undefined) {
      throw new ConfigError('OIDC_AUDIENCES_CLAIM is set but OIDC_ISSUER is missing');
    }
    if (env.OIDC_ISSUER === undefined || env.OIDC_CLIENT_ID === undefined) return { identity: { oidc: null } };
    return {
      identity: {
        oidc: {
          issuer: env.OIDC_ISSUER,
          clientId: env.OIDC_CLIENT_ID,
          clientSecret: env.OIDC_CLIENT_SECRET ?? null,
          audiencesClaim: env.OIDC_AUDIENCES_CLAIM ?? 'groups',
        },
      },
    };
  },
);
