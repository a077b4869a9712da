import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TApp } from '@/lib/app';
import { upsertDocsPagesByPath, type TPageInput } from '@/lib/db/docs-index';
import { createTestApp } from '../helpers/app';
import { createClient, startTestServer, type TTestServer } from '../helpers/server';

// Answers that say where they come from (issue 37, item 5), end to end on PGlite: the fixture docs and a GitHub
// thread (indexed as the GitHub source indexes one: kind 'github', its html_url as slug, its number and state in
// meta, a maintainer's comment as its own section) side by side; the offline model answers through the run engine
// and the routes. A question the thread answers leads with the maintainers' sentence and cites the thread; a
// question the docs answer is answered from the docs as before.

const THREAD_URL = 'https://github.com/acme/widgets/issues/4321';

const THREAD: TPageInput = {
  path: 'github/acme/widgets/issues/4321',
  kind: 'github',
  slug: THREAD_URL,
  title: 'Tooltip flickers when hovering a disabled toggle',
  description: 'Issue #4321 in acme/widgets, open (not fixed yet), updated 2026-11-20',
  checksum: 'thread-4321-open',
  warnings: [],
  meta: { number: 4321, state: 'open', updatedAt: '2026-11-20T10:00:00Z' },
  sections: [
    {
      heading: 'Tooltip flickers when hovering a disabled toggle',
      heading_path: ['Tooltip flickers when hovering a disabled toggle'],
      anchor: '',
      content: 'The tooltip on a disabled toggle flickers on hover: it opens and closes over and over.',
    },
    {
      heading: "Maintainers' answer (2026-11-19)",
      heading_path: ['Tooltip flickers when hovering a disabled toggle', "Maintainers' answer (2026-11-19)"],
      anchor: 'issuecomment-777',
      content: 'A disabled toggle gets no pointer events, so the tooltip flickers between its wrapper and the toggle. Wrap the disabled toggle in a span that takes the hover until the fix ships.',
    },
  ],
};

let app: TApp;
let server: TTestServer;

beforeAll(async () => {
  app = await createTestApp();
  await upsertDocsPagesByPath({ db: app.db, pages: [THREAD] });
  server = await startTestServer(app);
});

afterAll(async () => {
  await server.close();
  await app.db.close();
});

async function ask(message: string) {
  const reader = createClient(server.url);
  const thread = await reader.post('/api/paste-assistant-thread');
  const sent = await reader.post('/api/paste-assistant-message', { threadId: thread.body.id, message });
  expect(sent.body.run.status).toBe('completed');
  const messages = await reader.get(`/api/paste-assistant-messages/${thread.body.id}`);
  const answer = messages.body.data[1];
  return { text: answer.content[0].text.value as string, annotations: answer.content[0].text.annotations as { url: string; title: string; start_index: number; end_index: number; source?: unknown }[] };
}

describe('the offline answer with a GitHub thread indexed beside the docs', () => {
  it('leads with the maintainers\' sentence when the thread is the best source, and cites the thread with its number and state', async () => {
    const { text, annotations } = await ask('Why does the tooltip flicker when I hover a disabled toggle?');
    expect(text.startsWith('Maintainers answered this in #4321, still open, not fixed yet.')).toBe(true);
    expect(text).toContain('> A disabled toggle gets no pointer events');
    const [citation] = annotations;
    expect(citation).toMatchObject({ url: `${THREAD_URL}#issuecomment-777`, source: { kind: 'thread', number: 4321, state: 'open' } });
    expect(text.slice(citation!.start_index, citation!.end_index)).toBe(citation!.title);
  });

  it('answers a docs question from the docs, as before', async () => {
    const { text, annotations } = await ask('How do I invite the bot to the Slack channel?');
    expect(text.split('\n')[0]).toMatch(/Slack notifications › Choosing the channel/);
    expect(text).toMatch(/\*\*Slack notifications › Choosing the channel\*\*/);
    expect(annotations[0]).toMatchObject({ url: '/docs/guides/slack#choosing-the-channel' });
    expect(annotations[0]).not.toHaveProperty('source');
  });
});
