import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TWILIO_OPENAPI_CORPUS_DIR } from '../helpers/corpus.mts';
import { waitForHydration } from './helpers/assistant';
import { launchBrowser, screenshot, type TBrowser } from './helpers/browser';
import { startE2eServer, type TE2eServer } from './helpers/server';
import { axeBlocking } from './helpers/axe';

// An API reference as a reader meets it, on a server with DOCS_OPENAPI naming Twilio's Messaging spec (read in place
// from ../shared) and a spec of our own. Each operation is a page of its own (issue 54, friction 12); a link to an
// operation's anchor on its spec's page, as links were before, lands on that operation's page; on a phone (375 px)
// nothing is wider than the screen (code scrolls inside its block, long paths wrap) and the navigation lists the
// references; and axe finds nothing critical or serious.

let server: TE2eServer;
let browser: TBrowser;

beforeAll(async () => {
  server = await startE2eServer({
    DOCS_OPENAPI: [path.join(TWILIO_OPENAPI_CORPUS_DIR, 'twilio_messaging_v1.json'), path.resolve(import.meta.dirname, '../fixtures/openapi/petstore-v3.yaml')].join(','),
  });
  const deadline = Date.now() + 60_000;
  for (;;) {
    const health = (await (await fetch(`${server.url}/api/health`)).json()) as { docs: { sources: { kind: string; lastRun: string | null }[] } };
    if (health.docs.sources.find((source) => source.kind === 'openapi')?.lastRun) break;
    if (Date.now() > deadline) throw new Error('the OpenAPI sync did not finish in 60 s');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  browser = await launchBrowser({ baseURL: server.url });
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('an API reference page', () => {
  it('an old link to an operation’s anchor lands on the operation’s own page, with the request and its fields', async () => {
    const page = await browser.newPage({ width: 1440, height: 900 });
    await page.goto('/docs/reference/twilio_messaging_v1#operation/CreateTollfreeVerification');
    await page.waitForURL('**/docs/reference/twilio_messaging_v1/operation/CreateTollfreeVerification');
    await waitForHydration(page);
    expect(await page.locator('article h1').textContent()).toBe('Create a tollfree verification');
    const text = await page.locator('article').textContent();
    expect(text).toContain('curl -X POST "https://messaging.twilio.com/v1/Tollfree/Verifications"');
    expect(text).toContain('Request body');
    await screenshot(page, 'api-reference-1440');
    // A spec's page lists its operations by tag, each a link to its page; an anchor it does not list stays there.
    await page.goto('/docs/reference/twilio_messaging_v1#operation/NoSuchOperation');
    await waitForHydration(page);
    expect(new URL(page.url()).pathname).toBe('/docs/reference/twilio_messaging_v1');
    await page.getByRole('link', { name: 'Create a tollfree verification' }).click();
    await page.waitForURL('**/docs/reference/twilio_messaging_v1/operation/CreateTollfreeVerification');
    await page.close();
  });

  it('fits a phone: nothing wider than the screen, the references in the navigation', async () => {
    const page = await browser.newPage({ width: 375, height: 812 });
    await page.goto('/docs/reference/twilio_messaging_v1/operation/CreateService');
    await waitForHydration(page);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    // A code block scrolls inside itself; a long schema name wraps: no block of the article is wider than it.
    const overflowing = await page.evaluate(() =>
      [...document.querySelectorAll('article *')]
        .filter((element) => element.clientWidth > 0 && element.scrollWidth > element.clientWidth + 1 && !['auto', 'scroll'].includes(getComputedStyle(element).overflowX))
        .map((element) => `${element.tagName} ${(element.textContent ?? '').slice(0, 60)}`),
    );
    expect(overflowing).toEqual([]);
    const scrolls = await page.evaluate(() => [...document.querySelectorAll('article pre')].map((pre) => getComputedStyle(pre).overflowX));
    expect(scrolls.length).toBeGreaterThan(0);
    expect(new Set(scrolls)).toEqual(new Set(['auto']));
    await page.getByRole('button', { name: 'Open the navigation' }).click();
    const drawer = page.getByRole('dialog', { name: 'Documentation' });
    await drawer.waitFor();
    expect(await drawer.getByRole('link', { name: 'Twilio - Messaging' }).getAttribute('aria-current')).toBe('page');
    expect(await drawer.getByRole('link', { name: 'Petstore' }).getAttribute('href')).toBe('/docs/reference/petstore-v3');
    await page.keyboard.press('Escape');
    await screenshot(page, 'api-reference-375');
    await page.close();
  });

  it('has no critical or serious axe violation, a spec’s page and an operation’s, on a phone and a desktop', async () => {
    for (const [width, url] of [
      [375, '/docs/reference/petstore-v3'],
      [1440, '/docs/reference/petstore-v3'],
      [375, '/docs/reference/petstore-v3/operation/createPet'],
      [1440, '/docs/reference/petstore-v3/operation/createPet'],
    ] as const) {
      const page = await browser.newPage({ width, height: 900 });
      await page.goto(url);
      await waitForHydration(page);
      expect(await axeBlocking(page)).toEqual([]);
      await page.close();
    }
  });
});
