import { z } from 'zod';

// The body of POST /api/paste-assistant-thread/[tid]/handoff: an optional note to the maintainers, an optional address
// for their reply (only where HANDOFF_TO names email), and a solved challenge after a 429 challenge_required.
export const ZHandoffBody = z.strictObject({
  note: z.string().max(2000, 'note: at most 2,000 characters').optional(),
  email: z.email('email: must be an e-mail address').max(320).optional(),
  challenge: z.string().max(4000).optional(),
});
export type THandoffBody = z.infer<typeof ZHandoffBody>;
