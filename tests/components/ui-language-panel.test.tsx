// @vitest-environment jsdom
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { AskAssistantButton } from '@/components/assistant/AskAssistantButton';
import { MissingThreadNotice } from '@/components/assistant/Conversation';
import { AssistantPage } from '@/components/assistant/AssistantPage';
import { DraftMessage, FailureMessage, UserMessage } from '@/components/assistant/Messages';
import { failureOf } from '@/components/assistant/run-failure';
import { uiText, type TUiKey } from '@/lib/shared/i18n';
import { AssistantPanelProvider } from '@/components/assistant/panel-context';
import { ShareButton } from '@/components/assistant/ShareButton';
import { ThreadHeader, ThreadList } from '@/components/assistant/ThreadList';
import { ASK_LABELS } from '@/lib/shared/i18n/ask-label';
import { en } from '@/lib/shared/i18n/en';
import { fr } from '@/lib/shared/i18n/fr';
import { buildRun, buildThread } from '../helpers/builders';
import { renderWithProviders } from '../helpers/dom';

// The rest of the panel's own words in the browser's language (issue 41, item 3): the thread list and a thread's
// header, the conversation log's labels, the missing-thread notice, share links, and the docs header's button.

const THREAD_ID = 'thread_1';
const LIMITED_THREAD_ID = 'thread_2';
const server = setupServer(
  http.get(`${window.location.origin}/api/assistant-intro`, () =>
    HttpResponse.json({ data: { siteName: 'Acme', assistantName: null, intro: null, questions: [], destinations: { isSharedInSlack: false, isSentToModelProvider: false, isFeedbackRead: false } } }),
  ),
  http.get(`${window.location.origin}/api/paste-assistant-thread`, () => HttpResponse.json({ object: 'list', data: [], first_id: null, last_id: null, has_more: false })),
  http.post(`${window.location.origin}/api/paste-assistant-thread/${THREAD_ID}/share`, () => HttpResponse.json({ error: { code: 'server_error', message: 'x' } }, { status: 500 })),
  http.post(`${window.location.origin}/api/paste-assistant-thread/${LIMITED_THREAD_ID}/share`, () =>
    HttpResponse.json({ error: { code: 'rate_limited', message: 'This conversation has had 5 new share links in the last hour.' } }, { status: 429, headers: { 'Retry-After': '600' } }),
  ),
);
beforeAll(() => server.listen({ onUnhandledRequest: 'bypass' }));
afterAll(() => server.close());
afterEach(() => vi.restoreAllMocks());

function preferLanguages(languages: string[]) {
  vi.spyOn(window.navigator, 'languages', 'get').mockReturnValue(languages);
}

