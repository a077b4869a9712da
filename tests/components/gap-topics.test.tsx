// @vitest-environment jsdom
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { GapTopicsSection } from '@/components/maintainers/Topics';
import type { TGapDraft, TGapsView, TGapTopic } from '@/lib/shared/docs-gaps';
import { renderWithProviders } from '../helpers/dom';

// The dashboard's Topics section against the gaps API (faked with msw; the real routes are tested in
// tests/integration/docs-gaps.network.test.ts): topics largest first with trend and nearest docs, a draft that GitHub
// refused shows why and retries through its route, and closed gaps say how many questions are now answered.

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const question = (text: string, kind: 'not_covered' | 'voted_down' = 'not_covered') => ({ text, kind, reason: null, createdAt: '2026-11-20T10:00:00Z', threadId: `thread_${text.length}`, messageId: `msg_${text.length}${kind}` });

function topic(id: string, label: string, count: number, draft: TGapDraft | null = null): TGapTopic {
  return {
    id,
    topic: label,
    count,
    counts: { not_covered: count, voted_down: 0, maintainer: 0 },
    trend: { previous: 1, change: count - 1, direction: count > 1 ? 'up' : 'same' },
    questions: [question(label)],
    nearest: [{ title: 'Buttons', heading: 'Variants', url: '/docs/guides/buttons#variants', path: 'guides/buttons.mdx', kind: 'docs' }],
    lastAskedAt: '2026-11-20T10:00:00Z',
    draft,
  };
}

const failed: TGapDraft = {
  id: 7,
  topicId: 'gap_b',
  topic: 'How do I export a PDF?',
  target: 'github',
  kind: 'issue',
  status: 'failed',
  title: 'Docs gap',
  body: '',
  diff: null,
  pagePath: null,
  questions: [],
  url: null,
  error: 'GitHub answered 502: Server Error',
  attempts: 1,
  createdAt: '2026-11-21T10:00:00Z',
  updatedAt: '2026-11-21T10:00:00Z',
  openedAt: null,
  closedAt: null,
  answered: null,
  issueNumber: null,
};

describe('the Topics section', () => {
  it('lists the topics largest first, shows a refused draft with its reason, retries it, and shows closed gaps', async () => {
    const view: TGapsView = {
      period: { from: '2026-10-27T00:00:00Z', to: '2026-11-26T00:00:00Z', days: 30 },
      gaps: [topic('gap_b', 'How do I export a PDF?', 4, failed), topic('gap_a', 'Can buttons be round?', 2)],
      closed: [{ ...failed, id: 3, topic: 'How do I theme the chat?', status: 'opened', error: null, url: 'https://github.com/acme/docs/pull/3', closedAt: '2026-11-22T00:00:00Z', answered: 3 }],
    };
    const retried = vi.fn();
    let days: string | null = null;
    server.use(
      http.get('*/api/maintainers/gaps', ({ request }) => {
        days = new URL(request.url).searchParams.get('days');
        return HttpResponse.json(view);
      }),
      http.post('*/api/maintainers/gaps/drafts/:id', ({ params }) => {
        retried(params.id);
        return HttpResponse.json({ url: 'https://github.com/acme/docs/issues/8' });
      }),
    );
    const open = vi.spyOn(window, 'open').mockImplementation(() => null);
    renderWithProviders(<GapTopicsSection link={null} days={30} />);
    const items = await screen.findAllByTestId('gap-topic');
    expect(days).toBe('30');
    expect(items.map((item) => within(item).getByRole('heading').textContent)).toEqual(['1. “How do I export a PDF?”', '2. “Can buttons be round?”']);
    expect(within(items[0]!).getByText(/↑ \+3 vs the period before \(1\)/)).toBeTruthy();
    expect(within(items[1]!).getByRole('link', { name: 'Buttons › Variants' }).getAttribute('href')).toBe('/docs/guides/buttons#variants');
    expect(within(items[0]!).getByTestId('gap-draft-failed').textContent).toContain('GitHub answered 502: Server Error');
    expect(screen.getByTestId('gaps-closed').textContent).toContain('“How do I theme the chat?”: 3 questions now answered (closed 2026-11-22)');
    await userEvent.click(within(items[0]!).getByRole('button', { name: 'Retry on GitHub' }));
    await waitFor(() => expect(retried).toHaveBeenCalledWith('7'));
    expect(open).toHaveBeenCalledWith('https://github.com/acme/docs/issues/8', '_blank', 'noopener');
    open.mockRestore();
  });

  it("links a downloaded draft with this visit's signed link, never the one it was drafted with (issue 54, 2.10)", async () => {
    const patch: TGapDraft = { ...failed, id: 9, target: 'patch', status: 'opened', error: null, url: 'http://localhost:3000/api/maintainers/gaps/drafts/9?exp=1&sig=old' };
    server.use(http.get('*/api/maintainers/gaps', () => HttpResponse.json({ period: { from: '', to: '', days: 30 }, gaps: [topic('gap_c', 'Export PDF', 2, patch)], closed: [] } satisfies TGapsView)));
    renderWithProviders(<GapTopicsSection link={{ exp: '4102444800', sig: 'now' }} days={30} />);
    const line = await screen.findByTestId('gap-draft');
    expect(within(line).getByRole('link').getAttribute('href')).toBe('/api/maintainers/gaps/drafts/9?exp=4102444800&sig=now');
    expect(line.textContent).not.toContain('sig=old');
  });
});
