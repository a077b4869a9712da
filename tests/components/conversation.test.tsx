// @vitest-environment jsdom
import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { describe, expect, it } from 'vitest';
import type { TRunStatus } from '@/components/assistant/api';
import { AssistantPage } from '@/components/assistant/AssistantPage';
import { RUN_POLL_INTERVAL_MS } from '@/components/assistant/run-follower';
import { buildMessage, buildRun } from '../helpers/builders';
import { renderWithProviders } from '../helpers/dom';
import { setupFakeApi } from '../helpers/msw-dom';

// Sending, following runs by polling until every terminal status, stopping, resuming after a reload, and
// switching threads mid-run, against the routes served by msw.

const fake = setupFakeApi();

function Page({ initial = null }: { initial?: string | null }) {
  const [selected, setSelected] = useState<string | null>(initial);
  return (
    <>
      <button type="button" onClick={() => setSelected(null)}>
        test: deselect
      </button>
      <AssistantPage selectedId={selected} onSelect={setSelected} />
    </>
  );
}

const composer = () => screen.getByLabelText<HTMLTextAreaElement>('Ask a question about the docs');
const isComposerDisabled = () => composer().disabled;
const log = () => screen.getByRole('log', { name: 'Conversation with the assistant' });
const pollsOf = (runId: string) => fake.api.count('GET', new RegExp(`/run/${runId}$`));
const sleep = (ms: number) => act(() => new Promise((resolve) => setTimeout(resolve, ms)));

async function ask(text: string) {
  const user = userEvent.setup();
  await user.click(composer());
  await user.keyboard(`${text}{Enter}`);
  return user;
}

