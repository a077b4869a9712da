import { getHealth } from '@/lib/health';
import { apiConfig, defineRoute } from '@/lib/http';

export const config = apiConfig;

export default defineRoute({
  async GET({ app }) {
    return { body: await getHealth(app) };
  },
});
