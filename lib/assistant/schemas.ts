import { z } from 'zod';
import { ZDigits } from '../http/input';
import { parseCursor, type TStreamCursor } from '../shared/stream-protocol';
import { RUN_MODES } from '../shared/runs';

// Request shapes of the paste-assistant routes. Ids are checked by format before they reach the database.

export const ZThreadId = z.string().regex(/^thread_[A-Za-z0-9]{1,64}$/, 'must be a thread id (thread_…)');
export const ZRunId = z.string().regex(/^run_[A-Za-z0-9]{1,64}$/, 'must be a run id (run_…)');
export const ZMessageId = z.string().regex(/^msg_[A-Za-z0-9]{1,64}$/, 'must be a message id (msg_…)');

// OpenAI's metadata limits: at most 16 keys, keys up to 64 characters, string values up to 512. A null value
// removes the key when merging. Keys that name an object's prototype are refused: copied into a plain object
// they would change its prototype instead of storing a key.
const RESERVED_METADATA_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
export const ZMetadata = z
  .record(z.string().min(1).max(64, 'metadata keys can be at most 64 characters'), z.string().max(512, 'metadata values can be at most 512 characters').nullable())
  .superRefine((value, ctx) => {
    for (const key of Object.keys(value)) {
      if (RESERVED_METADATA_KEYS.has(key)) ctx.addIssue({ code: 'custom', message: `metadata key "${key}" is reserved` });
    }
  })
  .refine((value) => Object.keys(value).length <= 16, 'metadata can have at most 16 keys');
export type TMetadata = z.infer<typeof ZMetadata>;

/** A solved proof-of-work challenge, base64 JSON (lib/limits/challenge.ts checks what it holds). */
export const ZChallengeSolutionField = z.string().min(1).max(4096);

export const ZThreadParams = z.object({ tid: ZThreadId });
export const ZRunParams = z.object({ tid: ZThreadId, rid: ZRunId });
export const ZMessageImagesParams = z.object({ tid: ZThreadId, mid: ZMessageId });

// `pageUrl`: the page the conversation starts from (the embed's host page), whose address may carry the version of
// versioned docs the conversation is about (metadata `version`, lib/docs/search/versions.ts). Not stored.
export const ZCreateThreadBody = z.object({ metadata: ZMetadata.optional(), pageUrl: z.string().max(2048).optional() }).strict();
export const ZUpdateThreadBody = z.object({ metadata: ZMetadata }).strict();

export const ZListQuery = z.object({
  limit: ZDigits.pipe(z.number().min(1).max(100)).default(20),
  // A cursor is an id of the listed kind (thread_… or msg_…); checked by format like every id.
  after: z.string().regex(/^(thread|msg)_[A-Za-z0-9]{1,64}$/, 'must be a thread or message id').optional(),
  order: z.enum(['asc', 'desc']).default('asc'),
});

/** POST …/[tid]/runs: a new run for a question already in the thread (Retry). */
export const ZRerunMessageBody = z.object({
  messageId: ZMessageId,
  wait: z.boolean().default(true),
  challenge: ZChallengeSolutionField.optional(),
  // A Retry of a research question researches again ("Research this" on a quick answer asks it this way).
  mode: z.enum(RUN_MODES).default('quick'),
});

/** A docs page of this site, as the reader's browser names it: `/docs` or `/docs/<slug>`. */
export const ZDocsPagePath = z
  .string()
  .max(300)
  .regex(/^\/docs(\/[A-Za-z0-9._~-]+)*$/, 'must be a docs page path (/docs/…)');

/** An absolute http(s) address of reasonable length (a page the reader was on). */
export const ZHttpUrl = z
  .string()
  .max(2048)
  .refine((value) => {
    try {
      return /^https?:$/.test(new URL(value).protocol);
    } catch {
      return false;
    }
  }, 'must be an http(s) URL');

export const ZSendMessageBody = z.object({
  threadId: ZThreadId,
  // The length limit is checked after parsing so that an over-long message gets 413, not 400.
  // A message may be images alone (`images`): then `message` may be empty or left out.
  message: z.string().trim().default(''),
  // Screenshots (issue 71): base64 PNG, JPEG or WebP. Count, size (413) and type (415, from the bytes) are checked
  // after parsing (lib/assistant/images.ts), so that each gets its own status.
  images: z.array(z.object({ mediaType: z.string().max(100), data: z.string().min(1, 'image data must not be empty') }).strict()).max(100).optional(),
  // false: answer at once with the queued run (a client that follows it with the event stream). The default
  // waits for the run up to MESSAGE_WAIT_SECONDS, as the original route did.
  wait: z.boolean().default(true),
  // What the question is about. `page`: the docs page ("Ask about this page", a selection or code block on it):
  // search leans towards it. `quote`: the passage or code the reader selected ("Ask about this"), context for the
  // question (not the question); its length is checked after parsing (413, like the message's). `url` and `title`:
  // where a quote from a page outside the docs came from (the embed's host page).
  context: z
    .object({
      page: ZDocsPagePath.optional(),
      quote: z.string().trim().min(1, 'quote must not be empty').optional(),
      url: ZHttpUrl.optional(),
      title: z.string().trim().max(300).optional(),
    })
    .strict()
    .optional(),
  // A solved proof-of-work challenge (base64 JSON), sent again after a 429 challenge_required (lib/limits/challenge.ts).
  challenge: ZChallengeSolutionField.optional(),
  // "research" (issue 71): several searches and whole pages read, within RESEARCH_MAX_STEPS / RESEARCH_MAX_SECONDS.
  mode: z.enum(RUN_MODES).default('quick'),
}).refine((body) => body.message !== '' || (body.images?.length ?? 0) > 0, { message: 'message must not be empty (or send images)', path: ['message'] });

// Where a reader of a run's event stream resumes: Last-Event-ID (EventSource sends it when it reconnects),
// else ?cursor= (a page that reloaded builds it from the text it has). See lib/shared/stream-protocol.ts.
export const ZRunEventsCursor = z
  .string()
  .optional()
  .transform((value, ctx): TStreamCursor | null => {
    if (value === undefined || value.trim() === '') return null;
    const cursor = parseCursor(value);
    if (!cursor) {
      ctx.addIssue({ code: 'custom', message: 'must be an event id of this stream (<status>.<offset>.<hash>)' });
      return z.NEVER;
    }
    return cursor;
  });

export const ZSimpleCompletionBody = z.object({
  prompt: z.string().trim().min(1, 'prompt must not be empty').max(4000),
  context: z.string().max(8000).optional(),
});
