import { z } from 'zod';
import { ZMessageId, ZMetadata, ZRunId, ZThreadId } from '../assistant/schemas';
import { ZDigits, ZStorableText } from '../http/input';
import { parseCursor } from '../shared/stream-protocol';

// Request shapes of /v1, as OpenAI's Assistants API (v2) took them. What this server cannot do is refused by
// name (files, code_interpreter, file_search, image content) rather than silently ignored. Fields OpenAI had that
// change nothing here (temperature, tool_choice, response_format, truncation_strategy, …) are accepted,
// validated and echoed on the run; see content/docs/guides/assistants-api.mdx for what each does here.

export { ZMessageId, ZRunId, ZThreadId };
export const ZAssistantId = z.string().regex(/^asst_[A-Za-z0-9_-]{1,64}$/, 'must be an assistant id (asst_…)');
export const ZStepId = z.string().regex(/^step_[A-Za-z0-9]{1,64}$/, 'must be a run step id (step_…)');

/** Metadata as a create sets it: null values are not keys. */
const ZNewMetadata = ZMetadata.transform((metadata) =>
  Object.fromEntries(Object.entries(metadata).filter((entry): entry is [string, string] => entry[1] !== null)),
);

// A Map, looked up with the caller's `type`: `{"type": "constructor"}` must not find Object's member.
const UNSUPPORTED_TOOLS = new Map([
  ['code_interpreter', 'code_interpreter is not available on this server: it runs function tools only (your code runs them).'],
  ['file_search', 'file_search is not available on this server (it stores no files): give your assistant a function tool that searches.'],
]);

export const ZFunctionTool = z.object({
  type: z.literal('function'),
  function: z
    .object({
      name: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1 to 64 letters, digits, underscores or dashes'),
      description: z.string().max(1024).optional(),
      parameters: z.record(z.string(), z.unknown()).optional(),
      strict: z.boolean().nullable().optional(),
    })
    .strip(),
});

const ZTool = z.unknown().transform((value, ctx): z.infer<typeof ZFunctionTool> => {
  const type = (value as { type?: unknown } | null)?.type;
  const unsupported = typeof type === 'string' ? UNSUPPORTED_TOOLS.get(type) : undefined;
  if (unsupported !== undefined) {
    ctx.addIssue({ code: 'custom', message: unsupported, path: ['type'] });
    return z.NEVER;
  }
  const parsed = ZFunctionTool.safeParse(value);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path });
    return z.NEVER;
  }
  return parsed.data;
});
export const ZTools = z.array(ZTool).max(128, 'at most 128 tools');
export type TFunctionTool = z.infer<typeof ZFunctionTool>;

/** tool_resources name files (file_search, code_interpreter): none can be given here. */
const ZToolResources = z
  .unknown()
  .nullable()
  .optional()
  .refine((value) => !hasAny(value), 'tool_resources are not supported: this server stores no files or vector stores');

function hasAny(value: unknown): boolean {
  if (Array.isArray(value)) return value.length > 0;
  if (value !== null && typeof value === 'object') return Object.values(value).some(hasAny);
  return value !== null && value !== undefined;
}

/** A message's content: a string, or text parts (`[{type: "text", text}]`); images and files are refused. */
const ZMessageContent = z.union([
  z.string(),
  z
    .array(
      z.object({ type: z.string(), text: z.string().optional() }).superRefine((part, ctx) => {
        if (part.type !== 'text') ctx.addIssue({ code: 'custom', message: `content of type ${part.type} is not supported: text only`, path: ['type'] });
        else if (typeof part.text !== 'string') ctx.addIssue({ code: 'custom', message: 'a text part needs its text', path: ['text'] });
      }),
    )
    .min(1, 'content needs at least one part'),
]);

export const ZMessageInput = z.object({
  role: z.enum(['user', 'assistant']),
  content: ZMessageContent,
  attachments: z
    .array(z.unknown())
    .nullable()
    .optional()
    .refine((value) => !value || value.length === 0, 'attachments are not supported: this server stores no files'),
  metadata: ZNewMetadata.nullable().optional(),
});
export type TMessageInput = z.infer<typeof ZMessageInput>;

