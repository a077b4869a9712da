// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ConversationLog } from '@/components/assistant/Conversation';
import type { TConversation } from '@/components/assistant/use-conversation';
import type { TVotes } from '@/components/assistant/use-votes';
import { buildMessage } from '../helpers/builders';
import { renderWithProviders } from '../helpers/dom';

// The panel scrolls to the start of a new answer (a long answer is read from its start), not along with every
// word it grows by; the reader's own question scrolls the log to its end.
type TScroll = { element: Element; options: ScrollIntoViewOptions | boolean | undefined };
let scrolls: TScroll[] = [];

beforeEach(() => {
  scrolls = [];
  Element.prototype.scrollIntoView = vi.fn(function (this: Element, options?: ScrollIntoViewOptions | boolean) {
    scrolls.push({ element: this, options });
  });
});
afterEach(() => {
  delete (Element.prototype as { scrollIntoView?: unknown }).scrollIntoView;
});

const votes = { votes: new Map(), vote: vi.fn() } as unknown as TVotes;
function conversation(overrides: Partial<TConversation>): TConversation {
  return {
    threadId: 'thread_1', messages: [], isLoading: false, pendingText: null, run: null, draft: null, isBusy: false, failure: null,
    missingThreadId: null, dismissMissing: vi.fn(), send: vi.fn(), stop: vi.fn(), retry: vi.fn(), research: vi.fn(), ...overrides,
  };
}

describe('conversation scrolling', () => {
  it('scrolls to the start of a new answer once, not at each word of it', () => {
    const question = buildMessage({ role: 'user', text: 'How do I show a toast?' });
    const ends = () => scrolls.filter((scroll) => (scroll.options as ScrollIntoViewOptions)?.block === 'end');
    const starts = () => scrolls.filter((scroll) => (scroll.options as ScrollIntoViewOptions)?.block === 'start');
    // Sending: the question comes into view at the end, and the answer's placeholder at its start.
    const view = renderWithProviders(<ConversationLog conversation={conversation({ pendingText: 'How do I show a toast?', isBusy: true })} votes={votes} />);
    expect(ends()).toHaveLength(1);
    expect(starts()).toHaveLength(1);
    view.rerender(<ConversationLog conversation={conversation({ messages: [question], isBusy: true })} votes={votes} />);

    view.rerender(<ConversationLog conversation={conversation({ messages: [question], isBusy: true, draft: { runId: 'run_1', text: 'These' } })} votes={votes} />);
    const afterDraft = starts().length;
    for (const text of ['These sections', 'These sections of the docs', 'These sections of the docs match your question.']) {
      view.rerender(<ConversationLog conversation={conversation({ messages: [question], isBusy: true, draft: { runId: 'run_1', text } })} votes={votes} />);
    }
    expect(starts()).toHaveLength(afterDraft);
    expect(ends()).toHaveLength(1);

    const answer = buildMessage({ role: 'assistant', text: 'These sections of the docs match your question.', run_id: 'run_1' });
    view.rerender(<ConversationLog conversation={conversation({ messages: [question, answer] })} votes={votes} />);
    // The stored answer replaces the draft where it is: no scroll to its end, no second scroll to its start.
    expect(starts()).toHaveLength(afterDraft);
    expect(ends()).toHaveLength(1);
    expect(starts()[starts().length - 1]!.element.hasAttribute('data-answer-start')).toBe(true);
    const target = view.container.querySelector('[data-answer-start]')!;
    const answerText = view.getByText('These sections of the docs match your question.');
    // The sentinel sits right before the answer: nothing of the conversation lies between them.
    expect(target.compareDocumentPosition(answerText) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    expect(target.compareDocumentPosition(view.getByText('How do I show a toast?')) & Node.DOCUMENT_POSITION_PRECEDING).toBeTruthy();
  });
});
