import { getHealth } from '@/lib/health';
import { defineRoute } from '@/lib/http';

// Next's own body parser answers 413 in plain text; the route wrapper reads and limits the body itself.
export const config = { api: { bodyParser: false } };

export default defineRoute({
  async GET({ app }) {
    return { body: await getHealth(app) };
  },
}, { isRateLimited: false });
