// @vitest-environment jsdom
import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AssistantPage } from '@/components/assistant/AssistantPage';
import { RUN_POLL_INTERVAL_MS, STREAM_FAILURES_BEFORE_POLLING } from '@/components/assistant/run-follower';
import { buildTextDelta, cursorFor } from '@/lib/shared/stream-protocol';
import { buildMessage, buildRun } from '../helpers/builders';
import { renderWithProviders } from '../helpers/dom';
import { FakeEventSource } from '../helpers/fake-event-source';
import { setupFakeApi } from '../helpers/msw-dom';

// Following a run through its event stream, as the browser does (EventSource, played here by the test), and
// falling back to polling when the stream fails. The other routes are served by msw.

const fake = setupFakeApi();

beforeEach(() => {
  FakeEventSource.reset();
  vi.stubGlobal('EventSource', FakeEventSource);
});
afterEach(() => {
  vi.unstubAllGlobals();
});

const composer = () => screen.getByLabelText<HTMLTextAreaElement>('Ask a question about the docs');
const isComposerDisabled = () => composer().disabled;
const log = () => screen.getByRole('log', { name: 'Conversation with the assistant' });
const pollsOf = (runId: string) => fake.api.count('GET', new RegExp(`/run/${runId}$`));
const draft = () => screen.queryByTestId('draft-answer');
const sleep = (ms: number) => act(() => new Promise((resolve) => setTimeout(resolve, ms)));

async function ask(text: string) {
  const user = userEvent.setup();
  await user.click(composer());
  await user.keyboard(`${text}{Enter}`);
  return user;
}

async function openedStream() {
  await waitFor(() => expect(FakeEventSource.latest()).toBeDefined());
  return FakeEventSource.latest()!;
}

const delta = (runId: string, offset: number, value: string) => buildTextDelta({ messageId: 'msg_streamed', runId, offset, value });

