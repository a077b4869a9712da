import { z } from 'zod';
import { ZHandoffLinkToken } from './links';

// The body of POST /api/paste-assistant-thread/[tid]/handoff: an optional note to the maintainers, an optional address
// for their reply (only where HANDOFF_TO names email), and a solved challenge after a 429 challenge_required.
export const ZHandoffBody = z.strictObject({
  note: z.string().max(2000, 'note: at most 2,000 characters').optional(),
  email: z.email('email: must be an e-mail address').max(320).optional(),
  challenge: z.string().max(4000).optional(),
});
export type THandoffBody = z.infer<typeof ZHandoffBody>;

// The body of POST /api/handoff/link: a link from a hand-off's e-mail (./links.ts), as the page it opens sends it.
// `confirm`: the address is confirmed. `open`: the conversation, for this browser; `move: true` when the reader asked
// to move it here from the browser it was asked in.
export const ZHandoffLinkBody = z.discriminatedUnion('action', [
  z.strictObject({ action: z.literal('confirm'), token: ZHandoffLinkToken }),
  z.strictObject({ action: z.literal('open'), token: ZHandoffLinkToken, move: z.boolean().optional() }),
]);
export type THandoffLinkBody = z.infer<typeof ZHandoffLinkBody>;
