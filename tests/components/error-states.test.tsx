// @vitest-environment jsdom
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { describe, expect, it } from 'vitest';
import { AssistantPage } from '@/components/assistant/AssistantPage';
import { buildMessage } from '../helpers/builders';
import { renderWithProviders } from '../helpers/dom';
import { setupFakeApi } from '../helpers/msw-dom';

// Error states of the conversation against the fake API (which answers as next start does: see
// tests/e2e/fake-api-parity.test.ts): a thread that cannot be read, a thread deleted behind the page, and a
// message sent twice in the same moment. tests/e2e/error-states.test.ts plays the same in Chromium.

const fake = setupFakeApi();

function Page({ initial = null }: { initial?: string | null }) {
  const [selected, setSelected] = useState<string | null>(initial);
  return (
    <>
      <output aria-label="test: selected thread">{selected ?? 'none'}</output>
      <AssistantPage selectedId={selected} onSelect={setSelected} />
    </>
  );
}

const NOT_AVAILABLE = 'This conversation is not available';
const composer = () => screen.getByLabelText<HTMLTextAreaElement>('Ask a question about the docs');
const log = () => screen.getByRole('log', { name: 'Conversation with the assistant' });
const findLog = () => screen.findByRole('log', { name: 'Conversation with the assistant' }, { timeout: 5000 });
const selected = () => screen.getByLabelText('test: selected thread').textContent;
const threadOptions = () => within(screen.getByRole('navigation', { name: 'Threads' })).queryAllByRole('option');

describe('a thread that cannot be read', () => {
  it('a malformed thread id (400) is shown as not available, without the validation message', async () => {
    renderWithProviders(<Page initial="not-a-thread" />);
    expect(await screen.findByText(NOT_AVAILABLE)).toBeTruthy();
    await waitFor(() => expect(selected()).toBe('none'));
    expect(screen.queryByText(/must be a thread id/)).toBeNull();
    expect(composer().disabled).toBe(false);
  });

  it('the notice goes once the reader opens another thread', async () => {
    const other = fake.api.addThread({ title: 'Still here' });
    renderWithProviders(<Page initial="thread_gone000" />);
    expect(await screen.findByText(NOT_AVAILABLE)).toBeTruthy();
    await userEvent.setup().click(await screen.findByRole('option', { name: /Still here/ }));
    await waitFor(() => expect(selected()).toBe(other.id));
    await waitFor(() => expect(screen.queryByText(NOT_AVAILABLE)).toBeNull());
  });
});

describe('a thread deleted behind the page', () => {
  it('sending to it says so, keeps the text, drops it from the list, and Enter again starts a new thread', async () => {
    const thread = fake.api.addThread({
      title: 'Slack',
      items: [buildMessage({ role: 'user', text: 'How do I configure Slack?' }), buildMessage({ text: 'Set the token.' })],
    });
    renderWithProviders(<Page initial={thread.id} />);
    expect(await within(await findLog()).findByText('Set the token.')).toBeTruthy();
    expect(threadOptions()).toHaveLength(1);

    // Another tab deletes it, through the same API.
    const deleted = await fetch(new URL(`/api/paste-assistant-thread/${thread.id}`, window.location.href), { method: 'DELETE' });
    expect(deleted.status).toBe(200);

    const user = userEvent.setup();
    await user.click(composer());
    await user.keyboard('And Postgres?{Enter}');
    expect(await screen.findByText(NOT_AVAILABLE)).toBeTruthy();
    await waitFor(() => expect(composer().value).toBe('And Postgres?'));
    await waitFor(() => expect(threadOptions()).toHaveLength(0));
    expect(screen.queryByText('Set the token.')).toBeNull();
    expect(screen.queryByText(/No thread found/)).toBeNull();

    await user.click(composer());
    await user.keyboard('{Enter}');
    await waitFor(() => expect(selected()).toMatch(/^thread_/));
    expect(selected()).not.toBe(thread.id);
    expect(await within(await findLog()).findByText('And Postgres?')).toBeTruthy();
    expect(screen.queryByText(NOT_AVAILABLE)).toBeNull();
  });
});

describe('a message sent twice in the same moment', () => {
  it('two Enter presses before the page re-renders send one message in one new thread', async () => {
    renderWithProviders(<Page />);
    await screen.findByRole('heading', { name: 'Ask the docs' });
    const user = userEvent.setup();
    await user.click(composer());
    await user.keyboard('How do I run the tests?');
    // Both keydowns are dispatched before any re-render or editor update can happen in between.
    const root = composer();
    const enter = () => new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true });
    fireEvent(root, enter());
    root.dispatchEvent(enter());
    expect(await within(await findLog()).findByText('The answer.', {}, { timeout: 5000 })).toBeTruthy();
    expect(fake.api.count('POST', /^\/api\/paste-assistant-thread$/)).toBe(1);
    expect(fake.api.count('POST', /^\/api\/paste-assistant-message$/)).toBe(1);
    expect(within(log()).getAllByText('How do I run the tests?')).toHaveLength(1);
  });

  it('a suggested question clicked twice fast is asked once', async () => {
    renderWithProviders(<Page />);
    const suggestion = await screen.findByRole('button', { name: 'How do I configure Slack?' });
    suggestion.click();
    suggestion.click();
    expect(await within(await findLog()).findByText('The answer.', {}, { timeout: 5000 })).toBeTruthy();
    expect(fake.api.count('POST', /^\/api\/paste-assistant-thread$/)).toBe(1);
    expect(fake.api.count('POST', /^\/api\/paste-assistant-message$/)).toBe(1);
  });
});
