import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signGithubPayload } from '@/lib/handoff/replies';
import { startFakeGithub, type TFakeGithub } from '../helpers/fake-github';
import { mailLink, startSmtp } from '../helpers/smtp';
import { ask, waitForAnswer, waitForHydration } from './helpers/assistant';
import { launchBrowser, screenshot, type TBrowser } from './helpers/browser';
import { startE2eServer, type TE2eServer } from './helpers/server';

// The hand-off's e-mails as a reader meets them (issue 67), in Chromium at a phone's width (390 px) against `next start`
// with HANDOFF_TO=github,email (GitHub faked, an SMTP server on 127.0.0.1): the reader leaves an address; the panel says
// a link to confirm it was e-mailed; the confirmation mail's page confirms it on a press; the maintainer's reply is then
// e-mailed with a link to the conversation, which, opened in another browser (the reader's phone), offers to move the
// conversation there and, pressed, shows it with the reply. Nothing is wider than the phone.

const REPO = 'acme/questions';
const WEBHOOK_SECRET = 'e2e-handoff-email-webhook-secret';
const ADDRESS = 'reader@example.org';

let fake: TFakeGithub;
let smtp: Awaited<ReturnType<typeof startSmtp>>;
let server: TE2eServer;
let browser: TBrowser;
let phone: TBrowser;

beforeAll(async () => {
  fake = await startFakeGithub({ repos: { [REPO]: { issues: [], comments: {} } } });
  smtp = await startSmtp();
  server = await startE2eServer({
    HANDOFF_TO: 'github,email',
    HANDOFF_GITHUB_REPO: REPO,
    GITHUB_TOKEN: 'ghp_e2eHandoffEmailToken0123456789',
    GITHUB_API_URL: fake.url,
    GITHUB_WEBHOOK_SECRET: WEBHOOK_SECRET,
    SMTP_URL: smtp.url,
    HANDOFF_EMAIL_FROM: 'Docs <docs@example.com>',
  });
  browser = await launchBrowser({ baseURL: server.url });
  phone = await launchBrowser({ baseURL: server.url });
});

afterAll(async () => {
  await phone?.close();
  await browser?.close();
  await server?.stop();
  await smtp?.close();
  await fake?.close();
});

const isWithinPhone = (page: Awaited<ReturnType<TBrowser['newPage']>>) => page.evaluate(() => document.documentElement.scrollWidth <= 390);

describe('the hand-off’s e-mails', () => {
  it('confirms the address on the mail’s page, then e-mails the reply with a link that moves the conversation to the phone that opens it, at 390 px', async () => {
    const page = await browser.newPage({ width: 390, height: 844 });
    await page.goto('/assistant');
    await waitForHydration(page);
    await ask(page, page, 'Can I fax a transcript to my printer?');
    await waitForAnswer(page);
    await page.getByRole('button', { name: /^Ask the maintainers/ }).click();
    await page.getByRole('textbox', { name: /Your e-mail/ }).fill(ADDRESS);
    await page.getByRole('button', { name: 'Send to the maintainers' }).click();
    await page.getByText('Sent to the maintainers as a GitHub issue.').waitFor();
    expect(await page.getByTestId('handoff-reply-state').innerText()).toContain('We e-mailed you a link to confirm your address');

    // The confirmation mail's page: nothing happens until the press.
    await expect.poll(() => smtp.mails.length, { timeout: 30_000 }).toBe(1);
    const confirm = mailLink(smtp.mails[0]!.text, 'confirm');
    const confirmPage = await browser.newPage({ width: 390, height: 844 });
    await confirmPage.goto(confirm.path);
    await confirmPage.getByRole('heading', { name: 'Confirm your e-mail address' }).waitFor();
    expect(await isWithinPhone(confirmPage)).toBe(true);
    await screenshot(confirmPage, 'handoff-confirm-390');
    await confirmPage.getByRole('button', { name: 'Confirm my address' }).click();
    await confirmPage.getByRole('status').filter({ hasText: 'Confirmed' }).waitFor();
    expect(new URL(confirmPage.url()).hash).toBe('');
    await screenshot(confirmPage, 'handoff-confirmed-390');

    // A maintainer replies on GitHub: the reply is e-mailed, with the conversation's link.
    const issue = fake.openedIssues(REPO)[0]!;
    const body = JSON.stringify({
      action: 'created',
      issue: { number: issue.number },
      comment: { id: 9101, body: 'Not by fax: export the transcript as a PDF and print it.', author_association: 'MEMBER', user: { login: 'maintainer-ana', type: 'User' } },
      repository: { full_name: REPO },
    });
    const delivered = await fetch(`${server.url}/api/github/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-github-event': 'issue_comment', 'x-github-delivery': 'e2e-email-1', 'x-hub-signature-256': signGithubPayload(WEBHOOK_SECRET, body) },
      body,
    });
    expect(delivered.status).toBe(200);
    await expect.poll(() => smtp.mails.length, { timeout: 60_000 }).toBe(2);
    expect(smtp.mails[1]!.text).toContain('export the transcript as a PDF');
    const open = mailLink(smtp.mails[1]!.text, 'open');

    // On the phone (another browser): offered, then moved on the press, and shown with the reply.
    const onPhone = await phone.newPage({ width: 390, height: 844 });
    await onPhone.goto(open.path);
    await onPhone.getByRole('button', { name: 'Open it in this browser' }).waitFor();
    expect(await onPhone.getByText('This conversation was asked in another browser.').count()).toBe(1);
    expect(await isWithinPhone(onPhone)).toBe(true);
    await screenshot(onPhone, 'handoff-open-elsewhere-390');
    await onPhone.getByRole('button', { name: 'Open it in this browser' }).click();
    await onPhone.waitForURL(/\/assistant\?thread=thread_/);
    await onPhone.getByTestId('maintainer-reply').first().waitFor();
    expect(await onPhone.getByTestId('maintainer-reply').first().innerText()).toContain('export the transcript as a PDF');
    expect(await isWithinPhone(onPhone)).toBe(true);
    await screenshot(onPhone, 'handoff-open-moved-390');

    // The same link in the first browser again: it moved away, and the link moves it nowhere again.
    const again = await browser.newPage({ width: 390, height: 844 });
    await again.goto(open.path);
    await again.getByRole('alert').filter({ hasText: 'already opened the conversation in another browser' }).waitFor();
    await screenshot(again, 'handoff-open-spent-390');
    for (const opened of [page, confirmPage, onPhone, again]) await opened.close();
  });
});
