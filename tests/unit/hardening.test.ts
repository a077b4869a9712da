import { createHash } from 'node:crypto';
import path from 'node:path';
import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '@/lib/config';
import { pageScriptPolicy } from '@/lib/http/csp';
import { COLOR_SCHEME_SCRIPT } from '@/lib/shared/color-scheme';
import { findUnstorable } from '@/lib/http/input';
import { describeWait, resolveClientIp } from '@/lib/limits';
import { toLimitKey } from '@/lib/limits/client-ip';

type THeader = { key: string; value: string };
type TNextConfigModule = {
  default: { headers(): Promise<{ source: string; headers: THeader[] }[]> };
  contentSecurityPolicy: string;
  securityHeaders: THeader[];
};
// An .mjs build file without types: loaded by path, typed here.
const NEXT_CONFIG = path.resolve(import.meta.dirname, '../../next.config.mjs');

const request = (remoteAddress: string, headers: Record<string, string> = {}) =>
  ({ socket: { remoteAddress }, headers }) as unknown as IncomingMessage;

describe('client address', () => {
  const untrusted = { trustedProxyHeader: undefined, trustedProxyHops: 1 };
  const xff = { trustedProxyHeader: 'x-forwarded-for', trustedProxyHops: 1 };

  it('uses the socket address unless a proxy header is trusted', () => {
    expect(resolveClientIp(request('203.0.113.5', { 'x-forwarded-for': '1.2.3.4' }), untrusted)).toBe('203.0.113.5');
    expect(resolveClientIp(request('::ffff:203.0.113.5'), untrusted)).toBe('203.0.113.5');
  });

  it('takes the entry the trusted proxy appended, and the configured number of hops', () => {
    expect(resolveClientIp(request('10.0.0.1', { 'x-forwarded-for': '6.6.6.6, 203.0.113.9' }), xff)).toBe('203.0.113.9');
    expect(resolveClientIp(request('10.0.0.1', { 'x-forwarded-for': '203.0.113.9, 10.0.0.2' }), { ...xff, trustedProxyHops: 2 })).toBe('203.0.113.9');
    expect(resolveClientIp(request('10.0.0.1', { 'x-real-ip': '203.0.113.4' }), { trustedProxyHeader: 'x-real-ip', trustedProxyHops: 1 })).toBe('203.0.113.4');
    expect(resolveClientIp(request('10.0.0.1', { forwarded: 'for=6.6.6.6, for="[2001:db8::7]:4711";proto=https' }), { trustedProxyHeader: 'forwarded', trustedProxyHops: 1 })).toBe('2001:db8:0:0::/64');
    expect(resolveClientIp(request('10.0.0.1', { 'x-forwarded-for': '203.0.113.9:5555' }), xff)).toBe('203.0.113.9');
  });

  it('falls back to the socket address (the proxy\'s: one shared bucket) when the header is missing or garbage', () => {
    expect(resolveClientIp(request('10.0.0.1'), xff)).toBe('10.0.0.1');
    expect(resolveClientIp(request('10.0.0.1', { 'x-forwarded-for': 'not-an-ip' }), xff)).toBe('10.0.0.1');
    expect(resolveClientIp(request('10.0.0.1', { 'x-forwarded-for': '1.2.3.4' }), { ...xff, trustedProxyHops: 3 })).toBe('10.0.0.1');
  });

  it('keys IPv6 by its /64', () => {
    expect(toLimitKey('2001:db8:1:2:3:4:5:6')).toBe('2001:db8:1:2::/64');
    expect(toLimitKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(toLimitKey('2001:0db8:0001:0002::9')).toBe('2001:db8:1:2::/64');
    expect(toLimitKey('::1')).toBe('0:0:0:0::/64');
    expect(toLimitKey('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    expect(toLimitKey('::ffff:192.0.2.1')).toBe('192.0.2.1');
  });
});

describe('limits configuration', () => {
  it('has documented defaults and reads every variable', () => {
    expect(parseConfig({}).rateLimits).toEqual({
      trustedProxyHeader: undefined,
      trustedProxyHops: 1,
      burst: 40,
      ipBurst: 200,
      burstSeconds: 10,
      messagesPerHour: 60,
      ipMessagesPerHour: 300,
      threadMessages: 100,
      dailyTokens: 2_000_000,
      handoffsPerHour: 3,
      ipHandoffsPerHour: 10,
      siteHandoffsPerHour: 60,
    });
    const config = parseConfig({
      TRUSTED_PROXY_HEADER: 'X-Forwarded-For',
      TRUSTED_PROXY_HOPS: '2',
      RATE_LIMIT_BURST: '1',
      RATE_LIMIT_IP_BURST: '2',
      RATE_LIMIT_BURST_SECONDS: '3',
      RATE_LIMIT_MESSAGES_PER_HOUR: '4',
      RATE_LIMIT_IP_MESSAGES_PER_HOUR: '5',
      RATE_LIMIT_THREAD_MESSAGES: '6',
      RATE_LIMIT_DAILY_TOKENS: '0',
      RATE_LIMIT_HANDOFFS_PER_HOUR: '7',
      RATE_LIMIT_IP_HANDOFFS_PER_HOUR: '8',
      RATE_LIMIT_SITE_HANDOFFS_PER_HOUR: '9',
    });
    expect(config.rateLimits).toEqual({
      trustedProxyHeader: 'x-forwarded-for',
      trustedProxyHops: 2,
      burst: 1,
      ipBurst: 2,
      burstSeconds: 3,
      messagesPerHour: 4,
      ipMessagesPerHour: 5,
      threadMessages: 6,
      dailyTokens: 0,
      handoffsPerHour: 7,
      ipHandoffsPerHour: 8,
      siteHandoffsPerHour: 9,
    });
    expect(() => parseConfig({ TRUSTED_PROXY_HEADER: 'x forwarded' })).toThrow(/^TRUSTED_PROXY_HEADER: /);
    expect(() => parseConfig({ RATE_LIMIT_BURST: '0' })).toThrow(/^RATE_LIMIT_BURST: /);
  });

  it('turns moderation on with an OpenAI key, always against OpenAI, unless MODERATION=off', () => {
    expect(parseConfig({}).moderation).toEqual({ mode: 'off' });
    expect(parseConfig({ OPENAI_API_KEY: 'sk-x', OPENAI_BASE_URL: 'http://127.0.0.1:1/v1' }).moderation).toEqual({
      mode: 'openai',
      apiKey: 'sk-x',
      baseURL: 'https://api.openai.com/v1',
      model: 'omni-moderation-latest',
      timeoutMs: 10_000,
    });
    expect(parseConfig({ OPENAI_API_KEY: 'sk-x', MODERATION: 'off' }).moderation).toEqual({ mode: 'off' });
    expect(parseConfig({ OPENAI_BASE_URL: 'http://127.0.0.1:1/v1' }).moderation).toEqual({ mode: 'off' });
  });
});

describe('rate-limit messages', () => {
  it('say how long to wait in words', () => {
    expect(describeWait(1)).toBe('1 second');
    expect(describeWait(45)).toBe('45 seconds');
    expect(describeWait(61)).toBe('2 minutes');
    expect(describeWait(1200)).toBe('20 minutes');
    expect(describeWait(3600)).toBe('about an hour');
    expect(describeWait(30_000)).toBe('about 8 hours');
  });
});

describe('storable JSON', () => {
  it('finds NUL characters, lone surrogates and deep nesting anywhere, keys included', () => {
    expect(findUnstorable({ a: ['fine', { b: 'ok 😀' }] })).toBeUndefined();
    expect(findUnstorable({ a: ['x\u0000'] })).toMatch(/NUL/);
    expect(findUnstorable({ 'k\u0000': 1 })).toMatch(/NUL/);
    expect(findUnstorable('\ud83d')).toMatch(/surrogate/);
    expect(findUnstorable('\ude00x')).toMatch(/surrogate/);
    expect(findUnstorable(JSON.parse('['.repeat(40) + ']'.repeat(40)))).toMatch(/nested/);
  });
});

describe('security headers (next.config.mjs)', () => {
  it('sends CSP, nosniff, a referrer policy and no framing on every path', async () => {
    const { default: nextConfig, contentSecurityPolicy, securityHeaders } = (await import(/* @vite-ignore */ NEXT_CONFIG)) as TNextConfigModule;
    const rules = await nextConfig.headers();
    expect(rules[0]).toEqual({ source: '/:path*', headers: securityHeaders });
    // Besides: only the docs pages' own client's caching, on its hashed .js files alone.
    expect(rules.slice(1)).toEqual([{ source: '/_docs-client/:file([^/]+\\.js)', headers: [{ key: 'Cache-Control', value: 'public, max-age=31536000, immutable' }] }]);
    const byName = Object.fromEntries(securityHeaders.map((header) => [header.key, header.value]));
    expect(byName['X-Content-Type-Options']).toBe('nosniff');
    expect(byName['Referrer-Policy']).toBe('strict-origin-when-cross-origin');
    expect(byName['X-Frame-Options']).toBe('DENY');
    expect(contentSecurityPolicy).toContain("frame-ancestors 'none'");
    expect(contentSecurityPolicy).toContain("default-src 'self'");
    expect(contentSecurityPolicy).toContain("object-src 'none'");
    // Nothing from third parties: every source is this origin (or inline data).
    expect(contentSecurityPolicy).not.toMatch(/https?:\/\//);
    // Not under `next dev` (tests run with NODE_ENV=test): no eval.
    expect(contentSecurityPolicy).not.toContain('unsafe-eval');
  });

  it('allows exactly Next\'s bootstrap script and the colour-scheme script of a page, by hash, in the page\'s own policy', () => {
    const manifest = {
      devFiles: [],
      polyfillFiles: [],
      lowPriorityFiles: [],
      rootMainFiles: [],
      rootMainFilesTree: {},
      pages: { '/_app': [] },
      chunkLoadingGlobal: 'TURBOPACK',
      pagesChunkGroupBootstrapParams: { '/_app': { otherChunks: ['a.js'] }, '/docs': { otherChunks: ['b.js'] } },
    };
    const script =
      '(globalThis["TURBOPACK"] || (globalThis["TURBOPACK"] = [])).push({"otherChunks":["a.js"]});\n' +
      '(globalThis["TURBOPACK"] || (globalThis["TURBOPACK"] = [])).push({"otherChunks":["b.js"]});';
    const hash = createHash('sha256').update(script).digest('base64');
    // The colour-scheme script runs on every page, before the first paint.
    const schemeHash = createHash('sha256').update(COLOR_SCHEME_SCRIPT).digest('base64');
    expect(pageScriptPolicy(manifest, '/docs')).toBe(`script-src 'self' 'sha256-${schemeHash}' 'sha256-${hash}'; object-src 'none'; base-uri 'self'`);
    // A webpack build inlines nothing of Next's: this origin and the colour-scheme script only.
    expect(pageScriptPolicy({ ...manifest, pagesChunkGroupBootstrapParams: undefined }, '/docs')).toBe(`script-src 'self' 'sha256-${schemeHash}'; object-src 'none'; base-uri 'self'`);
  });
});
