import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { signMaintainerScope } from '@/lib/maintainers/links';
import { startNextServer, type TNextServer } from '@/scripts/lib/next-server';
import { startChatServer, type TChatServer, type TSearchResult } from '../helpers/chat-server';
import { createSeededDataDir } from '../helpers/pglite-template';
import { ask, waitForAnswer, waitForHydration } from './helpers/assistant';
import { launchBrowser, type TBrowser } from './helpers/browser';
import { OFFLINE_ENV } from './helpers/server';

// Links a model writes, in Chromium against `next start`: a model (a Chat Completions server on 127.0.0.1,
// as Ollama or vLLM would be) answers with links that browsers resolve to another host although they look
// like paths of this site. Each must end up opening in a new tab with rel="noopener noreferrer nofollow", or not be a
// link at all, and none may be listed as a source: only the docs section the model really cited is.
// The server has no SITE_URL, so its links follow the origin the browser is on (http://127.0.0.1:<port>); every
// hostile link here is relative or names another host, so the site's own address does not matter.

const MARKER = '(link takes you to an external page)';
// Set, so that the test can sign a maintainer's link to the transcript.
const SESSION_SECRET = 'hostile-links-e2e-session-secret-0123456789';

// label → markdown destination, as the model writes it. `&#9;`/`&#10;` are character references (markdown
// hands the link a TAB/newline); inside <…> a backslash pair is one escaped backslash.
const HOSTILE: [label: string, destination: string][] = [
  ['angle-tab', '</\t/evil.example/a>'],
  ['slash-backslash', '/\\evil.example/b'],
  ['entity-tab', '/&#9;/evil.example/c'],
  ['entity-newline', '/&#10;/evil.example/d'],
  ['double-backslash', '<\\\\\\\\evil.example/e>'],
  ['protocol-relative', '//evil.example/f'],
  ['userinfo', 'http://localhost:3000@evil.example/docs'],
  ['https-elsewhere', 'https://evil.example/docs/g'],
  ['docsevil', '/docsevil'],
  ['encoded-backslash', '/%5Cevil.example'],
  ['dotdot', '/docs/../\\evil.example'],
  ['js', 'javascript:alert(1)'],
  ['mixed-js', 'JaVaScRiPt:alert(1)'],
  ['data-url', 'data:text/html,<b>hi</b>'],
];

function hostileAnswer(results: TSearchResult[]): string {
  const first = results[0];
  const links: [string, string][] = [['docs-ok', first?.url ?? '/docs'], ...HOSTILE];
  return ['The docs explain this here:', '', ...links.map(([label, destination]) => `- ${label}: [${label}](${destination})`)].join('\n');
}

type TObserved = { label: string; link: { href: string; target: string | null; rel: string | null; isMarked: boolean } | null; isShown: boolean };

/** What each labelled link became in the answer's text: the browser's resolved href, target and rel. */
async function observeLinks(answer: Locator, labels: string[]): Promise<TObserved[]> {
  return answer.evaluate(
    (root, { labels, marker }) => {
      const heading = Array.from(root.querySelectorAll('p')).find((p) => p.textContent === 'Sources');
      const sources = heading?.parentElement ?? null;
      const anchors = Array.from(root.querySelectorAll('a')).filter((a) => !sources?.contains(a));
      return labels.map((label) => {
        const a = anchors.find((anchor) => (anchor.textContent ?? '').replace(marker, '').trim() === label);
        return {
          label,
          link: a ? { href: a.href, target: a.getAttribute('target'), rel: a.getAttribute('rel'), isMarked: (a.textContent ?? '').includes(marker) } : null,
          isShown: (root.textContent ?? '').includes(`${label}: ${label}`),
        };
      });
    },
    { labels, marker: MARKER },
  );
}

/** The answer's source list: each entry's text and, when it is a link, where the browser would go. */
async function observeSources(answer: Locator): Promise<{ text: string; href: string | null }[]> {
  return answer.evaluate((root) => {
    const heading = Array.from(root.querySelectorAll('p')).find((p) => p.textContent === 'Sources');
    const items = heading?.parentElement?.querySelectorAll('li') ?? [];
    return Array.from(items).map((item) => ({ text: (item.textContent ?? '').trim(), href: item.querySelector('a')?.href ?? null }));
  });
}

let model: TChatServer;
let server: TNextServer;
let browser: TBrowser;
let page: Page;
let asked: Promise<Locator> | undefined;

/** One conversation, read by both tests (whichever runs first asks). */
function hostileConversation(): Promise<Locator> {
  asked ??= (async () => {
    await page.goto('/assistant');
    await waitForHydration(page);
    await ask(page, page, 'How do I make a destructive button?');
    return waitForAnswer(page, 1, 30_000);
  })();
  return asked;
}
let searchResults: TSearchResult[] = [];

