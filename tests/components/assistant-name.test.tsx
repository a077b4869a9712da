// @vitest-environment jsdom
import { screen } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmptyState } from '@/components/assistant/EmptyState';
import { EmbedPanel } from '@/components/embed/EmbedPanel';
import type { TAssistantIntroView } from '@/lib/shared/site';
import { renderWithProviders } from '../helpers/dom';

// The panel speaks for the site it serves: its name (ASSISTANT_NAME or site.config.json's assistant.name) in the
// empty state and the embed's header, and the site's own suggested questions, as GET /api/assistant-intro says.

const INTRO: TAssistantIntroView = {
  siteName: 'Acme',
  assistantName: 'Acme AI',
  intro: 'I answer questions about Acme from its documentation.',
  questions: ['How do I use Button?', 'What should I know about theming?'],
  destinations: { isSharedInSlack: false, isSentToModelProvider: false, isFeedbackRead: false },
};

const server = setupServer(
  http.get(`${window.location.origin}/api/assistant-intro`, () => HttpResponse.json({ data: INTRO })),
  http.get(`${window.location.origin}/api/paste-assistant-thread`, () => HttpResponse.json({ object: 'list', data: [], first_id: null, last_id: null, has_more: false })),
);
beforeAll(() => server.listen({ onUnhandledRequest: 'bypass' }));
afterAll(() => server.close());

describe('the panel for a site that names its assistant', () => {
  it('the empty state asks by that name and offers the site\'s questions', async () => {
    renderWithProviders(<EmptyState onAsk={() => {}} isDisabled={false} />);
    expect(await screen.findByRole('heading', { name: 'Ask Acme AI' })).toBeTruthy();
    expect(screen.getByText(INTRO.intro)).toBeTruthy();
    expect(screen.getAllByRole('button').map((button) => button.textContent)).toEqual(INTRO.questions);
  });

  it('the embed\'s header carries the name', async () => {
    renderWithProviders(<EmbedPanel ask={null} askCount={0} onAsked={() => {}} onClose={() => {}} focusRequest={0} />);
    expect(await screen.findByRole('heading', { level: 1, name: 'Acme AI' })).toBeTruthy();
  });
});
