import { ConfigError, defineSettings, optionalString, optionalUrl } from '../settings';
import { AUDIENCE_NAME } from './paths';

// Reader tokens from the host site (POST /api/reader/session, ./token.ts): a JWT the host signs, HS256 with
// READER_TOKEN_SECRET or RS256/ES256 with a key of READER_JWKS_URL (one or the other); its `iss` and `aud` are
// checked when READER_TOKEN_ISSUER / READER_TOKEN_AUDIENCE are set. Neither set: reader tokens are off (404).

export type TReaderTokenConfig = {
  /** HS256's shared secret (at least 32 characters), or null. */
  secret: string | null;
  /** Where the host publishes its public keys (RS256, ES256), or null. */
  jwksUrl: string | null;
  issuer: string | null;
  audience: string | null;
};

export type TReadersConfig = { token: TReaderTokenConfig | null };

export const readersSettings = defineSettings(
  {
    READER_TOKEN_SECRET: optionalString.refine((value) => value === undefined || value.length >= 32, {
      message: 'READER_TOKEN_SECRET must be at least 32 characters',
    }),
    READER_JWKS_URL: optionalUrl('READER_JWKS_URL'),
    READER_TOKEN_ISSUER: optionalString,
    READER_TOKEN_AUDIENCE: optionalString,
  },
  (env): { readers: TReadersConfig } => {
    if (env.READER_TOKEN_SECRET && env.READER_JWKS_URL) {
      throw new ConfigError('READER_TOKEN_SECRET and READER_JWKS_URL are both set: reader tokens are verified with one or the other');
    }
    const isOn = env.READER_TOKEN_SECRET !== undefined || env.READER_JWKS_URL !== undefined;
    if (!isOn && (env.READER_TOKEN_ISSUER || env.READER_TOKEN_AUDIENCE)) {
      throw new ConfigError('READER_TOKEN_ISSUER or READER_TOKEN_AUDIENCE is set but neither READER_TOKEN_SECRET nor READER_JWKS_URL is');
    }
    return {
      readers: {
        token: isOn
          ? { secret: env.READER_TOKEN_SECRET ?? null, jwksUrl: env.READER_JWKS_URL ?? null, issuer: env.READER_TOKEN_ISSUER ?? null, audience: env.READER_TOKEN_AUDIENCE ?? null }
          : null,
      },
    };
  },
);

/**
 * A variable saying what the readers of a place outside the deployment may read (SLACK_REVIEW_AUDIENCES,
 * HANDOFF_GITHUB_AUDIENCES): `*` (every page), or audience names separated by `|` or `,`; unset, the public pages.
 * Read with accessOfSetting (./index.ts).
 */
export function audiencesSettingVariable(name: string) {
  return optionalString.refine((value) => value === undefined || value.trim() === '*' || value.split(/[|,]/).every((part) => AUDIENCE_NAME.test(part.trim())), {
    message: `${name} must be * or audience names separated by | or ,`,
  });
}
