import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OIDC_TEST_CLIENT_ID, OIDC_TEST_CLIENT_SECRET, startOidcProvider, type TOidcTestProvider } from '../helpers/oidc-provider';
import { launchBrowser, screenshot } from './helpers/browser';
import { startE2eServer, type TE2eServer } from './helpers/server';

// Sign-in on the docs site in Chromium (issue 57): a real OpenID provider library (oidc-provider) on 127.0.0.1,
// the header's "Sign in", the provider's own login and consent forms, back on the page signed in; a page of the
// `staff` audience (DOCS_AUDIENCES) is then found by the header's search, where a signed-out reader never finds
// it. At desktop width and at a phone's (390 px).

let provider: TOidcTestProvider;
let server: TE2eServer;

beforeAll(async () => {
  provider = await startOidcProvider({ accounts: { ada: ['staff'] } });
  server = await startE2eServer({
    SITE_URL: '',
    DOCS_AUDIENCES: 'staff=guides/discord.mdx',
    OIDC_ISSUER: provider.issuer,
    OIDC_CLIENT_ID: OIDC_TEST_CLIENT_ID,
    OIDC_CLIENT_SECRET: OIDC_TEST_CLIENT_SECRET,
  });
  provider.configure({ redirectUris: [`${server.url}/api/reader/oidc/callback`] });
});

afterAll(async () => {
  await server?.stop();
  await provider?.close();
});

/** The header search's result titles for `query`, once it has answered. */
async function searchTitles(page: Page, query: string): Promise<string[]> {
  const box = page.getByRole('combobox');
  await box.fill('');
  await box.fill(query);
  await page.getByRole('status').filter({ hasText: /matching section/ }).waitFor();
  return page.getByRole('option').allInnerTexts();
}

async function signInFlow(viewport: { width: number; height: number }, name: string) {
  const browser = await launchBrowser({ baseURL: server.url });
  try {
    const page = await browser.newPage(viewport);
    await page.goto('/docs/configuration');
    const signIn = page.getByRole('link', { name: 'Sign in' });
    await signIn.waitFor();
    const box = await signIn.boundingBox();
    expect(box && box.x >= 0 && box.x + box.width <= viewport.width, 'the sign-in control fits the header').toBe(true);
    expect((await searchTitles(page, 'Discord interactions endpoint')).some((title) => title.includes('Discord setup'))).toBe(false);

    await signIn.click();
    await page.waitForURL(`${provider.issuer}/**`);
    await page.locator('input[name="login"]').fill('ada');
    await page.locator('input[name="password"]').fill('any-password');
    await page.getByRole('button', { name: 'Sign-in' }).click();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL(`${server.url}/docs/configuration`);
    await page.getByRole('button', { name: /^Sign out/ }).waitFor();
    await screenshot(page, `oidc-signed-in-${name}`);
    expect((await searchTitles(page, 'Discord interactions endpoint')).some((title) => title.includes('Discord setup'))).toBe(true);

    // Signing out takes it away again.
    await page.getByRole('button', { name: /^Sign out/ }).click();
    await page.getByRole('link', { name: 'Sign in' }).waitFor();
    expect((await searchTitles(page, 'Discord interactions endpoint')).some((title) => title.includes('Discord setup'))).toBe(false);
  } finally {
    await browser.close();
  }
}

describe('OIDC sign-in in Chromium (oidc-provider on 127.0.0.1)', () => {
  it('signs a reader in through the provider’s login form, after which a staff page is found; sign-out ends it', { timeout: 120_000 }, async () => {
    await signInFlow({ width: 1440, height: 900 }, 'desktop');
  });

  it('works at a phone’s width (390 px)', { timeout: 120_000 }, async () => {
    await signInFlow({ width: 390, height: 844 }, 'phone');
  });
});
