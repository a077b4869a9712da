// @vitest-environment jsdom
import { act, screen, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { AIChatLog } from '@twilio-paste/core/ai-chat-log';
import { AssistantMessage } from '@/components/assistant/Messages';
import { EmbedApp } from '@/components/embed/EmbedApp';
import type { TTextAnnotation } from '@/lib/shared/api-objects';
import { EMBED_HELLO } from '@/lib/shared/embed-protocol';
import { en } from '@/lib/shared/i18n/en';
import { es } from '@/lib/shared/i18n/es';
import { fr } from '@/lib/shared/i18n/fr';
import { buildMessage } from '../helpers/builders';
import { renderWithProviders } from '../helpers/dom';

// The words that stayed English after the panel's went through the tables (lib/shared/i18n/): the embed frame's
// own states (loading, refused, opened outside a frame) and the source labels' kinds, thread states and
// maintainers' bylines, in the browser's language.

const server = setupServer(http.post(`${window.location.origin}/api/embed/session`, () => HttpResponse.json({ error: { code: 'forbidden', message: 'Origin refused.' } }, { status: 403 })));
beforeAll(() => server.listen({ onUnhandledRequest: 'bypass' }));
afterAll(() => server.close());
afterEach(() => vi.restoreAllMocks());

function preferLanguages(languages: string[]) {
  vi.spyOn(window.navigator, 'languages', 'get').mockReturnValue(languages);
}

/** The frame as widget.js opens it: its parent is another window, which says hello from `origin`. */
function framedBy() {
  const parent = { postMessage: vi.fn() } as unknown as Window;
  vi.spyOn(window, 'parent', 'get').mockReturnValue(parent as Window & typeof globalThis);
  return (origin: string) =>
    act(() => {
      window.dispatchEvent(new MessageEvent('message', { data: { type: EMBED_HELLO }, origin, source: parent as unknown as MessageEventSource }));
    });
}

const cite = (url: string, title: string, source: TTextAnnotation['source']): TTextAnnotation => ({ type: 'url_citation', url, title, start_index: 0, end_index: 1, source });

function sourceLabels() {
  const items = within(screen.getByRole('list', { name: /./ })).getAllByRole('listitem');
  return items.map((item) => within(item).queryByTestId('source-kind')?.textContent ?? null);
}

describe('the source labels in the reader’s language', () => {
  it.each([
    ['fr-FR', fr],
    ['es-MX', es],
    ['ja', en],
  ] as const)('%s: kinds, thread states and the maintainers’ byline', async (language, table) => {
    preferLanguages([language]);
    renderWithProviders(
      <AIChatLog>
        <AssistantMessage
          message={buildMessage({
            text: 'A [b] [c] [d] [e]',
            annotations: [
              cite('https://github.com/acme/widgets/issues/12', 'Focus ring lost', { kind: 'thread', number: 12, state: 'open' }),
              cite('https://github.com/acme/widgets/pull/13', 'Fix the focus ring', { kind: 'thread', number: 13, state: 'merged' }),
              cite('https://github.com/acme/widgets/issues/14', 'Old question', { kind: 'thread', number: 14, state: 'closed' }),
              cite('https://lanterns.example/#trimming', 'Lanterns › Trimming', { kind: 'page' }),
              cite('/docs/answers/7', 'Toast in Safari', { kind: 'answer', answeredAt: '2026-11-20' }),
              cite('/docs/reference/api#operation/listThings', 'List things', { kind: 'api' }),
            ],
          })}
        />
      </AIChatLog>,
    );
    await vi.waitFor(() => expect(sourceLabels()[0]).toContain(table['source.state.open']));
    expect(sourceLabels()).toEqual([
      `(${table['source.kind.thread']} #12${table['source.state.open']})`,
      `(${table['source.kind.thread']} #13${table['source.state.merged']})`,
      `(${table['source.kind.thread']} #14${table['source.state.closed']})`,
      `(${table['source.kind.page']})`,
      `(${table['source.answeredByOn'].replace('{day}', '2026-11-20')})`,
      `(${table['source.kind.api']})`,
    ]);
    if (table !== en) expect(sourceLabels().join(' ')).not.toMatch(/GitHub thread|Web page|not fixed yet|Answered by/);
  });
});

describe('the embed frame’s own states in the reader’s language', () => {
  it('opened outside a frame, it says what it is for, in French', async () => {
    preferLanguages(['fr-CA']);
    renderWithProviders(<EmbedApp allowedOrigins={['https://host.example']} />);
    expect(await screen.findByText(fr['embed.notFramed'])).toBeTruthy();
  });

  it('loading, then refused for a host that is not allowed, in Spanish', async () => {
    preferLanguages(['es-ES']);
    const hello = framedBy();
    renderWithProviders(<EmbedApp allowedOrigins={['https://host.example']} />);
    expect(await screen.findByText(es['embed.loading'])).toBeTruthy();
    hello('https://elsewhere.example');
    expect(await screen.findByText(es['embed.notAllowed'])).toBeTruthy();
    expect(screen.queryByText(en['embed.notAllowed'])).toBeNull();
  });

  it('a session the server refuses: its reason after the translated sentence, in French', async () => {
    preferLanguages(['fr']);
    const hello = framedBy();
    renderWithProviders(<EmbedApp allowedOrigins={['https://host.example']} />);
    hello('https://host.example');
    expect(await screen.findByText(`${fr['embed.couldNotStart']} Origin refused.`)).toBeTruthy();
  });
});
