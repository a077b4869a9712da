import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { DOCS_PAGE_JS_BUDGET_KB, PANEL_JS_BUDGET_KB, trackScripts } from '@/scripts/bench-page-load';
import { composer, sidePanel, waitForAnswer, waitForHydration } from './helpers/assistant';
import { launchBrowser, screenshot, type TBrowser } from './helpers/browser';
import { axeViolations } from './helpers/axe';

// The docs site on a phone (375), a tablet (768), a small laptop (1024) and a desktop (1440): nothing wider
// than the screen, navigation everywhere, the assistant's panel over the page below 77rem (the whole screen on
// a phone) and beside it above, its composer always on screen; the page's JavaScript with the panel closed;
// and an axe scan of the pages readers use. Screenshots land in tests/e2e/__screenshots__/devices-*.png.

const WIDTHS = [375, 768, 1024, 1440] as const;

let browser: TBrowser;

beforeAll(async () => {
  browser = await launchBrowser({ baseURL: inject('fastUrl') });
});

afterAll(async () => {
  await browser?.close();
});

async function openPage(width: number, path = '/docs/configuration'): Promise<Page> {
  const page = await browser.newPage({ width, height: width < 500 ? 812 : 900 });
  await page.goto(path);
  await waitForHydration(page);
  return page;
}

const box = async (page: Page, selector: string) => (await page.locator(selector).first().boundingBox())!;

describe.each(WIDTHS)('at %i px', (width) => {
  it('the docs page fits the screen and its navigation is reachable', async () => {
    const page = await openPage(width);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
    // The page's blocks below the screen skip layout (content-visibility, styles/site.css), and a block's paint is
    // clipped to its box: laid out all, no block may be wider than the page's column unless it scrolls itself.
    const overflowing = await page.evaluate(() => {
      const blocks = [...document.querySelectorAll<HTMLElement>('.doc-content > .static-html > *')];
      for (const block of blocks) block.style.contentVisibility = 'visible';
      const wide = blocks
        .flatMap((block) => [block, ...block.querySelectorAll<HTMLElement>('*')])
        .filter((element) => element.clientWidth > 0 && element.scrollWidth > element.clientWidth + 1 && !['auto', 'scroll', 'hidden'].includes(getComputedStyle(element).overflowX))
        .map((element) => `${element.tagName.toLowerCase()}.${element.className}`);
      const pageWidth = document.documentElement.scrollWidth;
      for (const block of blocks) block.style.contentVisibility = '';
      return { wide, pageWidth, blocks: blocks.length };
    });
    expect(overflowing.blocks).toBeGreaterThan(10);
    expect(overflowing.wide).toEqual([]);
    expect(overflowing.pageWidth).toBeLessThanOrEqual(width);
    const header = await box(page, 'header');
    expect(header.width).toBeLessThanOrEqual(width);
    const sidebarNav = page.locator('aside').getByRole('navigation', { name: 'Documentation' });
    if (width < 1024) {
      expect(await sidebarNav.isVisible()).toBe(false);
      await page.getByRole('button', { name: 'Open the navigation' }).click();
      const drawer = page.getByRole('dialog', { name: 'Documentation' });
      await drawer.waitFor();
      expect(await drawer.getByRole('link', { name: 'Configuration' }).getAttribute('aria-current')).toBe('page');
      await screenshot(page, `devices-${width}-nav-drawer`);
      await page.keyboard.press('Escape');
      await drawer.waitFor({ state: 'detached' });
      await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-controls'))).toBe('docs-nav-drawer');
    } else {
      expect(await sidebarNav.isVisible()).toBe(true);
      expect(await page.getByRole('button', { name: 'Open the navigation' }).isVisible()).toBe(false);
    }
    await screenshot(page, `devices-${width}-docs`);
    await page.close();
  });

  it('the open panel sits above the header, keeps its composer on screen, and lays over or beside the page', async () => {
    const page = await openPage(width);
    const mainBefore = await box(page, 'main');
    await page.getByRole('button', { name: 'Ask the assistant' }).first().click();
    const panel = sidePanel(page);
    await panel.waitFor();
    await composer(panel).click();
    await page.keyboard.type('How do I configure Slack?');
    await page.keyboard.press('Enter');
    await waitForAnswer(panel);

    const viewport = page.viewportSize()!;
    const panelBox = (await panel.boundingBox())!;
    const composerBox = (await composer(panel).boundingBox())!;
    // The composer is on screen, at the bottom of the panel, however long the conversation.
    expect(composerBox.y).toBeGreaterThan(viewport.height / 2);
    expect(composerBox.y + composerBox.height).toBeLessThanOrEqual(viewport.height);
    expect(panelBox.y).toBe(0);
    expect(panelBox.height).toBe(viewport.height);
    // Nothing covers the panel's title (the sticky header used to).
    const title = (await panel.getByRole('heading', { name: 'Assistant' }).boundingBox())!;
    expect(await page.evaluate(({ x, y }) => document.elementFromPoint(x, y)?.closest('[role="dialog"]')?.getAttribute('aria-label'), { x: title.x + 5, y: title.y + 5 })).toBe(
      'Assistant',
    );
    const mainAfter = await box(page, 'main');
    if (width < 500) {
      expect(panelBox.width).toBe(width);
    } else if (width < 1232) {
      // An overlay: the page keeps its width underneath, and is inert while the panel is open.
      expect(panelBox.width).toBe(400);
      expect(mainAfter.width).toBe(mainBefore.width);
      expect(await page.locator('[inert]').count()).toBe(1);
    } else {
      // Docked: the page makes room and stays usable.
      expect(mainAfter.x + mainAfter.width).toBeLessThanOrEqual(panelBox.x);
      expect(await page.locator('[inert]').count()).toBe(0);
    }
    await screenshot(page, `devices-${width}-panel`);
    await page.keyboard.press('Escape');
    await panel.waitFor({ state: 'detached' });
    await page.close();
  });
});

