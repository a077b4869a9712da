import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signGithubPayload } from '@/lib/handoff/replies';
import { startFakeGithub, type TFakeGithub } from '../helpers/fake-github';
import { ask, waitForAnswer, waitForHydration } from './helpers/assistant';
import { launchBrowser, screenshot, type TBrowser } from './helpers/browser';
import { startE2eServer, type TE2eServer } from './helpers/server';

// "Ask the maintainers" as a reader meets it, in Chromium at a phone's width (390 px) against `next start` with
// HANDOFF_TO=github (a fake GitHub on 127.0.0.1): a question the docs do not cover puts the button first; the form
// sends the note; the panel says where it went, with the issue's link; once a maintainer's comment comes back through
// the signed webhook, the reply is in the open conversation, without a reload, and the panel says a maintainer
// replied. Nothing is wider than the phone.

const REPO = 'acme/questions';
const WEBHOOK_SECRET = 'e2e-handoff-webhook-secret-0123';

let fake: TFakeGithub;
let server: TE2eServer;
let browser: TBrowser;

beforeAll(async () => {
  fake = await startFakeGithub({ repos: { [REPO]: { issues: [], comments: {} } } });
  server = await startE2eServer({
    HANDOFF_TO: 'github',
    HANDOFF_GITHUB_REPO: REPO,
    GITHUB_TOKEN: 'ghp_e2eHandoffToken0123456789',
    GITHUB_API_URL: fake.url,
    GITHUB_WEBHOOK_SECRET: WEBHOOK_SECRET,
  });
  browser = await launchBrowser({ baseURL: server.url });
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await fake?.close();
});

describe('Ask the maintainers', () => {
  it('after a not-covered answer, hands the conversation to GitHub and shows the maintainer’s reply, at 390 px', async () => {
    const page = await browser.newPage({ width: 390, height: 844 });
    await page.goto('/assistant');
    await waitForHydration(page);
    await ask(page, page, 'Can I fax a transcript to my printer?');
    await waitForAnswer(page);
    const button = page.getByRole('button', { name: /^Ask the maintainers/ });
    await button.waitFor();
    await screenshot(page, 'handoff-button-390');
    await button.click();
    await page.getByRole('textbox', { name: 'A note for the maintainers (optional)' }).fill('Nothing in the docs about faxing.');
    // GitHub only: no address is asked for.
    expect(await page.getByRole('textbox', { name: /Your e-mail/ }).count()).toBe(0);
    await page.getByRole('button', { name: 'Send to the maintainers' }).click();
    await page.getByText('Sent to the maintainers as a GitHub issue.').waitFor();
    const issue = fake.openedIssues(REPO)[0]!;
    // GitHub's own address for the issue (its html_url: here the fake's), never one built on github.com.
    expect(issue.html_url.startsWith(`${fake.url}/`)).toBe(true);
    expect(await page.getByRole('link', { name: /Open the issue/ }).getAttribute('href')).toBe(issue.html_url);
    expect(issue.body).toContain('Nothing in the docs about faxing.');
    expect(await page.getByTestId('handoff-reply-state').innerText()).toContain('No reply yet');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(page, 'handoff-sent-390');

    const body = JSON.stringify({
      action: 'created',
      issue: { number: issue.number },
      comment: { id: 9001, body: 'Not by fax: export the transcript as a PDF and print it.', author_association: 'OWNER', user: { login: 'maintainer-ana', type: 'User' } },
      repository: { full_name: REPO },
    });
    const delivered = await fetch(`${server.url}/api/github/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-github-event': 'issue_comment', 'x-github-delivery': 'e2e-1', 'x-hub-signature-256': signGithubPayload(WEBHOOK_SECRET, body) },
      body,
    });
    expect(delivered.status).toBe(200);
    // No reload: the open panel reads the conversation again while it is idle (MAINTAINER_REPLY_POLL_MS,
    // components/assistant/use-thread-reads.ts), so the reply and "A maintainer replied" come by themselves.
    const deliveredAt = Date.now();
    await page.getByTestId('maintainer-reply').first().waitFor({ timeout: 30_000 });
    process.stdout.write(`handoff e2e: the maintainer's reply showed ${Date.now() - deliveredAt} ms after the webhook, without reload\n`);
    expect(await page.getByTestId('maintainer-reply').first().innerText()).toContain('export the transcript as a PDF');
    await expect.poll(() => page.getByTestId('handoff-reply-state').innerText(), { timeout: 15_000 }).toContain('A maintainer replied');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(page, 'handoff-replied-390');
    await page.close();
  });
});
