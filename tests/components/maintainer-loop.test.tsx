// @vitest-environment jsdom
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { AIChatLog } from '@twilio-paste/core/ai-chat-log';
import { preloadMarkdown } from '@/components/assistant/LazyMarkdown';
import { AssistantMessage } from '@/components/assistant/Messages';
import { MaintainerMessage } from '@/components/assistant/MaintainerMessage';
import { isMaintainerReply } from '@/lib/shared/messages';
import { buildMessage } from '../helpers/builders';
import { renderWithProviders } from '../helpers/dom';

// The reader's side of the maintainers' loop: a maintainer's reply from Slack is a labelled bubble of its own, and
// a thumbs-down asks for an optional reason; its thanks says the maintainers see it only where someone reads votes
// (GET /api/assistant-intro's destinations.isFeedbackRead: the review channel, or the dashboard's token).

let isFeedbackRead = true;
const server = setupServer(
  http.get(`${window.location.origin}/api/assistant-intro`, () =>
    HttpResponse.json({ data: { siteName: 'Acme', assistantName: null, intro: null, questions: [], destinations: { isSharedInSlack: false, isSentToModelProvider: false, isFeedbackRead } } }),
  ),
);
beforeAll(() => server.listen({ onUnhandledRequest: 'bypass' }));
afterAll(() => server.close());

// The messages' renderer loaded first, as the panel has it by then (ConversationLog preloads it): a message then
// renders its Markdown at once, whichever test files ran before in this worker.
beforeAll(async () => {
  await preloadMarkdown();
});

describe('a maintainer reply', () => {
  it('names the maintainer, is labelled as a maintainer reply, renders its Markdown and has no votes or Copy', () => {
    const reply = buildMessage({ text: 'Use the [Slack guide](/docs/guides/slack).', metadata: { author: 'maintainer', author_name: 'Ana' } });
    expect(isMaintainerReply(reply)).toBe(true);
    expect(isMaintainerReply(buildMessage({ text: 'An answer' }))).toBe(false);
    renderWithProviders(
      <AIChatLog>
        <MaintainerMessage message={reply} />
      </AIChatLog>,
    );
    expect(screen.getAllByText('Ana').length).toBeGreaterThan(0);
    expect(screen.getByLabelText('Ana, a maintainer of these docs, replied')).toBeTruthy();
    expect(screen.getByText('Maintainer reply')).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Slack guide' }).getAttribute('href')).toBe('/docs/guides/slack');
    expect(screen.queryByRole('button', { name: 'Copy' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Not helpful' })).toBeNull();
  });

  it('without a name is from "A maintainer"', () => {
    renderWithProviders(
      <AIChatLog>
        <MaintainerMessage message={buildMessage({ text: 'Hi', metadata: { author: 'maintainer' } })} />
      </AIChatLog>,
    );
    expect(screen.getByLabelText('A maintainer of these docs replied')).toBeTruthy();
  });
});

describe('a thumbs-down', () => {
  it('asks for an optional reason, sends it with the vote, and thanks the reader', async () => {
    isFeedbackRead = true;
    const onVote = vi.fn(async () => true);
    const message = buildMessage({ text: 'An answer.' });
    const { rerender } = renderWithProviders(
      <AIChatLog>
        <AssistantMessage message={message} onVote={onVote} />
      </AIChatLog>,
    );
    const user = userEvent.setup();
    expect(screen.queryByLabelText('What was missing or wrong? (optional)')).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Not helpful' }));
    expect(onVote).toHaveBeenLastCalledWith(message.id, 'down');
    rerender(
      <AIChatLog>
        <AssistantMessage message={message} onVote={onVote} vote="down" />
      </AIChatLog>,
    );
    // The form's code loads with the first thumbs-down (components/assistant/Messages.tsx): the first time, slowly.
    const field = await screen.findByLabelText('What was missing or wrong? (optional)', {}, { timeout: 15_000 });
    expect(field.getAttribute('maxlength')).toBe('500');
    expect(field.getAttribute('placeholder')).toBe('The maintainers read this');
    await user.type(field, 'It skips the scopes.');
    await user.click(screen.getByRole('button', { name: 'Send' }));
    expect(onVote).toHaveBeenLastCalledWith(message.id, 'down', 'It skips the scopes.');
    expect(await screen.findByText('Thanks: the maintainers see your feedback.')).toBeTruthy();
    expect(screen.queryByLabelText('What was missing or wrong? (optional)')).toBeNull();
  });

  it('where nobody reads votes, thanks the reader without promising the maintainers', async () => {
    isFeedbackRead = false;
    const onVote = vi.fn(async () => true);
    const message = buildMessage({ text: 'An answer.' });
    const { rerender } = renderWithProviders(
      <AIChatLog>
        <AssistantMessage message={message} onVote={onVote} />
      </AIChatLog>,
    );
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Not helpful' }));
    rerender(
      <AIChatLog>
        <AssistantMessage message={message} onVote={onVote} vote="down" />
      </AIChatLog>,
    );
    const field = await screen.findByLabelText('What was missing or wrong? (optional)');
    expect(field.getAttribute('placeholder')).toBeNull();
    await user.type(field, 'It skips the scopes.');
    await user.click(screen.getByRole('button', { name: 'Send' }));
    expect(await screen.findByText('Thanks for your feedback.')).toBeTruthy();
    expect(screen.queryByText(/maintainers/)).toBeNull();
  });

  it('"No thanks" closes the form without sending a reason', async () => {
    const onVote = vi.fn(async () => true);
    const message = buildMessage({ text: 'An answer.' });
    const { rerender } = renderWithProviders(
      <AIChatLog>
        <AssistantMessage message={message} onVote={onVote} />
      </AIChatLog>,
    );
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Not helpful' }));
    rerender(
      <AIChatLog>
        <AssistantMessage message={message} onVote={onVote} vote="down" />
      </AIChatLog>,
    );
    await user.click(await screen.findByRole('button', { name: 'No thanks' }));
    expect(screen.queryByLabelText('What was missing or wrong? (optional)')).toBeNull();
    expect(onVote).toHaveBeenCalledTimes(1);
  });
});