const ZResponseFormat = z.union([
  z.literal('auto'),
  z.object({ type: z.enum(['text', 'json_object']) }),
  z.object({ type: z.literal('json_schema'), json_schema: z.record(z.string(), z.unknown()) }),
]);

const ZToolChoice = z.union([
  z.enum(['none', 'auto', 'required']),
  z.object({ type: z.literal('function'), function: z.object({ name: z.string().min(1) }) }),
]);

const ZTemperature = z.number().min(0).max(2).nullable().optional();
const ZTopP = z.number().min(0).max(1).nullable().optional();

export const ZCreateAssistantBody = z.object({
  model: z.string().trim().min(1, 'model is required').max(256),
  name: z.string().max(256).nullable().optional(),
  description: z.string().max(512).nullable().optional(),
  instructions: z.string().max(256_000).nullable().optional(),
  tools: ZTools.optional(),
  tool_resources: ZToolResources,
  metadata: ZNewMetadata.nullable().optional(),
  temperature: ZTemperature,
  top_p: ZTopP,
  response_format: ZResponseFormat.nullable().optional(),
  reasoning_effort: z.enum(['minimal', 'low', 'medium', 'high']).nullable().optional(),
});

export const ZUpdateAssistantBody = z.object({
  model: z.string().trim().min(1).max(256).optional(),
  name: z.string().max(256).nullable().optional(),
  description: z.string().max(512).nullable().optional(),
  instructions: z.string().max(256_000).nullable().optional(),
  tools: ZTools.optional(),
  tool_resources: ZToolResources,
  metadata: ZMetadata.nullable().optional(),
  temperature: ZTemperature,
  top_p: ZTopP,
  response_format: ZResponseFormat.nullable().optional(),
  reasoning_effort: z.enum(['minimal', 'low', 'medium', 'high']).nullable().optional(),
});

export const ZCreateThreadBody = z.object({
  messages: z.array(ZMessageInput).max(32, 'at most 32 messages').nullable().optional(),
  metadata: ZNewMetadata.nullable().optional(),
  tool_resources: ZToolResources,
});

export const ZUpdateMetadataBody = z.object({ metadata: ZMetadata.nullable().optional(), tool_resources: ZToolResources });

export const ZCreateMessageBody = ZMessageInput;

/** The settings of a run that OpenAI's run object echoed; stored with the run (`options`). */
const runOptions = {
  temperature: ZTemperature,
  top_p: ZTopP,
  max_prompt_tokens: z.number().int().min(256).nullable().optional(),
  max_completion_tokens: z.number().int().min(256).nullable().optional(),
  truncation_strategy: z
    .object({ type: z.enum(['auto', 'last_messages']), last_messages: z.number().int().min(1).nullable().optional() })
    .nullable()
    .optional(),
  tool_choice: ZToolChoice.nullable().optional(),
  parallel_tool_calls: z.boolean().nullable().optional(),
  response_format: ZResponseFormat.nullable().optional(),
  reasoning_effort: z.enum(['minimal', 'low', 'medium', 'high']).nullable().optional(),
};
export const RUN_OPTION_KEYS = Object.keys(runOptions) as (keyof typeof runOptions)[];

const runOverrides = {
  assistant_id: ZAssistantId,
  model: z.string().trim().min(1).max(256).nullable().optional(),
  instructions: z.string().max(256_000).nullable().optional(),
  tools: ZTools.nullable().optional(),
  metadata: ZNewMetadata.nullable().optional(),
  stream: z.boolean().nullable().optional(),
  ...runOptions,
};

export const ZCreateRunBody = z.object({
  ...runOverrides,
  additional_instructions: z.string().max(256_000).nullable().optional(),
  additional_messages: z.array(ZMessageInput).max(32, 'at most 32 messages').nullable().optional(),
});
export type TCreateRunBody = z.infer<typeof ZCreateRunBody>;

