// @vitest-environment jsdom
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

// The page's first request establishes the reader's session cookie; a second request sent before it returns
// would get a session of its own (and own a thread the first cannot see). apiFetch holds the others back.

const events: string[] = [];
let releaseFirst: () => void = () => undefined;
const firstHeld = new Promise<void>((resolve) => {
  releaseFirst = resolve;
});

const server = setupServer(
  http.get('*/api/first', async () => {
    events.push('first arrived');
    await firstHeld;
    events.push('first answered');
    return HttpResponse.json({ ok: 1 });
  }),
  http.post('*/api/second', () => {
    events.push('second arrived');
    return HttpResponse.json({ ok: 2 });
  }),
  http.get('*/api/third', () => {
    events.push('third arrived');
    return HttpResponse.json({ ok: 3 });
  }),
);

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());

describe('apiFetch and the session a first request establishes', () => {
  it('sends nothing else until the first request has come back, then sends the rest', async () => {
    // A fresh copy of the module, as a page load has: component files share their process, and another file's
    // requests would already have come back in the shared copy.
    vi.resetModules();
    const { apiFetch } = await import('@/components/assistant/api');
    const first = apiFetch<{ ok: number }>('/api/first');
    const second = apiFetch<{ ok: number }>('/api/second', { method: 'POST', body: {} });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(events).toEqual(['first arrived']);
    releaseFirst();
    expect(await first).toEqual({ ok: 1 });
    expect(await second).toEqual({ ok: 2 });
    expect(events).toEqual(['first arrived', 'first answered', 'second arrived']);
    // Once the first has returned, requests go at once, side by side.
    expect(await Promise.all([apiFetch('/api/third'), apiFetch('/api/second', { method: 'POST', body: {} })])).toEqual([{ ok: 3 }, { ok: 2 }]);
  });
});
