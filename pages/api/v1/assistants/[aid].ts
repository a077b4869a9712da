import { parseWith } from '@/lib/http';
import { defineApiRoute } from '@/lib/v1/http';
import { ZAssistantParams, ZUpdateAssistantBody } from '@/lib/v1/schemas';
import { deleteAssistantForKey, getAssistantForKey, updateAssistantForKey } from '@/lib/v1/service';

// Next's own body parser answers 413 in plain text; the route wrapper reads and limits the body itself.
export const config = { api: { bodyParser: false } };

export default defineApiRoute({
  async GET({ app, owner, query }) {
    const { aid } = parseWith(ZAssistantParams, query);
    return { body: await getAssistantForKey({ deps: app, owner, assistantId: aid }) };
  },
  async POST({ app, owner, query, body }) {
    const { aid } = parseWith(ZAssistantParams, query);
    return { body: await updateAssistantForKey({ deps: app, owner, assistantId: aid, body: await body(ZUpdateAssistantBody) }) };
  },
  async DELETE({ app, owner, query }) {
    const { aid } = parseWith(ZAssistantParams, query);
    return { body: await deleteAssistantForKey({ deps: app, owner, assistantId: aid }) };
  },
});
