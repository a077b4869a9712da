// @vitest-environment jsdom
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { AssistantPage } from '@/components/assistant/AssistantPage';
import { renderWithProviders } from '../helpers/dom';
import { setupFakeApi } from '../helpers/msw-dom';

// A screenshot sent from /assistant's composer (issue 71): it goes as the message's `images`, shows in the reader's
// message at once, and, once stored, is fetched from the question's images route (the thread's messages carry only
// its type) and shown there again.

const fake = setupFakeApi();
const PNG = readFileSync(path.resolve(import.meta.dirname, '../fixtures/screenshots/missing-scope.png'));
const log = () => screen.getByRole('log', { name: 'Conversation with the assistant' });

describe('a screenshot in the conversation', () => {
  it('is sent with the message, and shown in the reader\'s message from the stored question', async () => {
    const thread = fake.api.addThread({ title: 'Errors' });
    fake.api.scriptNextRun({ onSend: 'completed', polls: ['completed'], answer: { text: 'Add the **chat:write** scope.' } });
    renderWithProviders(<AssistantPage selectedId={thread.id} onSelect={() => undefined} />);
    await screen.findByRole('heading', { name: 'Ask the docs' });
    const user = userEvent.setup();
    await user.upload(await screen.findByLabelText('Attach a screenshot', { selector: 'input' }), new File([PNG], 'error.png', { type: 'image/png' }));
    await screen.findByRole('img', { name: 'Screenshot 1 to send' });
    await user.click(screen.getByRole('button', { name: 'Send message' }));

    await within(log()).findByText('chat:write', {}, { timeout: 5000 });
    const sent = fake.api.requests.find((request) => request.method === 'POST' && request.path === '/api/paste-assistant-message');
    expect(sent?.body).toMatchObject({ threadId: thread.id, message: '', images: [{ mediaType: 'image/png', data: PNG.toString('base64') }] });
    const shown = await within(log()).findByRole('img', { name: 'Screenshot 1 sent with the question' }, { timeout: 5000 });
    expect(shown.getAttribute('src')).toBe(`data:image/png;base64,${PNG.toString('base64')}`);
    await waitFor(() => expect(fake.api.count('GET', /\/images$/)).toBe(1));
    // Nothing is left attached to the next message.
    expect(screen.queryByRole('img', { name: 'Screenshot 1 to send' })).toBeNull();
  });

  it('names a new thread sent a screenshot alone from the text the server read in it', async () => {
    fake.api.scriptNextRun({ onSend: 'completed', polls: ['completed'], answer: { text: 'Add the **chat:write** scope.' } });
    renderWithProviders(<AssistantPage selectedId={null} onSelect={() => undefined} />);
    await screen.findByRole('heading', { name: 'Ask the docs' });
    const user = userEvent.setup();
    await user.upload(await screen.findByLabelText('Attach a screenshot', { selector: 'input' }), new File([PNG], 'error.png', { type: 'image/png' }));
    await screen.findByRole('img', { name: 'Screenshot 1 to send' });
    fake.api.storeNextQuestionAs('[screenshot] Error: missing_scope Your bot token lacks the chat:write scope');
    await user.click(screen.getByRole('button', { name: 'Send message' }));
    await waitFor(() => expect(fake.api.threads.map((thread) => thread.metadata.threadTitle)).toContain('Error: missing_scope Your bot'), { timeout: 5000 });
  });
});
