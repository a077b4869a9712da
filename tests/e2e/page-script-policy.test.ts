import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { signMaintainerScope } from '@/lib/maintainers/links';
import { startNextServer, type TNextServer } from '@/scripts/lib/next-server';
import { createClient } from '../helpers/server';
import { createSeededDataDir } from '../helpers/pglite-template';
import { waitForHydration } from './helpers/assistant';
import { launchBrowser, SCREENSHOT_DIR, type TBrowser } from './helpers/browser';
import { OFFLINE_ENV } from './helpers/server';

// The pages that show what readers and the model wrote, rendered for each request: a shared conversation
// (/shared/<id>) and the maintainers' transcript (issue 67). Their Content-Security-Policy header allows this
// origin's scripts and those carrying a nonce made for the one response, no 'unsafe-inline' (lib/http/csp.ts): in
// Chromium each still hydrates with no violation, and an inline script that is not the page's own never runs, not
// even with the page's <meta> policy taken away, so that the header alone holds.

const SESSION_SECRET = 'page-script-policy-e2e-secret-0123456789';

let server: TNextServer;
let browser: TBrowser;
let sharedPath: string;
let transcriptPath: string;

beforeAll(async () => {
  server = await startNextServer({ dataDir: await createSeededDataDir('pa-e2e-'), env: { ...OFFLINE_ENV, SESSION_SECRET } });
  browser = await launchBrowser({ baseURL: server.url });
  const reader = createClient(server.url);
  const thread = await reader.post('/api/paste-assistant-thread');
  const sent = await reader.post('/api/paste-assistant-message', { threadId: thread.body.id, message: 'How do I run the tests?' });
  expect(sent.body.run.status).toBe('completed');
  const shared = await reader.post(`/api/paste-assistant-thread/${thread.body.id}/share`);
  expect(shared.status, JSON.stringify(shared.body)).toBe(201);
  sharedPath = new URL(shared.body.url as string).pathname;
  const { exp, sig } = signMaintainerScope({ secret: SESSION_SECRET, scope: { type: 'transcript', threadId: thread.body.id }, ttlSeconds: 600 });
  transcriptPath = `/maintainers/threads/${thread.body.id}?exp=${exp}&sig=${sig}`;
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  if (server) rmSync(server.dataDir, { recursive: true, force: true });
});

const pages = () => [
  ['the shared conversation', sharedPath],
  ['the transcript', transcriptPath],
] as const;

/** The header's script-src sources. */
const scriptSources = (policy: string) =>
  policy
    .split(';')
    .map((directive) => directive.trim())
    .find((directive) => directive.startsWith('script-src '))
    ?.split(/\s+/)
    .slice(1) ?? [];

/** Every script-policy violation of the page, from before its first script: the directive and what it blocked (`inline`). */
async function watchViolations(page: Page): Promise<string[]> {
  const violations: string[] = [];
  await page.exposeFunction('__reportViolation', (text: string) => violations.push(text));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      (window as unknown as { __reportViolation(text: string): void }).__reportViolation(`${event.violatedDirective} ${event.blockedURI}`);
    });
  });
  return violations;
}

describe('the script policy of the pages that show readers’ and the model’s text', () => {
  it('is a header without unsafe-inline: this origin, and a nonce new for each response that every inline script of the page carries', async () => {
    for (const [name, path] of pages()) {
      const [first, second] = [await fetch(`${server.url}${path}`), await fetch(`${server.url}${path}`)];
      expect(first.status, name).toBe(200);
      const sources = scriptSources(first.headers.get('content-security-policy') ?? '');
      expect(sources, name).not.toContain("'unsafe-inline'");
      expect(sources, name).toContain("'self'");
      const nonce = sources.find((source) => source.startsWith("'nonce-"))?.slice(7, -1);
      expect(nonce, name).toMatch(/^[A-Za-z0-9+/]{24}$/);
      expect(scriptSources(second.headers.get('content-security-policy') ?? ''), name).not.toContain(`'nonce-${nonce}'`);
      const html = await first.text();
      const inline = [...html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)].filter(([, attributes = '', body = '']) => !/\bsrc=/.test(attributes) && body.trim() !== '');
      expect(inline.length, name).toBeGreaterThan(0);
      for (const [, attributes = ''] of inline) expect(attributes, name).toContain(`nonce="${nonce}"`);
    }
  });

  it('lets each page hydrate in Chromium with no violation, and runs no injected inline script', async () => {
    for (const [name, path] of pages()) {
      const page = await browser.newPage({ width: 390, height: 844 });
      try {
        const violations = await watchViolations(page);
        const response = await page.goto(path, { waitUntil: 'networkidle' });
        expect(response?.status(), name).toBe(200);
        await waitForHydration(page);
        await page.getByText('How do I run the tests?').first().waitFor();
        expect(violations, name).toEqual([]);
        if (path === sharedPath) await page.screenshot({ path: `${SCREENSHOT_DIR}/shared-conversation-nonce-390.png`, fullPage: true });
        const injected = await page.evaluate(async () => {
          const script = document.createElement('script');
          script.textContent = 'window.__injected = true';
          document.body.appendChild(script);
          await new Promise((resolve) => setTimeout(resolve, 100));
          return (window as unknown as { __injected?: boolean }).__injected ?? false;
        });
        expect(injected, name).toBe(false);
        expect(violations.some((violation) => violation.startsWith('script-src')), name).toBe(true);
      } finally {
        await page.close();
      }
    }
  });

  it('holds by the header alone: without the page’s <meta> policy, an inline script in the HTML still never runs, and the page still hydrates', async () => {
    for (const [name, path] of pages()) {
      const page = await browser.newPage();
      try {
        // The server's response as sent, headers and all, with its <meta> policy cut out and a script slipped into
        // its HTML, as markup injected into the page would be.
        await page.route(`${server.url}${path}`, async (route) => {
          const response = await route.fetch();
          const html = (await response.text())
            .replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/, '')
            .replace('</body>', '<script>window.__inlineRan = true</script></body>');
          await route.fulfill({ response, body: html });
        });
        const violations = await watchViolations(page);
        await page.goto(path, { waitUntil: 'networkidle' });
        expect(await page.evaluate(() => document.querySelector('meta[http-equiv="Content-Security-Policy"]') === null), name).toBe(true);
        await waitForHydration(page);
        expect(await page.evaluate(() => (window as unknown as { __inlineRan?: boolean }).__inlineRan ?? false), name).toBe(false);
        // Refused by the header: the one inline script slipped in, and nothing of the page's own.
        expect(violations, name).toEqual(['script-src-elem inline']);
        expect(await page.getByText('How do I run the tests?').count(), name).toBeGreaterThan(0);
      } finally {
        await page.close();
      }
    }
  });
});
