import { ZMessageImagesParams } from '@/lib/assistant/schemas';
import { listMessageImagesForCaller } from '@/lib/assistant/message-images';
import { defineRoute, parseWith } from '@/lib/http';

// Next's own body parser answers 413 in plain text; the route wrapper reads and limits the body itself.
export const config = { api: { bodyParser: false } };

export default defineRoute({
  // A question's screenshots ({object: "list", data: [{mediaType, data}]}), for the reader who owns the thread.
  async GET({ app, owner, query }) {
    const { tid, mid } = parseWith(ZMessageImagesParams, query);
    return { body: await listMessageImagesForCaller({ deps: app, owner, threadId: tid, messageId: mid }), headers: { 'Cache-Control': 'private, no-store' } };
  },
});
