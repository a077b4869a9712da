import type { TDb } from './types';

// API keys for /v1 (supabase/schemas/80_api_keys.sql). The database holds a key's SHA-256, never the key.

export type TApiKeyRow = {
  id: string;
  name: string;
  key_hint: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
  /** The audiences whose pages the key reads; empty: the public pages only. */
  audiences: string[];
};

export function createApiKey({ db, name, keyHash, keyHint, audiences }: { db: TDb; name: string; keyHash: string; keyHint: string; audiences: string[] }) {
  return db.rpc<TApiKeyRow>('create_api_key', { p_name: name, p_key_hash: keyHash, p_key_hint: keyHint, p_audiences: audiences });
}

export function listApiKeys({ db }: { db: TDb }) {
  return db.rpc<TApiKeyRow[]>('list_api_keys');
}

/** Revokes the key with this id, or the one active key with this name (409 if several have it, 404 if none). */
export function revokeApiKeyByIdOrName({ db, key }: { db: TDb; key: string }) {
  return db.rpc<TApiKeyRow>('revoke_api_key', { p_key: key });
}

/** The active key with this hash, or null (unknown or revoked). */
export function getApiKeyByHash({ db, keyHash }: { db: TDb; keyHash: string }) {
  return db.rpc<TApiKeyRow | null>('get_api_key_by_hash', { p_key_hash: keyHash });
}
