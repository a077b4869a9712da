import { describe, expect, it } from 'vitest';
import { parseConfig } from '@/lib/config';
import { configForRequest, describeSiteUrlMismatch, requestSiteUrl } from '@/lib/http/site-url';

// Links follow the server: SITE_URL when set; else the request's address (through a trusted proxy, the proxy's
// forwarded host and scheme); else, outside a request, where the server listens (PORT and HOST).

const config = (env: Record<string, string>) => parseConfig({ NODE_ENV: 'test', ...env }, '/tmp');
const request = (headers: Record<string, string>, encrypted = false) => ({ headers, socket: { encrypted } as never });

describe('the site address outside a request', () => {
  it('is where the server listens when SITE_URL is unset', () => {
    expect(config({}).siteUrl).toBe('http://localhost:3000');
    expect(config({ PORT: '3107' }).siteUrl).toBe('http://localhost:3107');
    expect(config({ PORT: '3107', HOST: '0.0.0.0' }).siteUrl).toBe('http://localhost:3107');
    expect(config({ PORT: '3107', HOST: '127.0.0.1' }).siteUrl).toBe('http://127.0.0.1:3107');
    expect(config({ PORT: '3107', HOST: '::1' }).siteUrl).toBe('http://[::1]:3107');
    expect(config({ PORT: '3107' }).isSiteUrlSet).toBe(false);
  });

  it('is SITE_URL when it is set', () => {
    const set = config({ PORT: '3107', SITE_URL: 'https://docs.example.com/' });
    expect(set).toMatchObject({ siteUrl: 'https://docs.example.com', isSiteUrlSet: true, listenUrl: 'http://localhost:3107' });
  });

  it('refuses a PORT that is no port, in one line', () => {
    expect(() => config({ PORT: 'eighty' })).toThrow(/^PORT must be a port number/);
  });
});

describe('the site address of a request', () => {
  it('is the Host the request was sent to, when SITE_URL is unset', () => {
    expect(requestSiteUrl({ req: request({ host: 'docs.local:4123' }), config: config({}) })).toBe('http://docs.local:4123');
    expect(requestSiteUrl({ req: request({ host: 'docs.local' }, true), config: config({}) })).toBe('https://docs.local');
    expect(configForRequest({ req: request({ host: '127.0.0.1:4123' }), config: config({}) }).siteUrl).toBe('http://127.0.0.1:4123');
  });

  it('is SITE_URL when it is set, whatever the Host', () => {
    const set = config({ SITE_URL: 'https://docs.example.com' });
    expect(requestSiteUrl({ req: request({ host: 'elsewhere.test' }), config: set })).toBe('https://docs.example.com');
    expect(configForRequest({ req: request({ host: 'elsewhere.test' }), config: set })).toBe(set);
  });

  it('takes the forwarded host and scheme only behind a trusted proxy', () => {
    const headers = { host: '10.0.0.5:3000', 'x-forwarded-host': 'docs.example.com', 'x-forwarded-proto': 'https' };
    expect(requestSiteUrl({ req: request(headers), config: config({}) })).toBe('http://10.0.0.5:3000');
    const proxied = config({ TRUSTED_PROXY_HEADER: 'x-forwarded-for' });
    expect(requestSiteUrl({ req: request(headers), config: proxied })).toBe('https://docs.example.com');
    expect(requestSiteUrl({ req: request({ host: '10.0.0.5:3000', forwarded: 'for=1.2.3.4;host=help.example.org;proto=https' }), config: proxied })).toBe('https://help.example.org');
  });

  it('falls back to the listening address for a Host that is not a host name', () => {
    expect(requestSiteUrl({ req: request({ host: 'evil.test/"><script>' }), config: config({ PORT: '3107' }) })).toBe('http://localhost:3107');
    expect(requestSiteUrl({ req: request({}), config: config({ PORT: '3107' }) })).toBe('http://localhost:3107');
  });
});

describe('the start-up warning', () => {
  it('names a SITE_URL on this machine at another port than the server listens on', () => {
    expect(describeSiteUrlMismatch(config({ SITE_URL: 'http://localhost:3000', PORT: '3001' }))).toMatch(
      /^SITE_URL is http:\/\/localhost:3000 but the server listens on http:\/\/localhost:3001/,
    );
    expect(describeSiteUrlMismatch(config({ SITE_URL: 'http://127.0.0.1:3000', PORT: '3001' }))).not.toBeNull();
  });

  it('says nothing when SITE_URL is where the server listens, is another host, or is unset', () => {
    expect(describeSiteUrlMismatch(config({ SITE_URL: 'http://localhost:3001', PORT: '3001' }))).toBeNull();
    expect(describeSiteUrlMismatch(config({ SITE_URL: 'https://docs.example.com', PORT: '3001' }))).toBeNull();
    expect(describeSiteUrlMismatch(config({ PORT: '3001' }))).toBeNull();
  });
});
