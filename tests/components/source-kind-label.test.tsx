// @vitest-environment jsdom
import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { AIChatLog } from '@twilio-paste/core/ai-chat-log';
import { AssistantMessage, sourcesOf } from '@/components/assistant/Messages';
import type { TTextAnnotation } from '@/lib/shared/api-objects';
import { buildMessage } from '../helpers/builders';
import { renderWithProviders } from '../helpers/dom';
import { offlineAnswerTo } from '../helpers/offline-answer';

// Sources, one model (issue 37): an answer's source list shows, beside each source that is not a page of these
// docs, its kind, and a thread's number and state, in words (an open thread says it is not fixed).

const cite = (url: string, title: string, source?: TTextAnnotation['source']): TTextAnnotation => ({
  type: 'url_citation',
  url,
  title,
  start_index: 0,
  end_index: 1,
  ...(source ? { source } : {}),
});

function renderSources(annotations: TTextAnnotation[]) {
  renderWithProviders(
    <AIChatLog>
      <AssistantMessage message={buildMessage({ text: 'A [b] [c] [d] [e]', annotations })} />
    </AIChatLog>,
  );
  return within(screen.getByRole('list', { name: 'Sources' })).getAllByRole('listitem');
}

describe('the source kind label', () => {
  it('labels a thread with its kind, number and state, a crawled page with its kind, and a docs page not at all', () => {
    const items = renderSources([
      cite('/docs/guides/buttons#destructive-button', 'Buttons › Destructive button', { kind: 'docs' }),
      cite('https://github.com/twilio-labs/paste/issues/1234', 'Destructive button loses its focus ring', { kind: 'thread', number: 1234, state: 'open' }),
      cite('https://github.com/twilio-labs/paste/pull/1251', 'Fix destructive button hover colour', { kind: 'thread', number: 1251, state: 'merged' }),
      cite('https://lanterns.example/#trimming', 'Lanterns › Trimming', { kind: 'page' }),
      cite('/docs/guides/slack', 'Slack'),
    ]);
    expect(items).toHaveLength(5);
    const labels = items.map((item) => within(item).queryByTestId('source-kind')?.textContent ?? null);
    expect(labels).toEqual([null, '(GitHub thread #1234Open: not fixed yet)', '(GitHub thread #1251Merged)', '(Web page)', null]);
    // The label sits beside the link, not inside it: the link's name is unchanged.
    expect(items[1]!.textContent).toContain('Destructive button loses its focus ring');
    expect(within(items[1]!).getByRole('link').textContent).not.toContain('GitHub thread');
    expect(within(items[0]!).getByRole('link').textContent).toBe('Buttons › Destructive button');
  });

  it("names an external source's link after the source, not \"Source with url\"", () => {
    const items = renderSources([cite('https://github.com/twilio-labs/paste/issues/1234', 'Destructive button loses its focus ring', { kind: 'thread', number: 1234, state: 'closed' })]);
    const link = within(items[0]!).getByRole('link');
    expect(link.getAttribute('href')).toBe('https://github.com/twilio-labs/paste/issues/1234');
    expect(link.textContent).toMatch(/^Destructive button loses its focus ring/);
    expect(link.textContent).toContain('(link takes you to an external page)');
    expect(items[0]!.textContent).not.toContain('Source with url');
    expect(items[0]!.textContent?.startsWith('[1] Destructive button loses its focus ring')).toBe(true);
  });

  it('shows a closed thread as closed, and no state it does not know (stored data is not trusted)', () => {
    const items = renderSources([
      cite('https://github.com/twilio-labs/paste/issues/7', 'Old issue', { kind: 'thread', number: 7, state: 'closed' }),
      cite('https://github.com/twilio-labs/paste/issues/8', 'Odd issue', { kind: 'thread', number: 8, state: '<img src=x onerror=alert(1)>' as never }),
    ]);
    expect(within(items[0]!).getByTestId('source-kind').textContent).toBe('(GitHub thread #7Closed)');
    expect(within(items[1]!).getByTestId('source-kind').textContent).toBe('(GitHub thread #8)');
    expect(document.querySelector('img')).toBeNull();
  });

  it('sourcesOf keeps what each citation says of its source', () => {
    expect(sourcesOf([cite('https://github.com/o/r/issues/1', 'One', { kind: 'thread', number: 1, state: 'closed' }), cite('/docs/a', 'A')])).toEqual([
      { number: 1, url: 'https://github.com/o/r/issues/1', title: 'One', source: { kind: 'thread', number: 1, state: 'closed' } },
      { number: 2, url: '/docs/a', title: 'A' },
    ]);
  });

  it('an offline answer that quotes a thread cites it with its kind, number and state, and the list shows them', async () => {
    const question = 'Why does the destructive button lose its focus ring in dark mode?';
    const results = [
      {
        title: 'Destructive button loses its focus ring in dark mode',
        heading: '',
        url: 'https://github.com/twilio-labs/paste/issues/1234',
        content: 'The destructive button loses its focus ring in dark mode. Maintainers: fixed in 20.1.0, the focus ring now uses the focus token.',
        kind: 'thread',
        number: 1234,
        state: 'closed',
      },
    ];
    const { text, annotations = [] } = await offlineAnswerTo(question, results);
    expect(annotations[0]).toMatchObject({ url: 'https://github.com/twilio-labs/paste/issues/1234', source: { kind: 'thread', number: 1234, state: 'closed' } });
    renderWithProviders(
      <AIChatLog>
        <AssistantMessage message={buildMessage({ text, annotations })} />
      </AIChatLog>,
    );
    const items = within(screen.getByRole('list', { name: 'Sources' })).getAllByRole('listitem');
    expect(items.map((item) => within(item).queryByTestId('source-kind')?.textContent ?? null)).toEqual(['(GitHub thread #1234Closed)']);
  });
  it('cites an approved answer of the maintainers as answered by them, with its day', () => {
    const items = renderSources([
      cite('/docs/answers/7', 'Toast in Safari', { kind: 'answer', answeredAt: '2026-11-20' }),
      cite('/docs/answers/8', 'Toast in Firefox', { kind: 'answer' }),
    ]);
    const labels = items.map((item) => within(item).queryByTestId('source-kind')?.textContent ?? null);
    expect(labels).toEqual(['(Answered by the maintainers (2026-11-20))', '(Answered by the maintainers)']);
    expect(within(items[0]!).getByRole('link').getAttribute('href')).toBe('/docs/answers/7');
  });
});