describe('page weight', () => {
  it(`a docs page loads at most ${DOCS_PAGE_JS_BUDGET_KB} KB of gzip JS with the panel closed; the panel's code (at most ${PANEL_JS_BUDGET_KB} KB) comes on opening`, async () => {
    const page = await browser.newPage({ width: 1440, height: 900 });
    // The profile is shared by this file's pages: as on a first visit, nothing comes from the cache.
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    const scripts = trackScripts(page);
    await page.goto('/docs/configuration');
    await waitForHydration(page);
    await page.waitForLoadState('networkidle');
    await scripts.settled();
    const closedKb = scripts.kb();
    expect(closedKb).toBeGreaterThan(50);
    expect(closedKb).toBeLessThanOrEqual(DOCS_PAGE_JS_BUDGET_KB);
    const filesBefore = scripts.files();
    await page.getByRole('button', { name: 'Ask the assistant' }).first().click();
    await composer(sidePanel(page)).waitFor();
    // Everything opening the panel fetches, also what is asked for once it has rendered (trackScripts' quiet()).
    await scripts.quiet();
    // The chat (composer, Markdown, conversation) arrived only now.
    expect(scripts.files()).toBeGreaterThan(filesBefore);
    expect(scripts.kb() - closedKb).toBeGreaterThan(100);
    expect(scripts.kb() - closedKb).toBeLessThanOrEqual(PANEL_JS_BUDGET_KB);
    process.stdout.write(`docs page JS, panel closed: ${closedKb.toFixed(1)} KB gzip; opening the panel adds ${(scripts.kb() - closedKb).toFixed(1)} KB\n`);
    await page.close();
  });
});

