// @vitest-environment jsdom
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PageActions } from '@/components/docs/PageActions';
import { renderWithProviders } from '../helpers/dom';

// The docs page's actions menu: the page's markdown twin (copied through the clipboard, or opened), and chats in
// ChatGPT and Claude that start from the page. The twin is served by msw here; the production tier checks the
// real one. The clipboard is user-event's stand-in for the browser's (jsdom has none).

const MARKDOWN = '# Slack notifications\n\n> Send every conversation to a Slack channel.\n';
const server = setupServer(http.get('*/docs/guides/slack.md', () => new HttpResponse(MARKDOWN, { headers: { 'content-type': 'text/markdown; charset=utf-8' } })));
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

async function openMenu() {
  const user = userEvent.setup();
  renderWithProviders(<PageActions href="/docs/guides/slack" title="Slack notifications" />);
  await user.click(screen.getByRole('button', { name: /Page actions/ }));
  return user;
}

describe('PageActions', () => {
  it('links to the markdown twin and to new chats that carry the page URL and a question, opened in a new tab', async () => {
    await openMenu();
    expect(screen.getByRole('menuitem', { name: 'View as Markdown' }).getAttribute('href')).toBe('/docs/guides/slack.md');

    const pageUrl = `${window.location.origin}/docs/guides/slack`;
    for (const [name, site] of [
      ['Open in ChatGPT', 'https://chatgpt.com/'],
      ['Open in Claude', 'https://claude.ai/new'],
    ] as const) {
      const link = screen.getByRole('menuitem', { name });
      const url = new URL(link.getAttribute('href') ?? '');
      expect(`${url.origin}${url.pathname}`).toBe(site);
      expect(url.searchParams.get('q')).toBe(`Read ${pageUrl} (as markdown: ${pageUrl}.md) so that I can ask you questions about "Slack notifications".`);
      expect(link.getAttribute('target')).toBe('_blank');
      expect(link.getAttribute('rel')).toMatch(/noopener/);
    }
  });

  it('copies the page as markdown and says so', async () => {
    const user = await openMenu();
    await user.click(screen.getByRole('menuitem', { name: 'Copy page as Markdown' }));
    expect(await screen.findByText('Copied the page as Markdown')).toBeTruthy();
    expect(await navigator.clipboard.readText()).toBe(MARKDOWN);
  });

  it('says when the page could not be copied, rather than copying an error', async () => {
    server.use(http.get('*/docs/guides/slack.md', () => HttpResponse.json({ error: { code: 'rate_limited', message: 'Slow down' } }, { status: 429 })));
    const user = await openMenu();
    await navigator.clipboard.writeText('before');
    await user.click(screen.getByRole('menuitem', { name: 'Copy page as Markdown' }));
    expect(await screen.findByText(/Could not copy/)).toBeTruthy();
    expect(await navigator.clipboard.readText()).toBe('before');
  });
});
