import { AppError } from '@/lib/errors';
import { defineRoute, type TRouteHandler } from '@/lib/http';

// Next's own body parser answers 413 in plain text; the route wrapper reads and limits the body itself.
export const config = { api: { bodyParser: false } };

// Any other path under /api: the error body's 404, not Next's HTML page (an API answers JSON, whatever it is sent).
// /v1's own unknown paths are pages/api/v1/[...path].ts's. No session is made for a path that is nothing.
const unknown: TRouteHandler = async ({ req }) => {
  const path = (req.url ?? '').split('?')[0];
  throw new AppError('not_found', `No API route at ${req.method ?? 'GET'} ${path}.`);
};

export default defineRoute({ GET: unknown, POST: unknown, PUT: unknown, DELETE: unknown }, { isSessionless: true });