describe('colour scheme before the page hydrates', () => {
  const luminance = (color: string) => {
    const [r = 0, g = 0, b = 0] = (color.match(/\d+/g) ?? []).map(Number);
    return (r + g + b) / 3;
  };
  /** The page as painted before any of its JavaScript files runs (they are refused): server HTML, CSS, inline scripts. */
  async function openUnhydrated(colorScheme: 'light' | 'dark', width = 375): Promise<Page> {
    const page = await browser.newPage({ width, height: 812 });
    await page.emulateMedia({ colorScheme });
    await page.route('**/*.js', (route) => route.abort());
    await page.goto('/docs/configuration');
    return page;
  }
  const read = (page: Page) =>
    page.evaluate(() => ({
      body: getComputedStyle(document.body).backgroundColor,
      header: getComputedStyle(document.querySelector('header')!).backgroundColor,
      text: getComputedStyle(document.querySelector('main .paragraph')!).color,
      dataTheme: document.documentElement.getAttribute('data-theme'),
      isHydrated: Object.keys(document.getElementById('__next') ?? {}).some((key) => key.startsWith('__reactContainer')),
    }));

  it('a reader whose system prefers dark gets a dark first paint, from CSS alone', async () => {
    const page = await openUnhydrated('dark');
    const painted = await read(page);
    expect(painted.isHydrated).toBe(false);
    expect(painted.dataTheme).toBeNull();
    expect(luminance(painted.body)).toBeLessThan(60);
    expect(luminance(painted.header)).toBeLessThan(60);
    expect(luminance(painted.text)).toBeGreaterThan(180);
    await screenshot(page, 'devices-375-dark-first-paint');
    await page.close();
  });

  it('a saved choice wins over the system before the first paint, both ways', async () => {
    const page = await openUnhydrated('light');
    try {
      await page.evaluate(() => localStorage.setItem('paste-assistant:color-scheme', 'dark'));
      await page.reload();
      const dark = await read(page);
      expect(dark.isHydrated).toBe(false);
      expect(dark.dataTheme).toBe('dark');
      expect(luminance(dark.body)).toBeLessThan(60);

      await page.emulateMedia({ colorScheme: 'dark' });
      await page.evaluate(() => localStorage.setItem('paste-assistant:color-scheme', 'light'));
      await page.reload();
      const light = await read(page);
      expect(light.isHydrated).toBe(false);
      expect(light.dataTheme).toBe('light');
      expect(luminance(light.body)).toBeGreaterThan(240);
    } finally {
      await page.evaluate(() => localStorage.removeItem('paste-assistant:color-scheme'));
      await page.close();
    }
  });

  it('the toggle\'s choice applies to the page at once and to the panel, whose Paste theme follows it', async () => {
    const page = await openPage(375);
    await page.emulateMedia({ colorScheme: 'dark' });
    try {
      const toggle = page.getByRole('button', { name: 'Dark theme' });
      await expect.poll(() => toggle.getAttribute('aria-pressed')).toBe('true');
      await toggle.click();
      await expect.poll(async () => luminance((await read(page)).body)).toBeGreaterThan(240);
      await page.getByRole('button', { name: 'Ask the assistant' }).first().click();
      const panel = sidePanel(page);
      await composer(panel).waitFor();
      const panelBackground = () => panel.evaluate((element) => getComputedStyle(element).backgroundColor);
      expect(luminance(await panelBackground())).toBeGreaterThan(240);
      await page.keyboard.press('Escape');
      await panel.waitFor({ state: 'detached' });
      await page.getByRole('button', { name: 'Dark theme' }).click();
      await page.getByRole('button', { name: 'Ask the assistant' }).first().click();
      await composer(panel).waitFor();
      expect(luminance(await panelBackground())).toBeLessThan(60);
      await screenshot(page, 'devices-375-dark-panel');
    } finally {
      await page.evaluate(() => localStorage.removeItem('paste-assistant:color-scheme'));
      await page.close();
    }
  });
});



describe('axe', () => {
  const table: string[] = [];
  afterAll(() => {
    process.stdout.write(`\naxe (all impacts):\n${table.join('\n')}\n`);
  });

  const scans: [string, (page: Page) => Promise<void>][] = [
    ['home', async (page) => void (await page.goto('/'))],
    ['docs page', async (page) => void (await page.goto('/docs/configuration'))],
    [
      'open panel with an answer',
      async (page) => {
        await page.goto('/docs/api');
        await waitForHydration(page);
        await page.getByRole('button', { name: 'Ask the assistant' }).first().click();
        await composer(sidePanel(page)).click();
        await page.keyboard.type('How do I configure Slack?');
        await page.keyboard.press('Enter');
        await waitForAnswer(sidePanel(page));
      },
    ],
    ['/assistant', async (page) => void (await page.goto('/assistant'))],
    ['docs page, dark theme', async (page) => {
      await page.emulateMedia({ colorScheme: 'dark' });
      await page.goto('/docs/configuration');
    }],
  ];
  it.each(scans)('%s: no critical or serious violation', async (name, open) => {
    for (const width of [375, 1440]) {
      const page = await browser.newPage({ width, height: 900 });
      await open(page);
      await waitForHydration(page);
      await page.waitForLoadState('networkidle');
      const violations = await axeViolations(page);
      const summary = violations.map((violation) => `${violation.id} (${violation.impact}, ${violation.nodes.length})`).join(', ') || 'none';
      table.push(`| ${name} | ${width} | ${summary} |`);
      const blocking = violations.filter((violation) => violation.impact === 'critical' || violation.impact === 'serious');
      expect(blocking.map((violation) => `${violation.id}: ${violation.nodes.slice(0, 3).map((node) => node.target.join(' ')).join('; ')}`)).toEqual([]);
      await page.close();
    }
  });
});