describe('following a run through its event stream', () => {
  it('shows the answer as it is written, without polling, then the finished answer', async () => {
    const thread = fake.api.addThread({ title: 'Slack' });
    fake.api.scriptNextRun({ onSend: 'queued', polls: ['in_progress'], answer: { text: 'Create a bot token, then invite the bot.' } });
    renderWithProviders(<AssistantPage selectedId={thread.id} onSelect={() => {}} />);
    await screen.findByRole('heading', { name: 'Ask the docs' });
    await ask('How do I configure Slack?');

    const stream = await openedStream();
    const run = fake.api.runs.get(thread.id)![0]!;
    // The message route was asked not to wait, and the stream starts from nothing.
    expect(fake.api.requests.find((entry) => entry.path === '/api/paste-assistant-message')?.body).toEqual({
      threadId: thread.id,
      message: 'How do I configure Slack?',
      wait: false,
    });
    expect(stream.url).toBe(`/api/paste-assistant-thread/${thread.id}/run/${run.id}/events?cursor=${encodeURIComponent(cursorFor('', 'queued'))}`);

    act(() => {
      stream.emit('thread.run.in_progress', { ...run, status: 'in_progress' });
      stream.emit('thread.message.delta', delta(run.id, 0, 'Create a bot '));
    });
    await waitFor(() => expect(draft()?.textContent).toBe('Create a bot'));
    act(() => stream.emit('thread.message.delta', delta(run.id, 13, 'token, then')));
    await waitFor(() => expect(draft()?.textContent).toBe('Create a bot token, then'));
    expect(draft()?.getAttribute('aria-busy')).toBe('true');
    expect(isComposerDisabled()).toBe(true);
    expect(screen.getByRole('button', { name: /Stop/ })).toBeTruthy();
    // A finished answer's actions are not offered while it is being written.
    expect(within(log()).queryByRole('button', { name: 'Copy' })).toBeNull();

    const settled = fake.api.settleRun(run.id, 'completed');
    const answer = fake.api.messages.get(thread.id)!.find((message) => message.role === 'assistant')!;
    act(() => {
      stream.emit('thread.message.delta', delta(run.id, 24, ' invite the bot.'));
      stream.emit('thread.message.completed', answer);
      stream.emit('thread.run.completed', settled);
      stream.emit('done', '[DONE]');
    });
    expect(await within(log()).findByText('Create a bot token, then invite the bot.')).toBeTruthy();
    await waitFor(() => expect(draft()).toBeNull());
    await waitFor(() => expect(isComposerDisabled()).toBe(false));
    expect(stream.isClosed).toBe(true);
    expect(within(log()).getByRole('button', { name: 'Copy' })).toBeTruthy();
    await sleep(RUN_POLL_INTERVAL_MS * 1.5);
    expect(pollsOf(run.id)).toBe(0);
  });

  it('falls back to polling every second when the server refuses the stream', async () => {
    const thread = fake.api.addThread({ title: 'Slack' });
    fake.api.scriptNextRun({ onSend: 'queued', polls: ['in_progress', 'completed'], answer: { text: 'Answer found by polling.' } });
    renderWithProviders(<AssistantPage selectedId={thread.id} onSelect={() => {}} />);
    await screen.findByRole('heading', { name: 'Ask the docs' });
    await ask('How do I configure Slack?');
    const stream = await openedStream();
    const run = fake.api.runs.get(thread.id)![0]!;
    act(() => stream.fail({ isClosed: true }));

    expect(await within(log()).findByText('Answer found by polling.', {}, { timeout: 5000 })).toBeTruthy();
    expect(pollsOf(run.id)).toBe(2);
    expect(FakeEventSource.instances).toHaveLength(1);
    await waitFor(() => expect(isComposerDisabled()).toBe(false));
  });

  it(`falls back to polling after ${STREAM_FAILURES_BEFORE_POLLING} dropped connections in a row, keeping the text it had`, async () => {
    const thread = fake.api.addThread({ title: 'Slack' });
    fake.api.scriptNextRun({ onSend: 'queued', polls: ['in_progress', 'completed'], answer: { text: 'The whole answer.' } });
    renderWithProviders(<AssistantPage selectedId={thread.id} onSelect={() => {}} />);
    await screen.findByRole('heading', { name: 'Ask the docs' });
    await ask('Flaky network?');
    const stream = await openedStream();
    const run = fake.api.runs.get(thread.id)![0]!;
    act(() => stream.emit('thread.message.delta', delta(run.id, 0, 'The whole')));
    await waitFor(() => expect(draft()?.textContent).toBe('The whole'));
    // EventSource reconnects by itself after a drop; a drop now and then does not end the stream.
    act(() => stream.fail());
    await sleep(RUN_POLL_INTERVAL_MS * 1.2);
    expect(pollsOf(run.id)).toBe(0);
    act(() => {
      for (let index = 1; index < STREAM_FAILURES_BEFORE_POLLING; index += 1) stream.fail();
    });
    expect(stream.isClosed).toBe(true);
    expect(await within(log()).findByText('The whole answer.', {}, { timeout: 5000 })).toBeTruthy();
    expect(pollsOf(run.id)).toBeGreaterThanOrEqual(1);
  });

  it('after a reload, shows the saved part of the answer and resumes the stream from it', async () => {
    const pending = buildRun({ status: 'in_progress' });
    const thread = fake.api.addThread({
      title: 'Slack',
      items: [
        buildMessage({ role: 'user', text: 'Asked before the reload', run_id: pending.id }),
        buildMessage({ role: 'assistant', text: 'Half an ans', run_id: pending.id, status: 'in_progress' }),
      ],
      run: pending,
    });
    fake.api.scriptRun(pending.id, { onSend: 'in_progress', polls: ['in_progress'], answer: { text: 'Half an answer.' } });
    renderWithProviders(<AssistantPage selectedId={thread.id} onSelect={() => {}} />);
    await waitFor(() => expect(draft()?.textContent).toBe('Half an ans'));
    expect(within(log()).queryByRole('button', { name: 'Copy' })).toBeNull();
    const stream = await openedStream();
    expect(stream.url).toContain(`?cursor=${encodeURIComponent(cursorFor('Half an ans', 'in_progress'))}`);
    act(() => stream.emit('thread.message.delta', delta(pending.id, 11, 'wer.')));
    await waitFor(() => expect(draft()?.textContent).toBe('Half an answer.'));
  });

  it('without EventSource, sends as before (the route waits) and polls', async () => {
    vi.stubGlobal('EventSource', undefined);
    const thread = fake.api.addThread({ title: 'Slack' });
    fake.api.scriptNextRun({ onSend: 'in_progress', polls: ['completed'], answer: { text: 'Polled.' } });
    renderWithProviders(<AssistantPage selectedId={thread.id} onSelect={() => {}} />);
    await screen.findByRole('heading', { name: 'Ask the docs' });
    await ask('Old browser?');
    expect(await within(log()).findByText('Polled.', {}, { timeout: 5000 })).toBeTruthy();
    expect(fake.api.requests.find((entry) => entry.path === '/api/paste-assistant-message')?.body).toEqual({
      threadId: thread.id,
      message: 'Old browser?',
    });
    expect(FakeEventSource.instances).toHaveLength(0);
  });
});
