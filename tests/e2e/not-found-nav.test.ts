import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signReaderToken, READER_TOKEN_SECRET } from '../helpers/reader-tokens';
import { launchBrowser, screenshot, type TBrowser } from './helpers/browser';
import { startE2eServer, type TE2eServer } from './helpers/server';

// The 404 page in Chromium (issue 68, item 1): made at build time, it names no docs page, and shows the navigation its
// reader may read once it has asked for it. Signed out, the navigation holds no page of an audience (a canary page for
// staff: DOCS_AUDIENCES='staff=guides/discord.mdx', "Discord setup"); a reader signed in with a token of staff finds it.
// At desktop width (the sidebar) and a phone's (390 px: the drawer).

const CANARY_TITLE = 'Discord setup';
let server: TE2eServer;

beforeAll(async () => {
  server = await startE2eServer({ SITE_URL: '', SESSION_SECRET: 'e2e-not-found-nav-secret-0123456789', DOCS_AUDIENCES: 'staff=guides/discord.mdx', READER_TOKEN_SECRET });
}, 240_000);

afterAll(async () => {
  await server?.stop();
});

const VIEWPORTS = [
  ['desktop', { width: 1440, height: 900 }],
  ['phone', { width: 390, height: 844 }],
] as const;

describe.each(VIEWPORTS)('the 404 page’s navigation (%s)', (name, viewport) => {
  let browser: TBrowser;

  beforeAll(async () => {
    browser = await launchBrowser({ baseURL: server.url });
  });

  afterAll(async () => {
    await browser?.close();
  });

  /** The navigation's links as the reader sees them: the sidebar, or the drawer behind the menu button. */
  async function navLinks(path: string): Promise<string[]> {
    const page = await browser.newPage(viewport);
    await page.goto(path);
    expect(await page.getByRole('heading', { name: 'Page not found' }).isVisible()).toBe(true);
    const nav =
      viewport.width < 1024
        ? await (async () => {
            await page.getByRole('button', { name: 'Open the navigation' }).click();
            return page.getByRole('dialog', { name: 'Documentation' }).getByRole('navigation', { name: 'Documentation' });
          })()
        : page.locator('aside').getByRole('navigation', { name: 'Documentation' });
    await nav.getByRole('link', { name: 'Slack setup' }).waitFor();
    const titles = await nav.getByRole('link').allInnerTexts();
    await screenshot(page, `not-found-nav-${name}-${titles.includes(CANARY_TITLE) ? 'staff' : 'public'}`);
    await page.close();
    return titles;
  }

  it('signed out: the public pages, never a page of an audience', async () => {
    const titles = await navLinks('/no-such-page');
    expect(titles.length).toBeGreaterThan(20);
    expect(titles).not.toContain(CANARY_TITLE);
    // A page the reader may not read answers as a missing one, with the same navigation.
    expect(await navLinks('/docs/guides/discord')).toEqual(titles);
  });

  it('signed in with a token of staff: their navigation, with the staff page', async () => {
    const page = await browser.newPage(viewport);
    await page.goto('/no-such-page');
    const token = await signReaderToken({ audiences: ['staff'] });
    const status = await page.evaluate(
      async (body) => (await fetch('/api/reader/session', { method: 'POST', headers: { 'content-type': 'application/json' }, body })).status,
      JSON.stringify({ token }),
    );
    expect(status).toBe(200);
    await page.close();
    expect(await navLinks('/no-such-page')).toContain(CANARY_TITLE);
    // Signed out again: gone.
    const signOut = await browser.newPage(viewport);
    await signOut.goto('/no-such-page');
    expect(await signOut.evaluate(async () => (await fetch('/api/reader/session', { method: 'DELETE' })).status)).toBe(200);
    await signOut.close();
    expect(await navLinks('/no-such-page')).not.toContain(CANARY_TITLE);
  });
});
