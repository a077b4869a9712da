// @vitest-environment jsdom
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { describe, expect, it } from 'vitest';
import { AssistantPage } from '@/components/assistant/AssistantPage';
import { buildMessage } from '../helpers/builders';
import { renderWithProviders } from '../helpers/dom';
import { setupFakeApi } from '../helpers/msw-dom';

// The thread list of /assistant against the routes (msw): listing, selecting, creating, renaming, deleting.

const fake = setupFakeApi();

function Page({ initial = null }: { initial?: string | null }) {
  const [selected, setSelected] = useState<string | null>(initial);
  return (
    <>
      <output aria-label="selected thread">{selected ?? 'none'}</output>
      <AssistantPage selectedId={selected} onSelect={setSelected} />
    </>
  );
}

const options = () => within(screen.getByRole('listbox', { name: 'Threads' })).getAllByRole('option');
const selectedThread = () => screen.getByRole('status', { name: 'selected thread' }).textContent;

describe('thread list', () => {
  it('lists the server\'s threads newest first, with title and relative time', async () => {
    const hour = 3600;
    fake.api.addThread({ title: 'Older question', createdAt: Math.floor(Date.now() / 1000) - 2 * hour });
    fake.api.addThread({ title: 'Newer question' });
    renderWithProviders(<Page />);
    await screen.findByRole('listbox', { name: 'Threads' });
    expect(options().map((option) => option.textContent)).toEqual(['Newer question, just now', 'Older question, 2 hours ago']);
  });

  it('selects a thread by click and by keyboard, and shows its messages', async () => {
    const first = fake.api.addThread({ title: 'Slack setup', items: [buildMessage({ role: 'user', text: 'How do I configure Slack?' })] });
    const second = fake.api.addThread({ title: 'Run the tests', items: [buildMessage({ role: 'user', text: 'How do I run the tests?' })] });
    renderWithProviders(<Page />);
    const user = userEvent.setup();
    await user.click(await screen.findByRole('option', { name: /Slack setup/ }));
    expect(selectedThread()).toBe(first.id);
    expect(await screen.findByText('How do I configure Slack?')).toBeTruthy();
    expect(screen.getByRole('option', { name: /Slack setup/ }).getAttribute('aria-selected')).toBe('true');

    // Arrow keys move between options; Enter selects.
    screen.getByRole('option', { name: /Slack setup/ }).focus();
    await user.keyboard('{ArrowUp}');
    expect(document.activeElement).toBe(screen.getByRole('option', { name: /Run the tests/ }));
    await user.keyboard('{Enter}');
    expect(selectedThread()).toBe(second.id);
    expect(await screen.findByText('How do I run the tests?')).toBeTruthy();
    expect(screen.queryByText('How do I configure Slack?')).toBeNull();
  });

  it('"New thread" clears the selection and shows the empty state', async () => {
    const thread = fake.api.addThread({ title: 'Slack setup', items: [buildMessage({ role: 'user', text: 'Q' })] });
    renderWithProviders(<Page initial={thread.id} />);
    const user = userEvent.setup();
    await screen.findByText('Q');
    await user.click(screen.getByRole('button', { name: 'New thread' }));
    expect(selectedThread()).toBe('none');
    expect(await screen.findByRole('heading', { name: 'Ask the docs' })).toBeTruthy();
    expect(screen.getAllByRole('button', { name: /\?$/ })).toHaveLength(3);
    expect(screen.getByText(/shared with the maintainers in Slack/)).toBeTruthy();
  });

  it('sending with no thread selected creates one, and its generated title appears in the list', async () => {
    renderWithProviders(<Page />);
    const user = userEvent.setup();
    await screen.findByText(/No threads yet/);
    await user.click(screen.getByRole('textbox', { name: 'Ask a question about the docs' }));
    await user.keyboard('Where are threads stored exactly?{Enter}');
    const created = fake.api.threads[0]!;
    await waitFor(() => expect(selectedThread()).toBe(created.id));
    expect(fake.api.requests.find((entry) => entry.path === '/api/paste-assistant-message')?.body).toEqual({
      threadId: created.id,
      message: 'Where are threads stored exactly?',
    });
    expect(await screen.findByRole('option', { name: /Where are threads stored/ })).toBeTruthy();
    const titleRequest = fake.api.requests.find((entry) => entry.path === '/api/paste-assistant-simple-completion');
    expect(titleRequest?.body).toMatchObject({ context: 'Where are threads stored exactly?' });
    expect(fake.api.requests.find((entry) => entry.method === 'PUT')?.body).toEqual({ metadata: { threadTitle: 'Where are threads stored' } });
  });

  it('names the thread from the question, without an error, when the title request is refused near the hourly limit', async () => {
    fake.api.failNext('title', 429, 'rate_limited', 'You have reached the limit of 20 messages an hour.');
    renderWithProviders(<Page />);
    const user = userEvent.setup();
    await screen.findByText(/No threads yet/);
    await user.click(screen.getByRole('textbox', { name: 'Ask a question about the docs' }));
    await user.keyboard('Where are "threads" stored, and for how long?{Enter}');
    await waitFor(() => expect(fake.api.count('PUT', /thread/)).toBe(1));
    expect(fake.api.requests.find((entry) => entry.method === 'PUT')?.body).toEqual({ metadata: { threadTitle: 'Where are threads stored, and for how long' } });
    expect(await screen.findByRole('option', { name: /Where are threads stored, and for how long/ })).toBeTruthy();
    expect(screen.queryByText(/limit of 20 messages an hour/)).toBeNull();
  });

  it('does not name a thread after a message the server refused', async () => {
    fake.api.failNext('send', 413, 'payload_too_large', 'Messages can be at most 8000 characters; this one has 9000.');
    renderWithProviders(<Page />);
    const user = userEvent.setup();
    await screen.findByText(/No threads yet/);
    await user.click(screen.getByRole('textbox', { name: 'Ask a question about the docs' }));
    await user.keyboard('Too long to be accepted{Enter}');
    expect(await screen.findByText('Messages can be at most 8000 characters; this one has 9000.')).toBeTruthy();
    await waitFor(() => expect(fake.api.count('POST', /simple-completion/)).toBe(1));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(fake.api.count('PUT', /thread/)).toBe(0);
    expect(screen.getByRole('option', { name: /New thread/ })).toBeTruthy();
  });

  it('does not retitle a thread that already has messages', async () => {
    const thread = fake.api.addThread({ title: 'Slack setup', items: [buildMessage({ role: 'user', text: 'First' }), buildMessage({ text: 'Answer' })] });
    renderWithProviders(<Page initial={thread.id} />);
    const user = userEvent.setup();
    await screen.findByText('Answer');
    await user.click(screen.getByRole('textbox', { name: 'Ask a question about the docs' }));
    await user.keyboard('A follow-up question{Enter}');
    await screen.findByText('A follow-up question');
    await waitFor(() => expect(fake.api.count('POST', /paste-assistant-message$/)).toBe(1));
    expect(fake.api.count('POST', /simple-completion/)).toBe(0);
  });

  it('renames inline: Enter saves to metadata.threadTitle, Escape cancels', async () => {
    const thread = fake.api.addThread({ title: 'Slack setup' });
    renderWithProviders(<Page initial={thread.id} />);
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Rename thread: Slack setup' }));
    const field = screen.getByRole('textbox', { name: 'Thread title' }) as HTMLInputElement;
    expect(field.value).toBe('Slack setup');
    expect(document.activeElement).toBe(field);
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('textbox', { name: 'Thread title' })).toBeNull();
    expect(fake.api.count('PUT', /thread/)).toBe(0);

    await user.click(screen.getByRole('button', { name: 'Rename thread: Slack setup' }));
    await user.clear(screen.getByRole('textbox', { name: 'Thread title' }));
    await user.keyboard('Slack bot token{Enter}');
    await waitFor(() => expect(screen.getByRole('option', { name: /Slack bot token/ })).toBeTruthy());
    expect(fake.api.requests.find((entry) => entry.method === 'PUT')).toEqual({
      method: 'PUT',
      path: `/api/paste-assistant-thread/${thread.id}`,
      body: { metadata: { threadTitle: 'Slack bot token' } },
    });
    expect(screen.getByRole('heading', { name: 'Slack bot token' })).toBeTruthy();
    // Focus goes back to the button once the list has re-rendered with the new title (after the save resolves).
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Rename thread: Slack bot token' })));
  });

  it('keeps the field open and shows the server\'s message when renaming fails', async () => {
    const thread = fake.api.addThread({ title: 'Slack setup' });
    fake.api.failNext('rename', 400, 'bad_request', 'metadata values can be at most 512 characters');
    renderWithProviders(<Page initial={thread.id} />);
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Rename thread: Slack setup' }));
    await user.keyboard('{Enter}');
    // Unchanged title: nothing to save.
    expect(fake.api.count('PUT', /thread/)).toBe(0);
    await user.click(screen.getByRole('button', { name: 'Rename thread: Slack setup' }));
    await user.keyboard('!{Enter}');
    expect(await screen.findByText('metadata values can be at most 512 characters')).toBeTruthy();
    expect(screen.getByRole('textbox', { name: 'Thread title' })).toBeTruthy();
  });

  it('deletes only after confirmation, reachable by keyboard', async () => {
    const keep = fake.api.addThread({ title: 'Keep me' });
    const doomed = fake.api.addThread({ title: 'Delete me' });
    renderWithProviders(<Page initial={doomed.id} />);
    const user = userEvent.setup();
    const deleteButton = await screen.findByRole('button', { name: 'Delete thread: Delete me' });
    deleteButton.focus();
    await user.keyboard('{Enter}');
    const dialog = await screen.findByRole('alertdialog', { name: 'Delete this thread?' });
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(screen.queryByRole('alertdialog')).toBeNull());
    expect(fake.api.count('DELETE', /thread/)).toBe(0);

    screen.getByRole('button', { name: 'Delete thread: Delete me' }).focus();
    await user.keyboard('{Enter}');
    const confirm = within(await screen.findByRole('alertdialog')).getByRole('button', { name: 'Delete thread' });
    confirm.focus();
    await user.keyboard('{Enter}');
    await waitFor(() => expect(options().map((option) => option.textContent)).toEqual([expect.stringContaining('Keep me')]));
    expect(fake.api.requests.filter((entry) => entry.method === 'DELETE').map((entry) => entry.path)).toEqual([`/api/paste-assistant-thread/${doomed.id}`]);
    expect(selectedThread()).toBe('none');
    expect(fake.api.threads.map((thread) => thread.id)).toEqual([keep.id]);
  });

  it('shows a toast with the server\'s message when the list cannot be loaded', async () => {
    fake.api.failNext('threads', 500, 'internal', 'Something went wrong on our side. Please try again.');
    renderWithProviders(<Page />);
    expect(await screen.findByText('Something went wrong on our side. Please try again.')).toBeTruthy();
  });
});
