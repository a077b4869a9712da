import { describe, expect, it } from 'vitest';
import { DEFAULT_RETURN_PATH, sameSitePath } from '@/lib/shared/return-path';

// Where a reader is sent after signing in (lib/shared/return-path.ts): a path of this site, however the request spells
// another one. Each hostile value is judged by what a browser does with the Location it becomes: resolved against
// the callback's URL, it must land on this site's origin.

const SITE = 'https://docs.example.com';
const CALLBACK = `${SITE}/api/reader/oidc/callback?code=c&state=s`;

/** Where a browser goes with `Location: location` on the callback's response. */
const landing = (location: string) => new URL(location, CALLBACK);

// An outside probe's finding (`/..//evil.example` ended in `Location: //evil.example`) and its family.
const HOSTILE = [
  '/..//evil.example',
  '/docs/../..//evil.example',
  '/docs/../../..//evil.example/x',
  '/.//evil.example',
  '/%2e%2e//evil.example',
  '/.%2E//evil.example',
  '/%2E//evil.example',
  '//evil.example',
  '///evil.example',
  '////evil.example',
  '/\\evil.example',
  '\\\\evil.example',
  '/\\/evil.example',
  '\\/evil.example',
  '/\t/evil.example',
  '/\n/evil.example',
  '/\r\n/evil.example',
  '\t//evil.example',
  ' //evil.example',
  '\u0000//evil.example',
  '\u001f//evil.example',
  '/%09/evil.example',
  '%2F%2Fevil.example',
  '/%2F%2Fevil.example',
  '/%2f/evil.example',
  '/%5C/evil.example',
  '/%5c%5cevil.example',
  '/\u2215\u2215evil.example',
  '/\u2044evil.example',
  '/\uFF0F\uFF0Fevil.example',
  '\uFF0F\uFF0Fevil.example',
  '/\uFF3Cevil.example',
  'https://evil.example/',
  'https:evil.example',
  'https:/\\evil.example',
  'http://docs.example.com/docs',
  'https://docs.example.com@evil.example/',
  'https://user:pass@docs.example.com/docs',
  '//docs.example.com@evil.example',
  'javascript:alert(1)',
  'JavaScript:alert(1)',
  ' javascript:alert(1)',
  'java\tscript:alert(1)',
  'data:text/html,<script>alert(1)</script>',
  'vbscript:msgbox(1)',
  '/api/reader/oidc/login',
  '/api',
  '/%61pi/reader/oidc/login',
  '',
  '   ',
  `/${'a'.repeat(2001)}`,
];

describe('sameSitePath: a redirect target is a path of this site or the docs’ home', () => {
  it('keeps a path of this site with its query and fragment', () => {
    expect(sameSitePath('/docs/a?b=1#c', SITE)).toBe('/docs/a?b=1#c');
    expect(sameSitePath('/docs/configuration?x=1', SITE)).toBe('/docs/configuration?x=1');
    expect(sameSitePath('/assistant', SITE)).toBe('/assistant');
    // The site's own absolute address is a path of it.
    expect(sameSitePath('https://docs.example.com/docs/x', SITE)).toBe('/docs/x');
  });

  it('normalises as a browser does: dot segments, tabs and newlines, backslashes', () => {
    expect(sameSitePath('/docs/a/../b', SITE)).toBe('/docs/b');
    expect(sameSitePath('/docs/%2e%2e/assistant', SITE)).toBe('/assistant');
    expect(sameSitePath('/do\tcs/\na', SITE)).toBe('/docs/a');
    expect(sameSitePath('/docs\\a', SITE)).toBe('/docs/a');
    expect(sameSitePath('/docs\n', SITE)).toBe('/docs');
  });

  it.each(HOSTILE)('never sends a browser off the site: %j', (value) => {
    const location = sameSitePath(value, SITE);
    expect(landing(location).origin).toBe(SITE);
    // What the browser is sent is a single-slash path, which no browser reads as a host.
    expect(location).toMatch(/^\/(?![/\\])/);
    expect(location).not.toMatch(/[\t\n\r\\]/);
    // Read again (the callback applies it to what the login sealed), it is the same path.
    expect(sameSitePath(location, SITE)).toBe(location);
  });

  it('falls back to the docs’ home for another site, a script, a blank or an API route', () => {
    for (const value of ['/..//evil.example', '/%2e%2e//evil.example', '//evil.example', '/\\evil.example', '/\t/evil.example', 'https://evil.example/', 'javascript:alert(1)', '', undefined, '/api/reader/oidc/login', 'https://docs.example.com@evil.example/']) {
      expect(sameSitePath(value, SITE)).toBe(DEFAULT_RETURN_PATH);
    }
  });

  it('keeps a percent-encoded slash or a unicode slash as the path it is (never decoded into a host)', () => {
    expect(sameSitePath('/%2F%2Fevil.example', SITE)).toBe('/%2F%2Fevil.example');
    expect(sameSitePath('/\uFF0F\uFF0Fevil.example', SITE)).toBe('/%EF%BC%8F%EF%BC%8Fevil.example');
    expect(sameSitePath('/\u2215\u2215evil.example', SITE)).toBe('/%E2%88%95%E2%88%95evil.example');
  });

  it('judges against the site it is given (an http site on another port)', () => {
    expect(sameSitePath('/docs', 'http://127.0.0.1:4600')).toBe('/docs');
    expect(sameSitePath('http://127.0.0.1:4601/docs', 'http://127.0.0.1:4600')).toBe(DEFAULT_RETURN_PATH);
    expect(sameSitePath('http:evil.example', 'http://127.0.0.1:4600')).toBe('/evil.example');
  });
});