beforeAll(async () => {
  model = await startChatServer({
    answer: (results) => {
      searchResults = results;
      return hostileAnswer(results);
    },
  });
  server = await startNextServer({ dataDir: await createSeededDataDir('pa-e2e-'), env: { ...OFFLINE_ENV, OPENAI_BASE_URL: model.url, OPENAI_MODEL: 'local-model', SESSION_SECRET } });
  const health = (await (await fetch(`${server.url}/api/health`)).json()) as { modes?: { model?: string } };
  expect(health.modes?.model).not.toBe('offline');
  browser = await launchBrowser({ baseURL: server.url });
  // Nothing leaves the machine: a page of evil.example is answered here.
  await browser.context.route(/^https?:\/\/evil\.example\//, (route) => route.fulfill({ status: 200, contentType: 'text/html', body: '<title>evil</title>evil' }));
  page = await browser.newPage();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  if (server) rmSync(server.dataDir, { recursive: true, force: true });
  await model?.close();
});

describe('links a model writes, in the browser', () => {
  it('open another host only in a new tab with rel="noopener noreferrer nofollow", or are text, and are never sources', async () => {
    const answer = await hostileConversation();
    expect(searchResults.length).toBeGreaterThan(0);
    const origin = new URL(server.url).origin;

    const external = (href: string) => ({ href, target: '_blank', rel: 'noopener noreferrer nofollow', isMarked: true });
    const inSite = (path: string) => ({ href: `${origin}${path}`, target: null, rel: null, isMarked: false });
    const observed = await observeLinks(answer, ['docs-ok', ...HOSTILE.map(([label]) => label)]);
    const links = Object.fromEntries(observed.map(({ label, link, isShown }) => [label, isShown ? link : 'missing']));
    // One comparison, so that a failure shows the whole picture: the links in the text and the source list.
    const sources = (await observeSources(answer)).map((source) => source.href ?? `text: ${source.text}`);
    expect({ links, sources }).toEqual({
      links: {
        'docs-ok': inSite(searchResults[0]!.url),
        'angle-tab': external('http://evil.example/a'),
        'slash-backslash': external('http://evil.example/b'),
        'entity-tab': external('http://evil.example/c'),
        'entity-newline': external('http://evil.example/d'),
        'double-backslash': external('http://evil.example/e'),
        'protocol-relative': external('http://evil.example/f'),
        userinfo: external('http://localhost:3000@evil.example/docs'),
        'https-elsewhere': external('https://evil.example/docs/g'),
        // Paths of this site (they 404) stay in-site links, but are not docs, so not sources.
        docsevil: inSite('/docsevil'),
        'encoded-backslash': inSite('/%5Cevil.example'),
        // Resolves to the path //evil.example: emitted as a path it would be another host, so it is text.
        dotdot: null,
        js: null,
        'mixed-js': null,
        'data-url': null,
      },
      // Only the section the model cited from its search is a source.
      sources: [`${origin}${searchResults[0]!.url}`],
    });
  });

  it('shows maintainers the transcript with the model\'s links as text and only docs sections as sources', async () => {
    await hostileConversation();
    const threadId = new URL(page.url()).searchParams.get('thread') ?? '';
    expect(threadId).toMatch(/^thread_/);
    const { exp, sig } = signMaintainerScope({ secret: SESSION_SECRET, scope: { type: 'transcript', threadId }, ttlSeconds: 600 });
    const transcript = await browser.newPage();
    try {
      const response = await transcript.goto(`/maintainers/threads/${threadId}?exp=${exp}&sig=${sig}`);
      expect(response?.status()).toBe(200);
      await waitForHydration(transcript);
      const answer = transcript.getByRole('article', { name: /^Assistant message/ });
      // The answer's Markdown is rendered, but a link the model wrote to anything but a docs section is its text and
      // its address, as text.
      const text = await answer.textContent();
      expect(text).not.toContain('](');
      expect(text).toContain('angle-tab: angle-tab (/\t/evil.example/a)');
      expect(text).toContain('js: js (javascript:');
      const origin = new URL(server.url).origin;
      const links = await transcript.locator('main a').evaluateAll((anchors) =>
        anchors.map((a) => ({ href: (a as HTMLAnchorElement).href, target: a.getAttribute('target') })),
      );
      // The tool's results and the answer's one citation: all docs sections of this site, opened in place.
      expect(links.length).toBeGreaterThan(0);
      expect(links.filter((link) => !link.href.startsWith(`${origin}/docs/`) || link.target !== null)).toEqual([]);
      // The answer's own link to the docs section (its Markdown rendered) and its source: that one section.
      const answerLinks = await answer.getByRole('link').evaluateAll((anchors) => anchors.map((a) => (a as HTMLAnchorElement).href));
      expect(answerLinks.length).toBeGreaterThan(0);
      expect([...new Set(answerLinks)]).toEqual([`${origin}${searchResults[0]!.url}`]);
    } finally {
      await transcript.close();
    }
  });

  it('opens a hostile link in a new tab without a handle on the assistant page, and leaves the page where it is', async () => {
    const answer = await hostileConversation();
    const before = page.url();
    // A new tab is awaited for a while only; where each tab ended up is compared in one go, so that a failure
    // says where the click led.
    const popup = browser.context.waitForEvent('page', { timeout: 5_000 }).catch(() => null);
    await answer.getByRole('link', { name: /^angle-tab/ }).first().click();
    const opened = await popup;
    await opened?.waitForURL('http://evil.example/a');
    await page.waitForLoadState('domcontentloaded');
    expect({
      newTab: opened?.url() ?? null,
      hasOpener: opened ? await opened.evaluate(() => window.opener !== null) : null,
      assistantTab: page.url(),
    }).toEqual({ newTab: 'http://evil.example/a', hasOpener: false, assistantTab: before });
    await opened?.close();
  });
});
