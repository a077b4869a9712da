import { confirmHandoffAddress, openHandoffConversation } from '@/lib/handoff/links';
import { ZHandoffLinkBody } from '@/lib/handoff/schemas';
import { defineRoute } from '@/lib/http';

// Next's own body parser answers 413 in plain text; the route wrapper reads and limits the body itself.
export const config = { api: { bodyParser: false } };

// The links of a hand-off's e-mails (lib/handoff/links.ts), sent by the pages they open (/handoff/confirm,
// /handoff/open) when the reader presses their button. {action: 'confirm', token} → {status: 'confirmed'}; 409 when
// confirmed before. {action: 'open', token, move?} → {status: 'opened', thread_id, url} for this browser's
// conversation (or one just moved here), {status: 'elsewhere'} when it is another browser's and `move` was not asked;
// 409 for a link that moved it before, 403 for a signed-in reader's conversation in another reader's browser. Both:
// 400 malformed, 403 forged or expired, 404 when what it names is gone.
export default defineRoute({
  async POST(ctx) {
    const body = await ctx.body(ZHandoffLinkBody);
    const result =
      body.action === 'confirm'
        ? await confirmHandoffAddress({ deps: ctx.app, token: body.token })
        : await openHandoffConversation({ deps: ctx.app, owner: ctx.owner, token: body.token, isMoving: body.move === true });
    return { body: result, headers: { 'Cache-Control': 'no-store' } };
  },
});
