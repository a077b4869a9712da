import { randomBytes } from 'node:crypto';
import type { TApiConfig } from './settings';
import { createApiKey, getApiKeyByHash, listApiKeys, revokeApiKeyByIdOrName, type TApiKeyRow } from '../db/api-keys';
import type { TDb } from '../db/types';
import { AppError } from '../errors';
import { AUDIENCE_NAME } from '../audiences/paths';
import { hashApiKey } from './key-hash';

// API keys for /v1. A key is shown once, when it is made (`npm run api-key -- create <name>`); the database keeps
// its SHA-256, a hint to recognise it by, and when it was revoked. Keys in API_KEYS (bootstrapping, tests) have no
// row: their hashes are in the config. The objects a key creates are owned by `apikey:<key id>`, an owner no site
// session can have (session ids have no colon): a key sees only its own objects, and a cookie none of them. A key
// reads the pages of the audiences it was made with (`--audiences staff,beta`); without any, the public pages only;
// keys in API_KEYS have none.

export const API_KEY_PREFIX = 'pa-sk-';
const OWNER_PREFIX = 'apikey:';

export type TApiKeyDeps = { db: TDb; config: { api: Pick<TApiConfig, 'envKeys'> } };

/** A new key: 32 random bytes, base64url, after a prefix that says what it is. */
export function generateApiKey(): { key: string; hash: string; hint: string } {
  const key = `${API_KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
  return { key, hash: hashApiKey(key), hint: `${API_KEY_PREFIX}…${key.slice(-4)}` };
}

/** Makes a key named `name` that reads the pages of `audiences`; returns the key itself (to show once) and its row. */
export async function createKey({ db, name, audiences = [] }: { db: TDb; name: string; audiences?: string[] }): Promise<{ key: string; row: TApiKeyRow }> {
  const trimmed = name.trim();
  if (trimmed === '' || trimmed.length > 100) throw new AppError('bad_request', 'A key name has 1 to 100 characters.');
  const names = audiences.map((audience) => audience.trim()).filter((audience) => audience !== '');
  const invalid = names.find((audience) => !AUDIENCE_NAME.test(audience));
  if (invalid !== undefined) throw new AppError('bad_request', `"${invalid}" is not an audience name (letters, digits and . _ : -, starting with a letter or digit, at most 100 characters).`);
  const { key, hash, hint } = generateApiKey();
  return { key, row: await createApiKey({ db, name: trimmed, keyHash: hash, keyHint: hint, audiences: names }) };
}

export function listKeys({ db }: { db: TDb }) {
  return listApiKeys({ db });
}

export function revokeKey({ db, key }: { db: TDb; key: string }) {
  return revokeApiKeyByIdOrName({ db, key });
}

export function ownerOfKey(keyId: string): string {
  return `${OWNER_PREFIX}${keyId}`;
}

/** The key id an owner stands for, or null when the owner is not an API key (a site session). */
export function keyIdOfOwner(owner: string): string | null {
  return owner.startsWith(OWNER_PREFIX) ? owner.slice(OWNER_PREFIX.length) : null;
}

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/** The key a request was made with: its id (its objects' owner) and the audiences whose pages it reads. */
export type TApiKeyCaller = { id: string; audiences: string[] };

/**
 * The key an Authorization header carries (`Bearer <key>`): one of API_KEYS, or an active key of the database.
 * 401 otherwise, whatever else the request carries (a session cookie is not a key).
 */
export async function authenticateApiKey({ deps, authorization }: { deps: TApiKeyDeps; authorization: string | undefined }): Promise<TApiKeyCaller> {
  const match = BEARER.exec(authorization ?? '');
  if (!match) {
    throw new AppError(
      'unauthorized',
      "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
    );
  }
  const hash = hashApiKey(match[1] as string);
  const fromEnv = deps.config.api.envKeys.find((key) => key.hash === hash);
  if (fromEnv) return { id: fromEnv.id, audiences: [] };
  const row = await getApiKeyByHash({ db: deps.db, keyHash: hash });
  if (!row) throw new AppError('unauthorized', 'Incorrect API key provided. Make one with `npm run api-key -- create <name>`.');
  return { id: row.id, audiences: row.audiences ?? [] };
}
