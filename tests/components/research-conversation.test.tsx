// @vitest-environment jsdom
import { describe, expect, it, vi } from 'vitest';
import { fireEvent, screen } from '@testing-library/react';
import { ConversationLog } from '@/components/assistant/Conversation';
import type { TConversation } from '@/components/assistant/use-conversation';
import type { TVotes } from '@/components/assistant/use-votes';
import { buildMessage } from '../helpers/builders';
import { renderWithProviders } from '../helpers/dom';

// Research in the conversation (issue 71): an active research run's steps are listed (what it searched and how many
// results, what it read); a quick answer that found nothing it trusts offers "Research this (about 30 s)", whose tap
// asks for a research run of the stored question (conversation.research, a re-run: not sent again as a new message;
// conversation.test.tsx follows it through the routes); a covered answer, or a research answer, offers nothing.

const votes = { votes: new Map(), vote: vi.fn() } as unknown as TVotes;
function conversation(overrides: Partial<TConversation>): TConversation {
  return {
    threadId: 'thread_1', messages: [], isLoading: false, pendingText: null, run: null, draft: null, isBusy: false, failure: null,
    missingThreadId: null, dismissMissing: vi.fn(), send: vi.fn(), stop: vi.fn(), retry: vi.fn(), research: vi.fn(), ...overrides,
  };
}

const question = buildMessage({ role: 'user', text: 'Why does my combobox lose focus inside a modal?' });

describe('research steps in the log', () => {
  it('lists an active research run\'s steps, pending ones as under way', async () => {
    const run = {
      id: 'run_1', thread_id: 'thread_1', status: 'in_progress' as const, last_error: null, incomplete_details: null,
      research_steps: [
        { kind: 'search' as const, query: 'combobox focus modal', results: 5 },
        { kind: 'search' as const, query: 'Combobox', results: 1 },
        { kind: 'read' as const, title: 'Combobox', sections: 12 },
        { kind: 'read' as const, title: 'Modal', sections: null },
      ],
    };
    renderWithProviders(<ConversationLog conversation={conversation({ messages: [question], run, isBusy: true })} votes={votes} />);
    const items = (await screen.findByTestId('research-steps', {}, { timeout: 10_000 })).querySelectorAll('li');
    expect([...items].map((item) => item.textContent)).toEqual([
      'Searched “combobox focus modal”: 5 results',
      'Searched “Combobox”: 1 result',
      'Read Combobox: 12 sections',
      'Reading Modal…',
    ]);
  });

  it('shows nothing of steps for a quick run', () => {
    const run = { id: 'run_1', thread_id: 'thread_1', status: 'in_progress' as const, last_error: null, incomplete_details: null };
    renderWithProviders(<ConversationLog conversation={conversation({ messages: [question], run, isBusy: true })} votes={votes} />);
    expect(screen.queryByTestId('research-steps')).toBeNull();
  });
});

describe('Research this', () => {
  it('is offered under a quick answer not covered, and researches the stored question, not sending it again', async () => {
    const send = vi.fn();
    const research = vi.fn();
    const answer = buildMessage({ text: 'I could not find this in the docs.', metadata: { offline: true, no_docs_match: true } });
    renderWithProviders(<ConversationLog conversation={conversation({ messages: [question, answer], send, research })} votes={votes} />);
    fireEvent.click(await screen.findByRole('button', { name: 'Research this (about 30 s)' }, { timeout: 10_000 }));
    expect(research).toHaveBeenCalledExactlyOnceWith(question.id);
    expect(send).not.toHaveBeenCalled();
  });

  it('is not offered under a covered answer, nor under a research answer', async () => {
    // The offer loads with the Share button (one lazy part under the answer): absent once that one is there.
    const covered = buildMessage({ text: 'Use the Modal.', metadata: { offline: true } });
    const view = renderWithProviders(<ConversationLog conversation={conversation({ messages: [question, covered] })} votes={votes} />);
    await screen.findByRole('button', { name: /share/i }, { timeout: 10_000 });
    expect(screen.queryByTestId('research-offer')).toBeNull();
    view.unmount();
    const researched = buildMessage({ text: 'Summary.', metadata: { offline: true, research: true, no_docs_match: true } });
    renderWithProviders(<ConversationLog conversation={conversation({ messages: [question, researched] })} votes={votes} />);
    await screen.findByRole('button', { name: /share/i }, { timeout: 10_000 });
    expect(screen.queryByTestId('research-offer')).toBeNull();
  });
});
