import { failure, parse } from '../helpers/config-parse';
import { describe, expect, it } from 'vitest';
import { readAudiences } from '@/lib/identity/oidc';
import { openTransaction, sealTransaction } from '@/lib/identity/transaction';

// OIDC_* (lib/identity/settings.ts): off unless the issuer and the client are set, https only (http on the
// machine's own address), partners required; and the pure parts of the sign-in: return paths, the sealed state.


describe('OIDC settings', () => {
  it('is off without configuration', () => {
    expect(parse({}).identity).toEqual({ oidc: null });
  });

  it('reads the issuer, the client and the audiences claim (default groups)', () => {
    expect(parse({ OIDC_ISSUER: 'https://id.example.com/realms/docs', OIDC_CLIENT_ID: 'docs', OIDC_CLIENT_SECRET: 'secret' }).identity.oidc).toEqual({
      issuer: 'https://id.example.com/realms/docs',
      clientId: 'docs',
      clientSecret: 'secret',
      audiencesClaim: 'groups',
    });
    expect(parse({ OIDC_ISSUER: 'http://127.0.0.1:4000', OIDC_CLIENT_ID: 'docs', OIDC_AUDIENCES_CLAIM: 'https://example.com/roles' }).identity.oidc).toMatchObject({
      clientSecret: null,
      audiencesClaim: 'https://example.com/roles',
    });
  });

  it('refuses an http issuer off this machine, a missing partner, a malformed claim name', () => {
    expect(failure({ OIDC_ISSUER: 'http://id.example.com', OIDC_CLIENT_ID: 'docs' })).toMatch(/^OIDC_ISSUER: .*https/);
    expect(failure({ OIDC_ISSUER: 'https://id.example.com' })).toBe('OIDC_ISSUER is set but OIDC_CLIENT_ID is missing');
    expect(failure({ OIDC_CLIENT_ID: 'docs' })).toBe('OIDC_CLIENT_ID is set but OIDC_ISSUER is missing');
    expect(failure({ OIDC_CLIENT_SECRET: 'x' })).toBe('OIDC_CLIENT_SECRET is set but OIDC_ISSUER is missing');
    expect(failure({ OIDC_ISSUER: 'https://id.example.com', OIDC_CLIENT_ID: 'docs', OIDC_AUDIENCES_CLAIM: 'has space' })).toMatch(/^OIDC_AUDIENCES_CLAIM: /);
  });
});

describe('the sign-in’s pure parts', () => {
  it('opens a sealed transaction only for its session, unaltered and in time', () => {
    const transaction = { codeVerifier: 'v'.repeat(43), nonce: 'n', returnTo: '/docs/x' };
    const state = sealTransaction({ secret: 's'.repeat(32), sessionId: 'one', transaction, nowSeconds: 1000 });
    expect(openTransaction({ secret: 's'.repeat(32), sessionId: 'one', state, nowSeconds: 1500 })).toEqual(transaction);
    expect(openTransaction({ secret: 's'.repeat(32), sessionId: 'two', state, nowSeconds: 1500 })).toBeNull();
    expect(openTransaction({ secret: 't'.repeat(32), sessionId: 'one', state, nowSeconds: 1500 })).toBeNull();
    expect(openTransaction({ secret: 's'.repeat(32), sessionId: 'one', state, nowSeconds: 1601 })).toBeNull();
    // One character of the sealed text changed, whatever it was (the IV is random, so a fixed replacement could equal it).
    const altered = `${state.slice(0, 30)}${state[30] === 'A' ? 'B' : 'A'}${state.slice(31)}`;
    expect(altered).not.toBe(state);
    expect(openTransaction({ secret: 's'.repeat(32), sessionId: 'one', state: altered, nowSeconds: 1500 })).toBeNull();
  });

  it('reads audiences from a list or one name, nothing else', () => {
    expect(readAudiences(['staff', 'beta', 'staff', ' ', 3])).toEqual(['staff', 'beta']);
    expect(readAudiences('staff')).toEqual(['staff']);
    expect(readAudiences({ staff: true })).toEqual([]);
    expect(readAudiences(undefined)).toEqual([]);
  });
});
