import { createHash } from 'node:crypto';

// How an API key is known without being kept: its SHA-256. A key is 32 random bytes, so a plain hash is as good
// as a slow one here (there is nothing to guess), and it is one lookup per request.

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** The id of a key given in API_KEYS (it has no row): stable across restarts and instances, derived from its hash. */
export function envApiKeyId(keyHash: string): string {
  return `key_env_${keyHash.slice(0, 16)}`;
}
