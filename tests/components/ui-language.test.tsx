// @vitest-environment jsdom
import { act, screen } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { EmptyState } from '@/components/assistant/EmptyState';
import { EmbedPanel } from '@/components/embed/EmbedPanel';
import { fr } from '@/lib/shared/i18n/fr';
import { en } from '@/lib/shared/i18n/en';
import { renderWithProviders } from '../helpers/dom';

// The panel's own words follow the browser's preferred languages (components/assistant/ui-text.ts): French for a
// French browser, English for one whose languages have no table, and a change of the browser's language is
// followed at once. The site's own words (its intro, its questions) are the site's and stay as written.

const server = setupServer(
  http.get(`${window.location.origin}/api/assistant-intro`, () =>
    HttpResponse.json({ data: { siteName: 'Acme', assistantName: null, intro: null, questions: [], destinations: { isSharedInSlack: false, isSentToModelProvider: false, isFeedbackRead: false } } }),
  ),
  http.get(`${window.location.origin}/api/paste-assistant-thread`, () => HttpResponse.json({ object: 'list', data: [], first_id: null, last_id: null, has_more: false })),
);
beforeAll(() => server.listen({ onUnhandledRequest: 'bypass' }));
afterAll(() => server.close());
afterEach(() => vi.restoreAllMocks());

function preferLanguages(languages: string[]) {
  vi.spyOn(window.navigator, 'languages', 'get').mockReturnValue(languages);
}

describe('the panel in the browser’s language', () => {
  it('speaks French to a French browser', async () => {
    preferLanguages(['fr-FR', 'en']);
    renderWithProviders(<EmptyState onAsk={() => {}} isDisabled={false} />);
    expect(await screen.findByRole('heading', { name: fr['intro.askTheDocs'] })).toBeTruthy();
    expect(await screen.findByText(fr['intro.generic'])).toBeTruthy();
    expect(screen.getByText(fr['intro.privacy'])).toBeTruthy();
    // The note under it, as this server is configured (no Slack, no model): French too.
    expect(await screen.findByText(new RegExp(fr['intro.noModel']))).toBeTruthy();
    expect(screen.queryByText(new RegExp(en['intro.noModel']))).toBeNull();
  });

  it('the embed’s header and controls are French too', async () => {
    preferLanguages(['fr-CA']);
    renderWithProviders(<EmbedPanel ask={null} askCount={0} onAsked={() => {}} onClose={() => {}} focusRequest={0} />);
    expect(await screen.findByRole('main', { name: fr['embed.label'] })).toBeTruthy();
    expect(screen.getByRole('button', { name: fr['panel.newThread'] })).toBeTruthy();
    expect(screen.getByRole('button', { name: fr['panel.close'] })).toBeTruthy();
    expect(screen.getByRole('textbox', { name: fr['composer.label'] })).toBeTruthy();
  });

  it('stays English for a language without a table, and follows a change of the browser’s language', async () => {
    preferLanguages(['ja-JP']);
    renderWithProviders(<EmptyState onAsk={() => {}} isDisabled={false} />);
    expect(await screen.findByRole('heading', { name: en['intro.askTheDocs'] })).toBeTruthy();
    preferLanguages(['es-ES']);
    act(() => {
      window.dispatchEvent(new Event('languagechange'));
    });
    expect(await screen.findByRole('heading', { name: 'Pregunta a la documentación' })).toBeTruthy();
  });
});
