// @vitest-environment jsdom
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { AIChatLog } from '@twilio-paste/core/ai-chat-log';
import { AssistantMessage } from '@/components/assistant/Messages';
import { buildMessage } from '../helpers/builders';
import { renderWithProviders } from '../helpers/dom';
import { setupFakeApi } from '../helpers/msw-dom';

// A reader opening one of an answer's sources is a signal its grade reads (lib/maintainers/grades): a click on the
// source's link posts it, once per click, with the thread, the answer and the URL; the label beside it posts nothing.

const fake = setupFakeApi();

describe('an answer’s sources', () => {
  it('tells the server which cited source the reader opened', async () => {
    const url = '/docs/guides/slack#creating-a-bot-token';
    const text = 'Create a [bot token](/docs/guides/slack#creating-a-bot-token).';
    const annotations = [{ type: 'url_citation' as const, url, title: 'Slack › Creating a bot token', start_index: 9, end_index: text.length - 1 }];
    const thread = fake.api.addThread({ title: 'Slack' });
    const answer = buildMessage({ text, annotations, thread_id: thread.id });
    fake.api.messages.set(thread.id, [answer]);
    renderWithProviders(
      <AIChatLog>
        <AssistantMessage message={answer} />
      </AIChatLog>,
    );
    const source = screen.getByRole('link', { name: 'Slack › Creating a bot token' });
    // Not a navigation in jsdom: the click is what counts.
    source.addEventListener('click', (event) => event.preventDefault());
    await userEvent.click(screen.getByText('Sources'));
    expect(fake.api.sourcesOpened).toEqual([]);
    await userEvent.click(source);
    await waitFor(() => expect(fake.api.sourcesOpened).toEqual([{ threadId: thread.id, messageId: answer.id, url }]));
  });
});
