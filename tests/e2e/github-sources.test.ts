import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { startFakeGithub, type TFakeDiscussion, type TFakeGithub } from '../helpers/fake-github';
import { ask, openSidePanel, waitForAnswer } from './helpers/assistant';
import { launchBrowser, screenshot, type TBrowser } from './helpers/browser';
import { startE2eServer, type TE2eServer } from './helpers/server';

// A GitHub thread as a reader meets it: on a server syncing GITHUB_REPOS (a fake GitHub on 127.0.0.1 serving
// tests/fixtures/github), the side panel's answer to a question an earlier issue answers lists that issue among
// its sources as "GitHub thread #N" with its state, so that it reads as an issue and not as a docs page; at a
// desktop width and at a phone's (375 px).

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/github');
const read = <T>(name: string) => JSON.parse(readFileSync(path.join(FIXTURES, name), 'utf8')) as T;
const QUESTION = 'The DatePicker shows the previous day in Safari. Is this a bug?';

let fake: TFakeGithub;
let server: TE2eServer;
let browser: TBrowser;

beforeAll(async () => {
  fake = await startFakeGithub({
    repos: { 'acme/widgets': { issues: read('issues.json'), comments: read('comments.json'), discussions: read<TFakeDiscussion[]>('discussions.json') } },
  });
  server = await startE2eServer({ GITHUB_REPOS: 'acme/widgets', GITHUB_API_URL: fake.url, GITHUB_TOKEN: 'ghp_e2eTierTokenNeverShown0123456789' });
  // The server syncs at start, in the background: the reader asks once /api/health records the sync.
  const deadline = Date.now() + 60_000;
  for (;;) {
    const health = (await (await fetch(`${server.url}/api/health`)).json()) as { docs: { sources: { kind: string; pages: number; lastRun: string | null }[] } };
    const github = health.docs.sources.find((source) => source.kind === 'github');
    if (github?.lastRun) {
      // The seven issues and pull requests and the discussion of the fixtures.
      if (github.pages !== 8) throw new Error(`the GitHub sync indexed ${github.pages} threads, not 8: ${JSON.stringify(github)}`);
      break;
    }
    if (Date.now() > deadline) throw new Error(`the GitHub sync did not finish in 60 s: ${JSON.stringify(github)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  browser = await launchBrowser({ baseURL: server.url });
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await fake?.close();
});

/**
 * The answer's sources that are the thread (its question and its maintainer's answer are two sections, so two
 * sources), checked: each says "GitHub thread #1" and "Closed" in visible words beside its link to the issue.
 * Returns the first.
 */
async function expectThreadSource(answer: Locator) {
  const items = answer.getByRole('list', { name: 'Sources' }).getByRole('listitem').filter({ hasText: 'GitHub thread #1' });
  await expect.poll(() => items.count()).toBeGreaterThanOrEqual(1);
  for (const item of await items.all()) {
    expect(await item.getByText('GitHub thread #1', { exact: true }).isVisible()).toBe(true);
    expect(await item.getByText('Closed', { exact: true }).isVisible()).toBe(true);
    expect(await item.getByRole('link').first().getAttribute('href')).toMatch(/^https:\/\/github\.com\/acme\/widgets\/issues\/1(#|$)/);
  }
  return items.first();
}

async function askAboutTheDatePicker(page: Page) {
  await page.goto('/docs');
  const panel = await openSidePanel(page);
  await ask(page, panel, QUESTION);
  return waitForAnswer(panel);
}

describe('a GitHub thread among the sources', () => {
  it('shows "GitHub thread #1" and its state in the side panel', async () => {
    const page = await browser.newPage();
    const answer = await askAboutTheDatePicker(page);
    const item = await expectThreadSource(answer);
    await item.scrollIntoViewIfNeeded();
    await screenshot(page, 'panel-github-thread-source');
    await page.close();
  });

  it('shows them at a phone width (375 px), within the screen', async () => {
    const page = await browser.newPage({ width: 375, height: 812 });
    const answer = await askAboutTheDatePicker(page);
    const item = await expectThreadSource(answer);
    await item.scrollIntoViewIfNeeded();
    const box = await item.getByText('GitHub thread #1', { exact: true }).boundingBox();
    expect(box).not.toBeNull();
    expect(box!.x).toBeGreaterThanOrEqual(0);
    expect(box!.x + box!.width).toBeLessThanOrEqual(375);
    await screenshot(page, 'mobile-375-github-thread-source');
    await page.close();
  });
});
