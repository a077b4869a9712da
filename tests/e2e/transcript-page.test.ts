import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { signMaintainerScope } from '@/lib/maintainers/links';
import { startNextServer, type TNextServer } from '@/scripts/lib/next-server';
import { createClient } from '../helpers/server';
import { createSeededDataDir } from '../helpers/pglite-template';
import { waitForHydration } from './helpers/assistant';
import { launchBrowser, type TBrowser } from './helpers/browser';
import { OFFLINE_ENV } from './helpers/server';

// The maintainers' transcript (pages/maintainers/threads/[tid].tsx) in Chromium against `next start`: the page
// runs under its own script policy (pages/_document.tsx) with no violation, React hydrates it without an error
// (a code block's highlighter loaded lazily inside a Suspense boundary had the server stream the boundary's
// content behind inline scripts the policy refuses, and React gave up on it: error #419), and the answer's
// Markdown and code are there, rendered.

// Set, so that the test can sign a maintainer's link to the transcript.
const SESSION_SECRET = 'transcript-e2e-session-secret-0123456789';

let server: TNextServer;
let browser: TBrowser;

beforeAll(async () => {
  server = await startNextServer({ dataDir: await createSeededDataDir('pa-e2e-'), env: { ...OFFLINE_ENV, SESSION_SECRET } });
  browser = await launchBrowser({ baseURL: server.url });
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  if (server) rmSync(server.dataDir, { recursive: true, force: true });
});

/** A conversation whose offline answer quotes the docs' code (a fenced block) and bold section names. */
async function answeredThread(question: string): Promise<string> {
  const reader = createClient(server.url);
  const thread = await reader.post('/api/paste-assistant-thread');
  expect(thread.status).toBe(200);
  const sent = await reader.post('/api/paste-assistant-message', { threadId: thread.body.id, message: question });
  expect(sent.status, JSON.stringify(sent.body)).toBe(200);
  expect(sent.body.run.status).toBe('completed');
  return thread.body.id as string;
}

/** Every script-policy violation and console error of the page, from before its first script. */
async function watchPage(page: Page): Promise<{ violations: string[]; errors: string[] }> {
  const seen = { violations: [] as string[], errors: [] as string[] };
  await page.exposeFunction('__reportViolation', (text: string) => seen.violations.push(text));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      (window as unknown as { __reportViolation(text: string): void }).__reportViolation(`${event.violatedDirective} ${event.blockedURI} ${event.sample}`);
    });
  });
  page.on('console', (message) => {
    if (message.type() === 'error') seen.errors.push(message.text());
  });
  page.on('pageerror', (error) => seen.errors.push(error.message));
  return seen;
}

describe('the maintainers’ transcript page', () => {
  it('runs under its script policy with no violation and no console error, its Markdown and code rendered', async () => {
    const threadId = await answeredThread('How do I run the tests?');
    const { exp, sig } = signMaintainerScope({ secret: SESSION_SECRET, scope: { type: 'transcript', threadId }, ttlSeconds: 600 });
    const page = await browser.newPage();
    try {
      const seen = await watchPage(page);
      const response = await page.goto(`/maintainers/threads/${threadId}?exp=${exp}&sig=${sig}`, { waitUntil: 'networkidle' });
      expect(response?.status()).toBe(200);
      await waitForHydration(page);
      const answer = page.getByRole('article', { name: /^Assistant message/ });
      await answer.waitFor();
      // The code is a highlighted code block, its fence never shown; the bold section names are bold.
      await expect.poll(() => answer.locator('[data-paste-element="CODE_BLOCK"]').count()).toBeGreaterThan(0);
      const text = (await answer.textContent()) ?? '';
      expect(text).not.toContain('```');
      expect(text).not.toContain('**');
      expect(await answer.locator('strong').count()).toBeGreaterThan(0);
      // A moment for anything late (a boundary React retries on the client) to report itself.
      await page.waitForTimeout(300);
      expect(seen.violations).toEqual([]);
      expect(seen.errors).toEqual([]);
    } finally {
      await page.close();
    }
  });
});

