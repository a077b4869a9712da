import { describe, expect, it } from 'vitest';
import { buildReportUrl, buildTranscriptUrl, isMaintainerLinkValid, signMaintainerScope } from '@/lib/maintainers/links';
import { encodeSessionCookie } from '@/lib/session';

const SECRET = 'maintainer-secret-0123456789-abcdefghijkl';
const NOW = Date.UTC(2026, 10, 21, 12, 0, 0);
const THREAD = 'thread_0123abcd';
const transcript = { type: 'transcript' as const, threadId: THREAD };

function queryOf(url: string) {
  return Object.fromEntries(new URL(url).searchParams);
}

describe('signed maintainer links', () => {
  it('opens the transcript it was signed for until it expires', () => {
    const { url, expiresAt } = buildTranscriptUrl({ siteUrl: 'https://docs.example.com', secret: SECRET, threadId: THREAD, ttlSeconds: 3600, nowMs: NOW });
    expect(url).toMatch(/^https:\/\/docs\.example\.com\/maintainers\/threads\/thread_0123abcd\?exp=\d+&sig=[A-Za-z0-9_-]{43}$/);
    expect(expiresAt.getTime()).toBe(NOW + 3600_000);
    const { exp, sig } = queryOf(url);
    expect(isMaintainerLinkValid({ secret: SECRET, scope: transcript, exp, sig, nowMs: NOW + 3599_000 })).toBe(true);
    expect(isMaintainerLinkValid({ secret: SECRET, scope: transcript, exp, sig, nowMs: NOW + 3600_000 })).toBe(false);
  });

  it('refuses another thread, the report, another secret, a changed expiry and malformed input', () => {
    const { exp, sig } = signMaintainerScope({ secret: SECRET, scope: transcript, ttlSeconds: 60, nowMs: NOW });
    const check = (overrides: Partial<Parameters<typeof isMaintainerLinkValid>[0]>) =>
      isMaintainerLinkValid({ secret: SECRET, scope: transcript, exp: String(exp), sig, nowMs: NOW, ...overrides });
    expect(check({})).toBe(true);
    expect(check({ scope: { type: 'transcript', threadId: 'thread_other' } })).toBe(false);
    expect(check({ scope: { type: 'report' } })).toBe(false);
    expect(check({ secret: `${SECRET}x` })).toBe(false);
    expect(check({ exp: String(exp + 86_400) })).toBe(false);
    expect(check({ sig: `${sig.slice(0, -1)}${sig.endsWith('A') ? 'B' : 'A'}` })).toBe(false);
    for (const bad of [undefined, '', ['1', '2'], '1e9', '-5', 'x'.repeat(43)]) {
      expect(check({ exp: bad })).toBe(false);
      expect(check({ sig: bad })).toBe(false);
    }
  });

  it('cannot be forged from a session cookie signed with the same secret', () => {
    const cookie = encodeSessionCookie(SECRET, 'AAAAAAAAAAAAAAAAAAAAAA');
    const [, cookieSig] = cookie.split('.');
    expect(isMaintainerLinkValid({ secret: SECRET, scope: { type: 'report' }, exp: '4102444800', sig: cookieSig, nowMs: NOW })).toBe(false);
  });

  it('signs report links with their own scope', () => {
    const { url } = buildReportUrl({ siteUrl: 'http://localhost:3000', secret: SECRET, ttlSeconds: 60, nowMs: NOW, days: 30 });
    const { exp, sig, days } = queryOf(url);
    expect(new URL(url).pathname).toBe('/api/maintainers/report');
    expect(days).toBe('30');
    expect(isMaintainerLinkValid({ secret: SECRET, scope: { type: 'report' }, exp, sig, nowMs: NOW })).toBe(true);
    expect(isMaintainerLinkValid({ secret: SECRET, scope: transcript, exp, sig, nowMs: NOW })).toBe(false);
  });
});
