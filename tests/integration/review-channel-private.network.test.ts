import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TApp } from '@/lib/app';
import { accessOfAudiences, PUBLIC_ACCESS, type TReaderAccess } from '@/lib/audiences';
import { createThreadForCaller, sendMessageForCaller } from '@/lib/assistant/service';
import { getSlackOutboxStats } from '@/lib/db/slack-outbox';
import { WITHHELD_REVIEW_TEXT } from '@/lib/review-channel/withhold';
import { makeTempDir } from '@/scripts/lib/temp-dir';
import { createTestApp } from '../helpers/app';
import { waitUntil } from '../helpers/models';
import { createFakeSlack, SLACK_ENV, type TFakeSlack } from '../helpers/slack';

// The review channel is a place whose readers we do not know (issue 68): unless SLACK_REVIEW_AUDIENCES says what its
// members may read, an answer a staff reader got from a private page is posted without its text, and without that
// page's title and URL; an answer from public pages is posted as before. The offline model, msw for Slack's Web API.

const OWNER = 'owner_review_private_aaaa';
const STAFF = accessOfAudiences(['staff']);
const server = setupServer();
const apps: TApp[] = [];
let slack: TFakeSlack;
let docsDir: string;

beforeAll(() => {
  server.listen({ onUnhandledRequest: 'error' });
  docsDir = makeTempDir('review-private-');
  mkdirSync(path.join(docsDir, 'internal'));
  writeFileSync(path.join(docsDir, 'toasts.md'), '---\ntitle: Toasts\n---\n\n## Dismissing\n\nA toast is dismissed after five seconds.\n');
  writeFileSync(path.join(docsDir, 'internal/toaster.md'), '---\ntitle: Toaster runbook\n---\n\n## Quokkafier\n\nThe quokkafier hook pushes toasts from the wombat queue.\n');
});
afterEach(async () => {
  server.resetHandlers();
  for (const app of apps.splice(0)) await app.db.close();
});
afterAll(() => server.close());

async function setup(env: Record<string, string> = {}) {
  slack = createFakeSlack();
  server.use(slack.handler);
  const app = await createTestApp({ env: { ...SLACK_ENV, DOCS_DIR: docsDir, DOCS_AUDIENCES: 'staff=internal/**', ...env }, overrides: { reviewChannelOptions: { isAutoDelivering: false } } });
  apps.push(app);
  return app;
}

async function askAs(access: TReaderAccess, app: TApp, text: string) {
  const thread = await createThreadForCaller({ deps: app, owner: OWNER, access });
  const { run } = await sendMessageForCaller({ deps: app, owner: OWNER, threadId: thread.id, text, access });
  expect(run.status).toBe('completed');
  await waitUntil(async () => {
    await app.reviewChannel.deliverOutboxOnce();
    return (await getSlackOutboxStats({ db: app.db })).pending === 0;
  }, 10_000);
  return slack.calls.map((call) => call.text ?? '').join('\n');
}

describe('the review channel reads what SLACK_REVIEW_AUDIENCES says, public pages by default', () => {
  it('posts a staff answer drawn from a private page without its text, title or URL', async () => {
    const posted = await askAs(STAFF, await setup(), 'What does the quokkafier hook do?');
    expect(posted).toContain(WITHHELD_REVIEW_TEXT);
    expect(posted).not.toContain('wombat queue');
    expect(posted).not.toContain('Toaster runbook');
    expect(posted).not.toContain('/docs/internal/toaster');
    // The reader's own question is posted as before: it is theirs, not the docs'.
    expect(posted).toContain('quokkafier hook');
  });

  it('posts it whole to a channel mapped to the audience, and to one that reads every page', async () => {
    for (const audiences of ['staff', '*']) {
      const posted = await askAs(STAFF, await setup({ SLACK_REVIEW_AUDIENCES: audiences }), 'What does the quokkafier hook do?');
      expect(posted).not.toContain(WITHHELD_REVIEW_TEXT);
      expect(posted).toContain('/docs/internal/toaster');
    }
  });

  it('posts an answer from public pages whole', async () => {
    const posted = await askAs(PUBLIC_ACCESS, await setup(), 'How long does a toast stay before it is dismissed?');
    expect(posted).not.toContain(WITHHELD_REVIEW_TEXT);
    expect(posted).toContain('/docs/toasts');
  });
});
