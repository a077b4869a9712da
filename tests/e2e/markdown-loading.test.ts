import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Page, Route } from 'playwright-core';
import { createClient } from '../helpers/server';
import { answers, ask, chatLog, openSidePanel } from './helpers/assistant';
import { launchBrowser, type TBrowser } from './helpers/browser';

// No reader sees Markdown syntax, however late the answers' renderer arrives (components/assistant/LazyMarkdown.tsx).
// In Chromium against `next start`: the renderer's chunk is held back (as on a slow network or a loaded machine)
// while a reader asks in the side panel; it is requested as the panel opens, the answer shows its words without `**`
// or fences until it arrives, then renders. An answer being written word by word shows no half-written syntax
// either. The shared page (/shared/<id>) is rendered on the server: its HTML holds no Markdown syntax.

/** A string only the renderer's chunk holds (components/assistant/markdown.tsx names its scrolling tables so). */
const RENDERER_MARK = 'Table, scrolls sideways';
const SYNTAX = /\*\*|```/;
// The offline answer quotes the docs' sections by bold name, and their code in fences.
const QUESTION = 'How do I run the tests?';

let browser: TBrowser;

beforeAll(async () => {
  browser = await launchBrowser({ baseURL: inject('fastUrl') });
});

afterAll(async () => {
  await browser?.close();
});

/** Records, from the first paint on, every text of the conversation's log that shows Markdown syntax. */
async function watchForSyntax(page: Page): Promise<() => Promise<string[]>> {
  await page.addInitScript((pattern) => {
    const syntax = new RegExp(pattern);
    const seen: string[] = [];
    Object.assign(window, { __syntaxSeen: seen });
    const check = () => {
      for (const log of document.querySelectorAll('[role="log"]')) {
        const text = (log as HTMLElement).innerText;
        if (syntax.test(text)) seen.push(text.slice(0, 300));
      }
    };
    new MutationObserver(check).observe(document, { subtree: true, childList: true, characterData: true });
  }, SYNTAX.source);
  return () => page.evaluate(() => (window as unknown as { __syntaxSeen: string[] }).__syntaxSeen);
}

/** Holds the renderer's chunk until `release()`; `isRequested()` says whether the page asked for it yet. */
async function holdRenderer(page: Page) {
  let release = () => {};
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  let isRequested = false;
  // Scripts come from Next's chunks, or on a docs page from its own client's (public/_docs-client/).
  await page.route((url) => /^\/(_next\/static|_docs-client)\//.test(url.pathname), async (route: Route) => {
    const response = await route.fetch();
    const body = await response.text();
    if (body.includes(RENDERER_MARK)) {
      isRequested = true;
      await released;
    }
    await route.fulfill({ response, body });
  });
  return { release, isRequested: () => isRequested };
}

describe('an answer while its renderer loads', () => {
  it('fetches the renderer as the panel opens, shows the answer without syntax until it arrives, then renders it', async () => {
    const page = await browser.newPage();
    try {
      const syntaxSeen = await watchForSyntax(page);
      const renderer = await holdRenderer(page);
      await page.goto('/docs/configuration');
      const panel = await openSidePanel(page);
      // On its way before any question: the panel asked for it as it opened.
      await expect.poll(() => renderer.isRequested()).toBe(true);

      await ask(page, panel, QUESTION);
      await expect.poll(() => answers(panel).count(), { timeout: 20_000 }).toBe(1);
      const answer = answers(panel).first();
      // Complete, the renderer still held: its words, and its code as code, without the syntax.
      expect(await answer.locator('[data-markdown="pending"]').count()).toBeGreaterThan(0);
      const plain = await answer.innerText();
      expect(plain).not.toMatch(SYNTAX);
      expect(plain).toMatch(/\w{4,}/);
      expect(await answer.locator('[data-markdown="pending"] pre').count()).toBeGreaterThan(0);

      renderer.release();
      // Released, the chunk still has its own imports to fetch through this page's route and to run: on CI's loaded
      // machine (three tiers on two cores, load 10) that has taken longer than 10 s and, once, than 30 s (the
      // config's poll limit), so this wait has its own. What it checks is that the stand-in goes, not how fast.
      await expect.poll(() => answer.locator('[data-markdown="pending"]').count(), { timeout: 90_000 }).toBe(0);
      expect(await answer.locator('strong').count()).toBeGreaterThan(0);
      expect(await answer.innerText()).not.toMatch(SYNTAX);
      expect(await syntaxSeen()).toEqual([]);
    } finally {
      await page.close();
    }
  }, 180_000);

  it('shows no half-written syntax while the answer is written word by word', async () => {
    const slow = await launchBrowser({ baseURL: inject('slowUrl') });
    try {
      const page = await slow.newPage();
      const syntaxSeen = await watchForSyntax(page);
      await page.goto('/docs/configuration');
      const panel = await openSidePanel(page);
      await ask(page, panel, QUESTION);
      // The draft is seen growing, then the answer completes.
      await chatLog(panel).getByTestId('draft-answer').waitFor({ timeout: 20_000 });
      await expect.poll(() => answers(panel).count(), { timeout: 30_000 }).toBe(1);
      await expect.poll(() => answers(panel).first().locator('[data-markdown="pending"]').count()).toBe(0);
      expect(await answers(panel).first().locator('strong').count()).toBeGreaterThan(0);
      expect(await syntaxSeen()).toEqual([]);
    } finally {
      await slow.close();
    }
  });
});

describe('a shared conversation', () => {
  it('is Markdown rendered in the server’s HTML, and runs in Chromium with no policy violation or console error', async () => {
    const url = inject('fastUrl');
    const reader = createClient(url);
    const thread = await reader.post('/api/paste-assistant-thread');
    const sent = await reader.post('/api/paste-assistant-message', { threadId: thread.body.id, message: QUESTION });
    expect(sent.body.run.status).toBe('completed');
    const shared = await reader.post(`/api/paste-assistant-thread/${thread.body.id}/share`);
    expect(shared.status).toBe(201);
    const path = new URL(shared.body.url as string).pathname;

    const html = await (await fetch(`${url}${path}`)).text();
    // The page as the server wrote it, without the props Next sends for hydration (they hold the Markdown as data),
    // nor the styles.
    const visible = html.replace(/<script id="__NEXT_DATA__"[^>]*>[\s\S]*?<\/script>/, '').replace(/<style[^>]*>[\s\S]*?<\/style>/g, '');
    expect(visible).toMatch(/<strong/);
    expect(visible).toMatch(/data-paste-element="CODE_BLOCK/);
    expect(visible).not.toMatch(SYNTAX);
    expect(visible).not.toContain('data-markdown="pending"');

    const page = await browser.newPage();
    try {
      const problems: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error') problems.push(message.text());
      });
      page.on('pageerror', (error) => problems.push(error.message));
      await page.goto(path, { waitUntil: 'networkidle' });
      expect(await page.locator('main').innerText()).not.toMatch(SYNTAX);
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
