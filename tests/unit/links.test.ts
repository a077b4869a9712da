import { describe, expect, it } from 'vitest';
import { classifyLink, docsCitationHref, isDocsPath, type TLinkTarget } from '@/lib/shared/links';

// The one link policy (lib/shared/links.ts), case by case. Each href is what the markdown parser hands over
// (the url of a link node), judged for a site at SITE.

const SITE = 'https://site.example';

const docs = (href: string): TLinkTarget => ({ kind: 'internal', href, isDocs: true });
const inSite = (href: string): TLinkTarget => ({ kind: 'internal', href, isDocs: false });
const external = (href: string): TLinkTarget => ({ kind: 'external', href });
const UNSAFE: TLinkTarget = { kind: 'unsafe' };

const CASES: [name: string, href: string, expected: TLinkTarget][] = [
  ['docs page with a fragment', '/docs/a#b', docs('/docs/a#b')],
  ['the docs index', '/docs', docs('/docs')],
  ['the docs index with a slash', '/docs/', docs('/docs/')],
  ['docs page with a query', '/docs/a?x=1#y', docs('/docs/a?x=1#y')],
  ['a path that only starts like /docs', '/docsevil', inSite('/docsevil')],
  ['another path of the site', '/assistant', inSite('/assistant')],
  ['a relative path resolves from the site root', 'docs/a', docs('/docs/a')],
  ['dot segments are resolved before judging', '/docs/../api/health', inSite('/api/health')],
  ['slash backslash is another host', '/\\evil.example/b', external('https://evil.example/b')],
  ['slash TAB slash is another host', '/\t/evil.example/a', external('https://evil.example/a')],
  ['slash LF slash is another host', '/\n/evil.example/a', external('https://evil.example/a')],
  ['slash CR LF slash is another host', '/\r\n/evil.example/a', external('https://evil.example/a')],
  ['double backslash is another host', '\\\\evil.example', external('https://evil.example/')],
  ['backslash slash is another host', '\\/evil.example', external('https://evil.example/')],
  ['protocol-relative', '//evil.example', external('https://evil.example/')],
  ['protocol-relative to /docs', '//evil.example/docs/a', external('https://evil.example/docs/a')],
  ['an encoded backslash stays a path of this site', '/%5Cevil.example', inSite('/%5Cevil.example')],
  ['an encoded TAB stays a path of this site', '/%09/evil.example', inSite('/%09/evil.example')],
  ['a path resolving to //host is not emitted as a path', '/docs/../\\evil.example', UNSAFE],
  ['a path resolving to //host, with slashes', '/docs/..//evil.example', UNSAFE],
  ['https on another origin', 'https://evil.example', external('https://evil.example/')],
  ['http on another origin', 'http://evil.example/docs/a', external('http://evil.example/docs/a')],
  ['absolute, same origin, upper case', 'HTTPS://SITE.EXAMPLE/docs/x', docs('/docs/x')],
  ['absolute, same origin, default port spelled out', 'https://site.example:443/docs/x#y', docs('/docs/x#y')],
  ['absolute, same host, other scheme', 'http://site.example/docs/x', external('http://site.example/docs/x')],
  ['absolute, same host, other port', 'https://site.example:8443/docs/x', external('https://site.example:8443/docs/x')],
  ['the site as user info of another host', 'http://site.example@evil.example/docs', external('http://site.example@evil.example/docs')],
  ['the site as user info, https', 'https://site.example@evil.example/docs', external('https://site.example@evil.example/docs')],
  ['a subdomain lookalike', 'https://site.example.evil.example/docs', external('https://site.example.evil.example/docs')],
  ['javascript:', 'javascript:alert(1)', UNSAFE],
  ['javascript: in mixed case', 'JaVaScRiPt:alert(1)', UNSAFE],
  ['javascript: with a TAB inside the scheme', 'java\tscript:alert(1)', UNSAFE],
  ['javascript: after leading spaces', '  javascript:alert(1)', UNSAFE],
  ['data:', 'data:text/html,<script>alert(1)</script>', UNSAFE],
  ['vbscript:', 'vbscript:msgbox(1)', UNSAFE],
  ['file:', 'file:///etc/passwd', UNSAFE],
  ['ftp:', 'ftp://evil.example/x', UNSAFE],
  ['an unparseable URL', 'http://[::1', UNSAFE],
  ['spaces around a docs path', ' /docs/x ', docs('/docs/x')],
  ['a newline inside a docs path', '/docs/\nx', docs('/docs/x')],
  ['a space inside a docs path is encoded', '/docs/a b', docs('/docs/a%20b')],
  ['a fragment alone is on the site root', '#b', inSite('/#b')],
  ['mailto:', 'mailto:a@example.com', external('mailto:a@example.com')],
  ['MAILTO: in upper case', 'MAILTO:a@example.com', external('mailto:a@example.com')],
];

describe('the link policy', () => {
  it.each(CASES)('%s: %j', (_name, href, expected) => {
    expect(classifyLink({ href, siteUrl: SITE })).toEqual(expected);
  });

  it('emits in-site links as a path a browser reads back to the same place on the site', () => {
    for (const [, href] of CASES) {
      const target = classifyLink({ href, siteUrl: SITE });
      if (target.kind !== 'internal') continue;
      expect(target.href.startsWith('/') && !target.href.startsWith('//'), target.href).toBe(true);
      expect(new URL(target.href, 'https://any.example').origin).toBe('https://any.example');
    }
  });

  it('judges against the origin of the site URL, whatever its path', () => {
    expect(classifyLink({ href: '/docs/a', siteUrl: 'http://localhost:3000/some/base' })).toEqual(docs('/docs/a'));
    expect(classifyLink({ href: 'http://localhost:3000/docs/a', siteUrl: 'http://localhost:3000' })).toEqual(docs('/docs/a'));
    expect(classifyLink({ href: 'http://127.0.0.1:3000/docs/a', siteUrl: 'http://localhost:3000' })).toEqual(external('http://127.0.0.1:3000/docs/a'));
  });

  it('makes a citation only of docs links on the site, as their normalised path', () => {
    expect(docsCitationHref({ href: ' HTTPS://SITE.EXAMPLE/docs/x#y ', siteUrl: SITE })).toBe('/docs/x#y');
    for (const href of ['/docsevil', '/\\evil.example/b', '/\t/evil.example/a', '//evil.example/docs', 'https://evil.example/docs', 'javascript:alert(1)', '/']) {
      expect(docsCitationHref({ href, siteUrl: SITE }), href).toBeNull();
    }
  });

  it('knows the docs paths', () => {
    expect(['/docs', '/docs/', '/docs/a/b'].map(isDocsPath)).toEqual([true, true, true]);
    expect(['/docsevil', '/doc', '/', '/api/docs', '/DOCS'].map(isDocsPath)).toEqual([false, false, false, false, false]);
  });
});