describe('the rest of the panel in French', () => {
  it('the thread list: heading, new thread, delete all and its confirmation', async () => {
    preferLanguages(['fr-FR']);
    const threads = [buildThread({ id: 't1', metadata: { threadTitle: 'Boutons' } })];
    renderWithProviders(<ThreadList threads={threads} selectedId={null} isLoading={false} now={Date.now()} onSelect={() => {}} onNew={() => {}} onDeleteAll={async () => true} />);
    expect(await screen.findByRole('listbox', { name: fr['threads.heading'] })).toBeTruthy();
    expect(screen.getByRole('button', { name: fr['panel.newThread'] })).toBeTruthy();
    await userEvent.click(screen.getByRole('button', { name: fr['threads.deleteAll'] }));
    expect(await screen.findByText(fr['threads.deleteAllText'])).toBeTruthy();
    expect(screen.getByRole('button', { name: fr['threads.cancel'] })).toBeTruthy();
    expect(screen.queryByText(en['threads.deleteAllText'])).toBeNull();
  });

  it('an empty thread list says so in French', async () => {
    preferLanguages(['fr']);
    renderWithProviders(<ThreadList threads={[]} selectedId={null} isLoading={false} now={Date.now()} onSelect={() => {}} onNew={() => {}} />);
    expect(await screen.findByText(fr['threads.none'])).toBeTruthy();
  });

  it('a thread’s header: rename and delete, with the title filled in', async () => {
    preferLanguages(['fr-CA']);
    renderWithProviders(<ThreadHeader thread={buildThread({ metadata: { threadTitle: 'Boutons' } })} onRename={async () => true} onDelete={async () => true} />);
    expect(await screen.findByRole('button', { name: 'Renommer la conversation : Boutons' })).toBeTruthy();
    await userEvent.click(screen.getByRole('button', { name: 'Supprimer la conversation : Boutons' }));
    expect(await screen.findByText('« Boutons » et ses messages seront supprimés. C’est irréversible.')).toBeTruthy();
  });

  it('the conversation log’s labels and the missing-thread notice', async () => {
    preferLanguages(['fr']);
    renderWithProviders(
      <>
        <UserMessage text="Bonjour" />
        <DraftMessage text="…" onStop={() => {}} />
        <MissingThreadNotice />
      </>,
    );
    expect(await screen.findByText(fr['log.youSaid'].trim())).toBeTruthy();
    expect(screen.getByLabelText(fr['log.answering'])).toBeTruthy();
    expect(screen.getByRole('button', { name: fr['log.stop'] })).toBeTruthy();
    expect(screen.getByRole('heading', { name: fr['missing.heading'] })).toBeTruthy();
  });

  it('the share button, and its failure', async () => {
    preferLanguages(['fr']);
    renderWithProviders(<ShareButton threadId={THREAD_ID} />);
    await userEvent.click(await screen.findByRole('button', { name: fr['share.buttonLabel'] }));
    expect(await screen.findByText(fr['share.failed'])).toBeTruthy();
  });

  it('the share button past the hour’s new links says why, not "try again"', async () => {
    preferLanguages(['fr']);
    renderWithProviders(<ShareButton threadId={LIMITED_THREAD_ID} />);
    await userEvent.click(await screen.findByRole('button', { name: fr['share.buttonLabel'] }));
    expect(await screen.findByText(fr['share.tooMany'])).toBeTruthy();
    expect(screen.queryByText(fr['share.failed'])).toBeNull();
  });

  it('/assistant’s own header, and a new conversation’s heading', async () => {
    preferLanguages(['fr']);
    renderWithProviders(<AssistantPage selectedId={null} onSelect={() => {}} />);
    expect(await screen.findByRole('link', { name: fr['page.backToDocs'] })).toBeTruthy();
    expect(screen.getByRole('navigation', { name: fr['threads.heading'] })).toBeTruthy();
    expect(screen.getByRole('heading', { name: fr['page.newConversation'] })).toBeTruthy();
  });

  it('a stopped answer says so in French, with Retry', async () => {
    preferLanguages(['fr']);
    const t = (key: TUiKey) => uiText('fr', key);
    const failure = failureOf({ run: buildRun({ status: 'cancelled' }), messages: [], isSending: false, t });
    expect(failure?.message).toBe(fr['failure.cancelled']);
    renderWithProviders(<FailureMessage failure={{ ...failure!, questionId: 'm1' }} onRetry={() => {}} />);
    expect(await screen.findByText(fr['failure.cancelled'])).toBeTruthy();
    expect(screen.getByRole('button', { name: fr['failure.retry'] })).toBeTruthy();
  });

  it('the docs header’s button: French for a French browser, English for one without a label', async () => {
    preferLanguages(['fr-BE', 'en']);
    const { unmount } = renderWithProviders(
      <AssistantPanelProvider>
        <AskAssistantButton />
      </AssistantPanelProvider>,
    );
    expect(await screen.findByRole('button', { name: ASK_LABELS.fr })).toBeTruthy();
    unmount();
    preferLanguages(['ja']);
    renderWithProviders(
      <AssistantPanelProvider>
        <AskAssistantButton />
      </AssistantPanelProvider>,
    );
    expect(await screen.findByRole('button', { name: ASK_LABELS.en })).toBeTruthy();
  });
});