describe('sending and following a run', () => {
  it('shows the message at once, polls the pending run every second, then shows the answer and stops polling', async () => {
    const thread = fake.api.addThread({ title: 'Slack' });
    fake.api.scriptNextRun({ onSend: 'in_progress', polls: ['in_progress', 'completed'], answer: { text: 'Set **SLACK_BOT_TOKEN**.' } });
    const release = fake.api.holdSends();
    renderWithProviders(<Page initial={thread.id} />);
    await screen.findByRole('heading', { name: 'Ask the docs' });
    await ask('How do I configure Slack?');

    // Optimistic: in the log before the server answers, with the composer waiting.
    expect(await within(log()).findByText('How do I configure Slack?')).toBeTruthy();
    expect(isComposerDisabled()).toBe(true);
    expect(screen.getByRole('button', { name: /Stop/ })).toBeTruthy();
    release();

    const answer = await within(log()).findByText('SLACK_BOT_TOKEN', {}, { timeout: 5000 });
    expect(answer.tagName).toBe('STRONG');
    const runId = fake.api.runs.get(thread.id)![0]!.id;
    expect(pollsOf(runId)).toBe(2);
    // The user's message is shown once: the server's copy replaced the optimistic one.
    expect(within(log()).getAllByText('How do I configure Slack?')).toHaveLength(1);
    await waitFor(() => expect(isComposerDisabled()).toBe(false));
    expect(screen.queryByRole('button', { name: /Stop/ })).toBeNull();
    await sleep(RUN_POLL_INTERVAL_MS * 2);
    expect(pollsOf(runId)).toBe(2);
  });

  it('needs no polling when the message route returns the completed run', async () => {
    const thread = fake.api.addThread({ title: 'Slack' });
    fake.api.scriptNextRun({ onSend: 'completed', polls: ['completed'], answer: { text: 'Done at once.' } });
    renderWithProviders(<Page initial={thread.id} />);
    await screen.findByRole('heading', { name: 'Ask the docs' });
    await ask('Quick one?');
    expect(await within(log()).findByText('Done at once.')).toBeTruthy();
    await sleep(RUN_POLL_INTERVAL_MS * 1.5);
    expect(fake.api.count('GET', /\/run\/run_/)).toBe(0);
  });

  const failures: [TRunStatus, RegExp][] = [
    ['failed', /The model is unavailable\./],
    ['expired', /The model is unavailable\./],
    ['incomplete', /needed too many searches/],
    ['cancelled', /You stopped this answer\./],
  ];
  for (const [status, message] of failures) {
    it(`ends polling on ${status}, shows why in the conversation, and retries the same question`, async () => {
      const thread = fake.api.addThread({ title: 'Slack' });
      fake.api.scriptNextRun({ onSend: 'in_progress', polls: [status] });
      renderWithProviders(<Page initial={thread.id} />);
      await screen.findByRole('heading', { name: 'Ask the docs' });
      const user = await ask('Will this work?');
      expect(await within(log()).findByText(message, {}, { timeout: 5000 })).toBeTruthy();
      const runId = fake.api.runs.get(thread.id)![0]!.id;
      const polls = pollsOf(runId);
      expect(polls).toBe(1);
      await waitFor(() => expect(isComposerDisabled()).toBe(false));
      await sleep(RUN_POLL_INTERVAL_MS * 1.5);
      expect(pollsOf(runId)).toBe(polls);

      fake.api.scriptNextRun({ onSend: 'completed', polls: ['completed'], answer: { text: 'It worked this time.' } });
      await user.click(within(log()).getByRole('button', { name: 'Retry' }));
      expect(await within(log()).findByText('It worked this time.')).toBeTruthy();
      // The question is sent once; Retry asks for a new run of it, and it shows once.
      const sends = fake.api.requests.filter((entry) => entry.path === '/api/paste-assistant-message').map((entry) => entry.body);
      expect(sends).toEqual([{ threadId: thread.id, message: 'Will this work?' }]);
      const question = fake.api.messages.get(thread.id)!.find((entry) => entry.role === 'user')!;
      const reruns = fake.api.requests.filter((entry) => entry.method === 'POST' && entry.path === `/api/paste-assistant-thread/${thread.id}/runs`);
      expect(reruns.map((entry) => entry.body)).toEqual([{ messageId: question.id }]);
      expect(within(log()).getAllByText('Will this work?')).toHaveLength(1);
      expect(within(log()).queryByText(message)).toBeNull();
    });
  }

  it('Research this asks for a research run of the stored question: not sent again, shown once, the quick answer kept', async () => {
    const thread = fake.api.addThread({ title: 'Combobox' });
    fake.api.scriptNextRun({ onSend: 'completed', polls: ['completed'], answer: { text: 'I could not find this in the docs.', metadata: { no_docs_match: true } } });
    renderWithProviders(<Page initial={thread.id} />);
    await screen.findByRole('heading', { name: 'Ask the docs' });
    const user = await ask('Why does my combobox lose focus?');
    expect(await within(log()).findByText('I could not find this in the docs.', {}, { timeout: 5000 })).toBeTruthy();

    fake.api.scriptNextRun({ onSend: 'completed', polls: ['completed'], answer: { text: 'Researched: it is the modal.', metadata: { research: true } } });
    await user.click(await screen.findByRole('button', { name: 'Research this (about 30 s)' }, { timeout: 10_000 }));
    expect(await within(log()).findByText('Researched: it is the modal.', {}, { timeout: 5000 })).toBeTruthy();
    const sends = fake.api.requests.filter((entry) => entry.path === '/api/paste-assistant-message').map((entry) => entry.body);
    expect(sends).toEqual([{ threadId: thread.id, message: 'Why does my combobox lose focus?' }]);
    const question = fake.api.messages.get(thread.id)!.find((entry) => entry.role === 'user')!;
    const reruns = fake.api.requests.filter((entry) => entry.method === 'POST' && entry.path === `/api/paste-assistant-thread/${thread.id}/runs`);
    expect(reruns.map((entry) => entry.body)).toEqual([{ messageId: question.id, mode: 'research' }]);
    expect(fake.api.messages.get(thread.id)!.map((entry) => entry.role)).toEqual(['user', 'assistant', 'assistant']);
    // In the log: the question once, then the quick answer, then the research answer; and no second offer.
    expect(within(log()).getAllByText('Why does my combobox lose focus?')).toHaveLength(1);
    const quick = within(log()).getByText('I could not find this in the docs.');
    const researched = within(log()).getByText('Researched: it is the modal.');
    expect(quick.compareDocumentPosition(researched) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Research this (about 30 s)' })).toBeNull();
  });

  it('Stop cancels the active run', async () => {
    const thread = fake.api.addThread({ title: 'Slack' });
    fake.api.scriptNextRun({ onSend: 'in_progress', polls: ['in_progress'] });
    renderWithProviders(<Page initial={thread.id} />);
    await screen.findByRole('heading', { name: 'Ask the docs' });
    const user = await ask('A long question');
    const stop = await screen.findByRole('button', { name: /Stop/ });
    await waitFor(() => expect(fake.api.runs.get(thread.id)![0]!.status).toBe('in_progress'));
    await user.click(stop);
    expect(await within(log()).findByText('You stopped this answer.')).toBeTruthy();
    const runId = fake.api.runs.get(thread.id)![0]!.id;
    expect(fake.api.requests.filter((entry) => entry.method === 'POST' && entry.path.endsWith('/cancel')).map((entry) => entry.path)).toEqual([
      `/api/paste-assistant-thread/${thread.id}/run/${runId}/cancel`,
    ]);
    await waitFor(() => expect(isComposerDisabled()).toBe(false));
  });

  it('Stop works while the message is still being sent (the run is found through …/runs)', async () => {
    const thread = fake.api.addThread({ title: 'Slack' });
    fake.api.scriptNextRun({ onSend: 'in_progress', polls: ['in_progress'] });
    const release = fake.api.holdSends();
    renderWithProviders(<Page initial={thread.id} />);
    await screen.findByRole('heading', { name: 'Ask the docs' });
    const user = await ask('Stop me early');
    await user.click(await screen.findByRole('button', { name: /Stop/ }));
    await waitFor(() => expect(fake.api.count('POST', /\/cancel$/)).toBe(1));
    release();
    expect(await within(log()).findByText('You stopped this answer.')).toBeTruthy();
  });

  it('resumes a pending run after a reload: finds it through …/runs and polls it to the answer', async () => {
    const pending = buildRun({ status: 'in_progress' });
    const thread = fake.api.addThread({
      title: 'Slack',
      items: [buildMessage({ role: 'user', text: 'Asked before the reload', run_id: pending.id })],
      run: pending,
    });
    fake.api.scriptRun(pending.id, { onSend: 'in_progress', polls: ['in_progress', 'completed'], answer: { text: 'Arrived after the reload.' } });
    renderWithProviders(<Page initial={thread.id} />);
    expect(await within(await screen.findByRole('log')).findByText('Asked before the reload')).toBeTruthy();
    expect(await screen.findByRole('button', { name: /Stop/ })).toBeTruthy();
    expect(isComposerDisabled()).toBe(true);
    expect(await within(log()).findByText('Arrived after the reload.', {}, { timeout: 5000 })).toBeTruthy();
    expect(fake.api.count('GET', /\/runs$/)).toBeGreaterThanOrEqual(1);
    expect(pollsOf(pending.id)).toBe(2);
    await waitFor(() => expect(isComposerDisabled()).toBe(false));
  });

  it('switching threads mid-run neither locks the other thread nor mixes their messages', async () => {
    const busy = fake.api.addThread({ title: 'Busy thread' });
    fake.api.addThread({ title: 'Other thread', items: [buildMessage({ role: 'user', text: 'Earlier question' }), buildMessage({ text: 'Earlier answer' })] });
    fake.api.scriptNextRun({ onSend: 'in_progress', polls: ['in_progress'] });
    const release = fake.api.holdSends();
    renderWithProviders(<Page initial={busy.id} />);
    await screen.findByRole('heading', { name: 'Ask the docs' });
    const user = await ask('Slow question');
    expect(isComposerDisabled()).toBe(true);

    await user.click(screen.getByRole('option', { name: /Other thread/ }));
    expect(await within(log()).findByText('Earlier answer')).toBeTruthy();
    expect(within(log()).queryByText('Slow question')).toBeNull();
    expect(screen.queryByRole('button', { name: /Stop/ })).toBeNull();
    await waitFor(() => expect(isComposerDisabled()).toBe(false));

    // The other thread can be used meanwhile.
    fake.api.scriptNextRun({ onSend: 'completed', polls: ['completed'], answer: { text: 'Answer in the other thread.' } });
    release();
    await ask('Follow-up in the other thread');
    expect(await within(log()).findByText('Answer in the other thread.')).toBeTruthy();
    expect(within(log()).queryByText('Slow question')).toBeNull();

    // Back in the busy thread, its run is still followed.
    await user.click(screen.getByRole('option', { name: /Busy thread/ }));
    expect(await within(log()).findByText('Slow question')).toBeTruthy();
    expect(await screen.findByRole('button', { name: /Stop/ })).toBeTruthy();
    expect(within(log()).queryByText('Answer in the other thread.')).toBeNull();
  });
});

describe('errors', () => {
  it('a message refused because a run started elsewhere is active (409) says so, keeps the text, and follows that run', async () => {
    const thread = fake.api.addThread({ title: 'Slack' });
    renderWithProviders(<Page initial={thread.id} />);
    await screen.findByRole('heading', { name: 'Ask the docs' });
    // Another tab sends on this thread: the server now has an active run this page has not heard of.
    const elsewhere = buildRun({ thread_id: thread.id, status: 'in_progress' });
    fake.api.runs.get(thread.id)!.push(elsewhere);
    fake.api.messages.get(thread.id)!.push(buildMessage({ role: 'user', text: 'Asked in the other tab', run_id: elsewhere.id, thread_id: thread.id }));
    fake.api.scriptRun(elsewhere.id, { onSend: 'in_progress', polls: ['completed'], answer: { text: 'Answer to the other tab.' } });
    await ask('Rejected question');
    expect(await screen.findByText(/still answering in this conversation \(perhaps in another tab\)/)).toBeTruthy();
    await waitFor(() => expect(composer().value).toBe('Rejected question'));
    // It follows the other tab's run to its answer; the refused message is in neither the log nor the thread.
    expect(await within(log()).findByText('Asked in the other tab')).toBeTruthy();
    expect(await within(log()).findByText('Answer to the other tab.', {}, { timeout: 5000 })).toBeTruthy();
    expect(within(log()).queryByText('Rejected question')).toBeNull();
    expect(fake.api.messages.get(thread.id)!.filter((message) => message.role === 'user')).toHaveLength(1);
    await waitFor(() => expect(isComposerDisabled()).toBe(false));
  });

  it('a thread deleted elsewhere clears the selection and says so in the page, not in a toast', async () => {
    renderWithProviders(<Page initial="thread_gone000" />);
    expect(await screen.findByText('This conversation is not available')).toBeTruthy();
    expect(await screen.findByRole('heading', { name: 'Ask the docs' })).toBeTruthy();
    expect(screen.queryByText(/No thread found/)).toBeNull();
  });
});
