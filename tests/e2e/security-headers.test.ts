import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { COLOR_SCHEME_SCRIPT } from '@/lib/shared/color-scheme';
import { launchBrowser, type TBrowser } from './helpers/browser';

// The production server (`next start` of `npm run build`, started by the global setup) as a browser meets
// it: security headers on every response, a script policy under which each page still hydrates while an
// injected inline script is refused, no framing, and the request gates (403/415/413) in front of the real
// Next API routes.

let url: string;
let browser: TBrowser;

beforeAll(async () => {
  url = inject('fastUrl');
  browser = await launchBrowser({ baseURL: url });
});

afterAll(async () => {
  await browser?.close();
});

const PAGES = ['/', '/docs', '/docs/configuration', '/assistant'];

function inlineScripts(html: string): string[] {
  return [...html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)]
    .filter(([, attributes = '']) => !/\bsrc=/.test(attributes) && !/type="application\/json"/.test(attributes))
    .map(([, , body = '']) => body);
}

describe('security headers from next start', () => {
  it('are on pages, the 404 page and API responses', async () => {
    for (const route of [...PAGES, '/docs/no-such-page', '/api/health']) {
      const response = await fetch(`${url}${route}`);
      const csp = response.headers.get('content-security-policy') ?? '';
      expect(csp, route).toContain("frame-ancestors 'none'");
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("object-src 'none'");
      expect(csp).not.toContain('unsafe-eval');
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
      expect(response.headers.get('x-frame-options')).toBe('DENY');
      expect(response.headers.get('x-powered-by')).toBeNull();
    }
  });

  it('give each page a script policy that names exactly its inline scripts by hash', async () => {
    for (const route of PAGES) {
      const html = await (await fetch(`${url}${route}`)).text();
      const meta = /<meta http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1]?.replaceAll('&#x27;', "'");
      expect(meta, route).toBeDefined();
      const allowed = [...meta!.matchAll(/'sha256-([^']+)'/g)].map((match) => match[1]);
      const present = inlineScripts(html).map((body) => createHash('sha256').update(body).digest('base64'));
      // Next's chunk bootstrap (not on a docs page: it runs its own client, from a file) and the colour-scheme script
      // (lib/shared/color-scheme.ts), nothing else.
      expect(present.length).toBeLessThanOrEqual(2);
      expect(inlineScripts(html)).toContain(COLOR_SCHEME_SCRIPT);
      expect(allowed.sort()).toEqual(present.sort());
      // The policy comes before any script in the document.
      expect(html.indexOf('http-equiv="Content-Security-Policy"')).toBeLessThan(html.indexOf('<script'));
    }
  });
});

describe('in Chromium', () => {
  it('hydrates every page with no policy violation, and refuses an injected inline script', async () => {
    const page = await browser.newPage();
    const violations: string[] = [];
    await page.exposeFunction('__reportViolation', (text: string) => violations.push(text));
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (event) => {
        (window as unknown as { __reportViolation(text: string): void }).__reportViolation(`${event.violatedDirective} ${event.blockedURI}`);
      });
    });
    for (const route of PAGES) {
      await page.goto(`${url}${route}`, { waitUntil: 'networkidle' });
      // React has taken over the server's HTML (Next's runtime, or a docs page's own client): a root on #__next.
      const isHydrated = await page.evaluate(() => {
        const root = document.getElementById('__next') as (HTMLElement & Record<string, unknown>) | null;
        return root !== null && Object.keys(root).some((key) => key.startsWith('__reactContainer'));
      });
      expect(isHydrated, route).toBe(true);
    }
    expect(violations).toEqual([]);

    const injected = await page.evaluate(async () => {
      const script = document.createElement('script');
      script.textContent = 'window.__injected = true';
      document.head.appendChild(script);
      await new Promise((resolve) => setTimeout(resolve, 100));
      return (window as unknown as { __injected?: boolean }).__injected ?? false;
    });
    expect(injected).toBe(false);
    expect(violations.some((violation) => violation.startsWith('script-src'))).toBe(true);
    await page.close();
  });

  it('will not render the site inside another page\'s frame', async () => {
    const page = await browser.newPage();
    await page.goto(`${url}/docs`);
    expect(await page.evaluate(() => document.body.innerText)).toMatch(/Getting started/);
    await page.setContent(`<iframe id="f" src="${url}/docs" width="400" height="300"></iframe>`);
    await page.waitForTimeout(1500);
    const frame = page.frames().find((candidate) => candidate !== page.mainFrame());
    const frameText = frame ? await frame.evaluate(() => document.body?.innerText ?? '').catch(() => '') : '';
    expect(frameText).not.toMatch(/Getting started/);
    await page.close();
  });
});

describe('request gates in front of the real Next API routes', () => {
  it('answers 403 for a foreign Origin, 415 for a form post, 413 for an oversized body, with the error contract', async () => {
    const cases: { init: RequestInit; status: number; code: string }[] = [
      { init: { method: 'POST', headers: { origin: 'https://evil.example' } }, status: 403, code: 'origin_not_allowed' },
      { init: { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'a=b' }, status: 415, code: 'unsupported_media_type' },
      { init: { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ metadata: { a: 'x'.repeat(40_000) } }) }, status: 413, code: 'payload_too_large' },
    ];
    for (const { init, status, code } of cases) {
      const response = await fetch(`${url}/api/paste-assistant-thread`, init);
      expect(response.status).toBe(status);
      expect(await response.json()).toEqual({ error: { code, message: expect.any(String) } });
      expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    }
    const sameSite = await fetch(`${url}/api/paste-assistant-thread`, { method: 'POST', headers: { origin: url } });
    expect(sameSite.status).toBe(200);
  });
});
