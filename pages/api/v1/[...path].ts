import { AppError } from '@/lib/errors';
import type { TRouteHandler } from '@/lib/http';
import { defineApiRoute } from '@/lib/v1/http';

// Next's own body parser answers 413 in plain text; the route wrapper reads and limits the body itself.
export const config = { api: { bodyParser: false } };

// Any other /v1 path (files, vector stores, chat completions…): OpenAI's 404 for an unknown URL, after the key check.
const unknown: TRouteHandler = async ({ req }) => {
  const path = (req.url ?? '').split('?')[0]?.replace(/^\/api\/v1/, '/v1');
  throw new AppError('not_found', `Unknown request URL: ${req.method ?? 'GET'} ${path}. This server serves the Assistants API (assistants, threads, messages, runs, run steps).`);
};

export default defineApiRoute({ GET: unknown, POST: unknown, PUT: unknown, DELETE: unknown });
