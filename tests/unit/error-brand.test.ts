import { describe, expect, it, vi } from 'vitest';

// Next bundles instrumentation (where the app object lives) and each route separately, so the class that
// throws and the code that recognises the error are different copies of one module. vi.resetModules()
// gives the same situation: a second, distinct copy of every module.

async function twoCopies<T>(load: () => Promise<T>): Promise<[T, T]> {
  const first = await load();
  vi.resetModules();
  const second = await load();
  return [first, second];
}

describe('error brands across module copies', () => {
  it('recognises an AppError thrown by another copy of lib/errors', async () => {
    const [a, b] = await twoCopies(() => import('@/lib/errors'));
    const error = new a.AppError('not_found', 'No such thread.');
    // The copies really are distinct: instanceof is what used to fail.
    expect(error instanceof b.AppError).toBe(false);
    expect(b.isAppError(error)).toBe(true);
    expect(b.isAppError(new Error('plain'))).toBe(false);
    expect(b.isAppError({ code: 'not_found', message: 'duck-typed' })).toBe(false);
  });

  it('recognises a ModelError thrown by another copy of the model types', async () => {
    const [a, b] = await twoCopies(() => import('@/lib/model/types'));
    const error = new a.ModelError('rate_limit_exceeded', 'Slow down.');
    expect(error instanceof b.ModelError).toBe(false);
    expect(b.isModelError(error)).toBe(true);
    const [errorsA] = await twoCopies(() => import('@/lib/errors'));
    expect(b.isModelError(new errorsA.AppError('conflict', 'x'))).toBe(false);
  });

  it('maps an AppError from another copy to its own status in the route wrapper, not 500', async () => {
    const [errorsA] = await twoCopies(() => import('@/lib/errors'));
    const http = await import('@/lib/http');
    const { createTestApp } = await import('@/tests/helpers/app');
    const { setApp } = await import('@/lib/app');
    const app = await createTestApp();
    setApp(app);
    try {
      const route = http.defineRoute({
        GET: async () => {
          throw new errorsA.AppError('not_found', 'No such thread.');
        },
      });
      const { createServer } = await import('node:http');
      const server = createServer((req, res) => void route(req, res));
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const { port } = server.address() as import('node:net').AddressInfo;
      const response = await fetch(`http://127.0.0.1:${port}/`);
      server.close();
      expect(response.status).toBe(404);
      expect(await response.json()).toEqual({ error: { code: 'not_found', message: 'No such thread.' } });
    } finally {
      setApp(undefined);
      await app.db.close();
    }
  });

  it('keeps a ModelError code from another copy when a run fails', async () => {
    const [typesA] = await twoCopies(() => import('@/lib/model/types'));
    const { toModelError } = await import('@/lib/model/errors');
    const original = new typesA.ModelError('invalid_api_key', 'Fix the key.');
    expect(toModelError(original, { model: 'm', timeoutMs: 1000, maxRetries: 0 })).toBe(original);
  });
});
