import { searchDocs, ZDocsSearchRequest } from '@/lib/docs/search';
import { apiConfig, defineRoute } from '@/lib/http';

export const config = apiConfig;

export default defineRoute({
  async POST(ctx) {
    const { prompt } = await ctx.body(ZDocsSearchRequest);
    return { body: { data: await searchDocs({ app: ctx.app, prompt, source: 'site' }) } };
  },
});