export const ZCreateThreadAndRunBody = z.object({
  ...runOverrides,
  thread: ZCreateThreadBody.nullable().optional(),
  tool_resources: ZToolResources,
});
export type TCreateThreadAndRunBody = z.infer<typeof ZCreateThreadAndRunBody>;

export const ZSubmitToolOutputsBody = z.object({
  tool_outputs: z
    .array(z.object({ tool_call_id: z.string().min(1).max(128), output: z.string() }))
    .min(1, 'tool_outputs needs an output for each pending tool call'),
  stream: z.boolean().nullable().optional(),
});

/** limit, order, after, before: OpenAI's cursor pagination (newest first unless order=asc). */
const listPage = {
  limit: ZDigits.pipe(z.number().min(1).max(100)).default(20),
  order: z.enum(['asc', 'desc']).default('desc'),
  after: ZStorableText.min(1).max(100).optional(),
  before: ZStorableText.min(1).max(100).optional(),
};
export const ZListQuery = z.object(listPage);
export const ZListMessagesQuery = z.object({ ...listPage, run_id: ZRunId.optional() });
export type TListPageQuery = z.infer<typeof ZListQuery>;

export const ZAssistantParams = z.object({ aid: ZAssistantId });
export const ZThreadParams = z.object({ tid: ZThreadId });
export const ZMessageParams = z.object({ tid: ZThreadId, mid: ZMessageId });
export const ZRunParams = z.object({ tid: ZThreadId, rid: ZRunId });
export const ZStepParams = z.object({ tid: ZThreadId, rid: ZRunId, sid: ZStepId });

/** A /v1 stream's event id (Last-Event-ID or ?cursor=): what the reader was told, see lib/v1/stream.ts. */
export const ZApiStreamCursor = z
  .string()
  .optional()
  .transform((value, ctx) => {
    if (value === undefined || value.trim() === '') return null;
    const cursor = parseApiStreamCursor(value);
    if (!cursor) {
      ctx.addIssue({ code: 'custom', message: 'must be an event id of this stream' });
      return z.NEVER;
    }
    return cursor;
  });

export type TApiStreamCursor = {
  status: string | null;
  /** Tool rounds told as steps (created), and how many of those were told completed. */
  toolSteps: number;
  toolStepsDone: number;
  messageId: string | null;
  isMessageDone: boolean;
  /** The length of the answer text told, and its hash (hashText). */
  offset: number;
  hash: number;
};

const API_CURSOR = /^([a-z_]{1,20}|-)\.(\d{1,3})\.(\d{1,3})\.(msg_[A-Za-z0-9]{1,64}|-)\.([01])\.(\d{1,9})\.([0-9a-f]{8})$/;

export function encodeApiStreamCursor(cursor: TApiStreamCursor): string {
  return [
    cursor.status ?? '-',
    cursor.toolSteps,
    cursor.toolStepsDone,
    cursor.messageId ?? '-',
    cursor.isMessageDone ? 1 : 0,
    cursor.offset,
    cursor.hash.toString(16).padStart(8, '0'),
  ].join('.');
}

export function parseApiStreamCursor(value: string): TApiStreamCursor | null {
  const match = API_CURSOR.exec(value.trim());
  if (!match) return null;
  // The site's cursor parser checks the status is a run status; reused through a cursor of its own format.
  const status = match[1] === '-' ? null : (match[1] as string);
  if (status !== null && parseCursor(`${status}.0.00000000`) === null) return null;
  const toolSteps = Number(match[2]);
  const toolStepsDone = Number(match[3]);
  if (toolStepsDone > toolSteps) return null;
  return {
    status,
    toolSteps,
    toolStepsDone,
    messageId: match[4] === '-' ? null : (match[4] as string),
    isMessageDone: match[5] === '1',
    offset: Number(match[6]),
    hash: Number.parseInt(match[7] as string, 16),
  };
}
