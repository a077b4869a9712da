import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { createFakeApi, type TFakeApi } from './fake-api';

// msw for component tests: every request the UI makes must be one the fake API serves.
export function setupFakeApi(): { readonly api: TFakeApi } {
  const server = setupServer();
  const holder = {} as { api: TFakeApi };
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  beforeEach(() => {
    holder.api = createFakeApi(window.location.origin);
    server.use(...holder.api.handlers);
  });
  afterEach(() => server.resetHandlers());
  afterAll(() => server.close());
  return holder;
}
