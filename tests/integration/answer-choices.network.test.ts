import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { listMessagesByThread } from '@/lib/db/messages';
import { createThread } from '@/lib/db/threads';
import { PUBLIC_ACCESS } from '@/lib/audiences';
import { readChoices } from '@/lib/shared/choices';
import { createTestApp } from '../helpers/app';
import { answer, chatDialect, docsCall, embeddingsWithoutAccess, responsesDialect, scriptModel, toolCalls } from '../helpers/openai';

// Clarifying choices with a model (issue 71 item 4): a scripted model searches, answers from the closest page and ends
// with its Choices line (its instructions, rule 8); the stored answer has the line taken out and the choices in its
// metadata, each asking the reader's (masked) question again naming the page.

const server = setupServer(embeddingsWithoutAccess);
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const OWNER = 'owner_choices_aaaaaaaaaa';

describe.each([responsesDialect, chatDialect])('$name: a model that asks which one', (dialect) => {
  it('stores its choices under the answer, without the line, on the masked question', async () => {
    const reply = 'A [Destructive button](/docs/guides/buttons#destructive-button) asks first. I answered about buttons.\n\nChoices: Buttons | Slack notifications';
    const script = scriptModel(dialect, [toolCalls(docsCall('delete', 'call_1')), answer(reply)]);
    server.use(script.handler);
    const app = await createTestApp({ env: dialect.env });
    try {
      const thread = await createThread({ db: app.db, owner: OWNER, metadata: {} });
      const question = 'how do I delete things? mail me at reader@example.com';
      const { run } = await app.engine.startRun({ access: PUBLIC_ACCESS, owner: OWNER, threadId: thread.id, text: question });
      const done = await app.engine.waitForRun({ owner: OWNER, threadId: thread.id, runId: run.id, timeoutMs: 15_000 });
      expect(done.status).toBe('completed');
      // The model was told how to ask (rule 8 of its instructions).
      expect(dialect.instructions(script.requests[0]?.body)).toContain('Choices: Popover | Modal | Tooltip');
      const [asked, answered] = (await listMessagesByThread({ db: app.db, owner: OWNER, threadId: thread.id, limit: 10, order: 'asc' })).data;
      const stored = asked?.content[0]?.text.value ?? '';
      expect(stored).not.toContain('reader@example.com');
      expect(answered?.content[0]?.text.value).toBe('A [Destructive button](/docs/guides/buttons#destructive-button) asks first. I answered about buttons.');
      expect(readChoices(answered?.metadata)).toEqual([
        { label: 'Buttons', question: `Buttons: ${stored}` },
        { label: 'Slack notifications', question: `Slack notifications: ${stored}` },
      ]);
    } finally {
      await app.db.close();
    }
  });
});
