import { describe, expect, it } from 'vitest';
import { toolsOfRun } from '@/lib/assistant/engine';
import { toMessageObject } from '@/lib/assistant/objects';
import { createOfflineModel, OFFLINE_NO_DOCS_TOOL_TEXT } from '@/lib/model/offline';
import { TOOL_DEFINITIONS } from '@/lib/assistant/tools';
import { isConfigError, parseConfig } from '@/lib/config';
import type { TAssistantRow } from '@/lib/db/api-assistants';
import type { TMessageRow, TRunRow } from '@/lib/db/rows';
import { AppError, ERROR_STATUS, isAppError, type TErrorCode } from '@/lib/errors';
import { parseWith } from '@/lib/http';
import { toOpenAiError } from '@/lib/http/openai-errors';
import { hashApiKey } from '@/lib/v1/key-hash';
import { authenticateApiKey, generateApiKey, keyIdOfOwner, ownerOfKey } from '@/lib/v1/keys';
import { listRunSteps, toApiMessageObject, toApiRunObject, toAssistantObject } from '@/lib/v1/objects';
import {
  encodeApiStreamCursor,
  parseApiStreamCursor,
  ZCreateAssistantBody,
  ZCreateRunBody,
  ZCreateThreadBody,
  ZListQuery,
  ZSubmitToolOutputsBody,
} from '@/lib/v1/schemas';
import { runSpecFor } from '@/lib/v1/service';

// The mapping between OpenAI's Assistants API and this server: request validation, objects, errors, run steps,
// stream cursors and keys, without a database (tests/integration/v1-api.test.ts runs them over HTTP).

const NOW = '2026-11-22T10:00:00.000Z';

function runRow(overrides: Partial<TRunRow> = {}): TRunRow {
  return {
    id: 'run_1',
    thread_id: 'thread_1',
    status: 'completed',
    model: 'gpt-4o',
    instructions: 'Be kind.',
    tools: [],
    required_action: null,
    tool_rounds: [],
    last_error: null,
    incomplete_details: null,
    usage: null,
    metadata: {},
    max_tool_rounds: 20,
    max_attempts: 3,
    attempts: 1,
    lease_expires_at: null,
    is_lease_stale: false,
    created_at: NOW,
    started_at: NOW,
    expires_at: NOW,
    cancelled_at: null,
    failed_at: null,
    completed_at: NOW,
    updated_at: NOW,
    assistant_id: 'asst_1',
    has_client_tools: true,
    options: {},
    ...overrides,
  };
}

function messageRow(overrides: Partial<TMessageRow> = {}): TMessageRow {
  return {
    id: 'msg_1',
    thread_id: 'thread_1',
    run_id: 'run_1',
    role: 'assistant',
    content: [{ type: 'text', text: { value: 'Hi', annotations: [] } }],
    metadata: {},
    created_at: NOW,
    status: 'completed',
    incomplete_details: null,
    completed_at: NOW,
    incomplete_at: null,
    assistant_id: 'asst_1',
    ...overrides,
  };
}

const call = { id: 'call_1', type: 'function' as const, function: { name: 'lookup', arguments: '{}' } };

function refusal(schema: Parameters<typeof parseWith>[0], value: unknown): AppError {
  try {
    parseWith(schema, value);
  } catch (error) {
    if (isAppError(error)) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('errors in OpenAI’s shape', () => {
  it('keep the site’s statuses and say type, param and code as OpenAI did', () => {
    const types = Object.fromEntries(
      (Object.keys(ERROR_STATUS) as TErrorCode[]).map((code) => [code, toOpenAiError(new AppError(code, 'Nope.')).error.type]),
    );
    expect(types).toEqual({
      bad_request: 'invalid_request_error',
      unauthorized: 'invalid_request_error',
      forbidden: 'invalid_request_error',
      origin_not_allowed: 'invalid_request_error',
      not_found: 'invalid_request_error',
      method_not_allowed: 'invalid_request_error',
      conflict: 'invalid_request_error',
      handoff_not_configured: 'invalid_request_error',
      handoff_needs_answer: 'invalid_request_error',
      payload_too_large: 'invalid_request_error',
      unsupported_media_type: 'invalid_request_error',
      rate_limited: 'requests',
      challenge_required: 'requests',
      internal: 'server_error',
      unavailable: 'server_error',
    });
    expect(toOpenAiError(new AppError('unauthorized', 'Bad key.'))).toEqual({ error: { message: 'Bad key.', type: 'invalid_request_error', param: null, code: 'invalid_api_key' } });
    expect(toOpenAiError(new AppError('rate_limited', 'Slow down.')).error.code).toBe('rate_limit_exceeded');
    expect(toOpenAiError(refusal(ZCreateAssistantBody, { model: 'm', temperature: 3 })).error.param).toBe('temperature');
  });
});

describe('request validation', () => {
  it('refuses tools, content and attachments this server cannot serve, by name and field', () => {
    const tool = refusal(ZCreateAssistantBody, { model: 'm', tools: [{ type: 'function', function: { name: 'ok' } }, { type: 'file_search' }] });
    expect(tool.param).toBe('tools.1.type');
    expect(tool.message).toContain('file_search is not available');
    expect(refusal(ZCreateAssistantBody, { model: 'm', tools: [{ type: 'function', function: { name: 'has space' } }] }).param).toBe('tools.0.function.name');
    expect(refusal(ZCreateThreadBody, { messages: [{ role: 'user', content: [{ type: 'image_file', image_file: { file_id: 'f' } }] }] }).message).toContain('image_file');
    expect(refusal(ZCreateThreadBody, { messages: [{ role: 'system', content: 'x' }] }).param).toBe('messages.0.role');
    expect(refusal(ZCreateThreadBody, { tool_resources: { file_search: { vector_store_ids: ['vs_1'] } } }).param).toBe('tool_resources');
    expect(refusal(ZCreateThreadBody, { metadata: Object.fromEntries(Array.from({ length: 17 }, (_, index) => [`k${index}`, 'v'])) }).param).toBe('metadata');
    expect(refusal(ZSubmitToolOutputsBody, { tool_outputs: [] }).param).toBe('tool_outputs');
    expect(refusal(ZCreateRunBody, { assistant_id: 'asst_1', tool_choice: 'sometimes' }).param).toBe('tool_choice');
  });

  it('takes what OpenAI took: text parts, empty tool_resources, nullable fields, list defaults', () => {
    const thread = parseWith(ZCreateThreadBody, {
      messages: [{ role: 'user', content: [{ type: 'text', text: 'a' }, { type: 'text', text: 'b' }], attachments: [], metadata: { k: 'v' } }],
      tool_resources: { code_interpreter: { file_ids: [] } },
    });
    expect(thread.messages?.[0]).toMatchObject({ role: 'user', metadata: { k: 'v' } });
    const run = parseWith(ZCreateRunBody, { assistant_id: 'asst_1', model: null, instructions: null, tools: null, stream: null, tool_choice: { type: 'function', function: { name: 'lookup' } } });
    expect(run.tool_choice).toEqual({ type: 'function', function: { name: 'lookup' } });
    expect(parseWith(ZListQuery, {})).toEqual({ limit: 20, order: 'desc' });
    expect(parseWith(ZListQuery, { limit: '5', order: 'asc', after: 'msg_1' })).toEqual({ limit: 5, order: 'asc', after: 'msg_1' });
  });
});

describe('runs: the assistant’s settings, overridden per run', () => {
  const assistant: TAssistantRow = {
    id: 'asst_1',
    created_at: NOW,
    name: 'A',
    description: null,
    model: 'gpt-4o',
    instructions: 'Base.',
    tools: [{ type: 'function', function: { name: 'lookup' } }],
    metadata: {},
    temperature: 0.5,
    top_p: null,
    response_format: null,
  };

  it('take the assistant’s model, instructions and tools unless the run names its own', () => {
    expect(runSpecFor(assistant, {})).toEqual({
      assistantId: 'asst_1',
      model: 'gpt-4o',
      instructions: 'Base.',
      tools: assistant.tools,
      metadata: {},
      options: { temperature: 0.5 },
    });
    const spec = runSpecFor(assistant, {
      model: 'llama3',
      instructions: 'Other.',
      additional_instructions: 'Also this.',
      tools: [],
      metadata: { a: 'b' },
      temperature: 0,
      tool_choice: 'none',
    });
    expect(spec).toMatchObject({ model: 'llama3', instructions: 'Other.\n\nAlso this.', tools: [], metadata: { a: 'b' }, options: { temperature: 0, tool_choice: 'none' } });
    expect(runSpecFor({ ...assistant, instructions: null }, { additional_instructions: 'Only this.' }).instructions).toBe('Only this.');
  });

  it('offer the model the run’s own function tools when the client runs them, none for tool_choice none, and the server’s otherwise', () => {
    const tools = [{ type: 'function', function: { name: 'lookup', description: 'Looks up.', parameters: { type: 'object', properties: { q: { type: 'string' } } } } }];
    expect(toolsOfRun({ has_client_tools: true, tools, options: {} }, TOOL_DEFINITIONS)).toEqual([
      { type: 'function', name: 'lookup', description: 'Looks up.', parameters: { type: 'object', properties: { q: { type: 'string' } } } },
    ]);
    expect(toolsOfRun({ has_client_tools: true, tools, options: { tool_choice: 'none' } }, TOOL_DEFINITIONS)).toEqual([]);
    expect(toolsOfRun({ has_client_tools: false, tools: [], options: {} }, TOOL_DEFINITIONS)).toBe(TOOL_DEFINITIONS);
  });

  it('meet the offline model: it searches through a get_relevant_docs tool when offered one, and says it needs one otherwise', async () => {
    const input = [{ type: 'message' as const, role: 'user' as const, content: 'How do I configure Slack?' }];
    const withDocs = await createOfflineModel().respond({ instructions: '', input, tools: toolsOfRun({ has_client_tools: true, tools: [{ type: 'function', function: { name: 'get_relevant_docs' } }], options: {} }, []) });
    expect(withDocs.output).toMatchObject({ type: 'tool_calls', calls: [{ name: 'get_relevant_docs' }] });
    const without = await createOfflineModel().respond({ instructions: '', input, tools: toolsOfRun({ has_client_tools: true, tools: [{ type: 'function', function: { name: 'lookup_order' } }], options: {} }, []) });
    expect(without.output).toMatchObject({ type: 'message', text: OFFLINE_NO_DOCS_TOOL_TEXT });
  });
});

describe('objects', () => {
  it('echo a run’s settings with OpenAI’s defaults, and only string metadata', () => {
    const run = toApiRunObject(runRow({ metadata: { page: '/docs', count: 3 }, options: { temperature: 0.2, tool_choice: 'required' } }));
    expect(run).toMatchObject({
      object: 'thread.run',
      assistant_id: 'asst_1',
      metadata: { page: '/docs' },
      temperature: 0.2,
      top_p: 1,
      tool_choice: 'required',
      parallel_tool_calls: true,
      response_format: 'auto',
      truncation_strategy: { type: 'auto', last_messages: null },
      max_prompt_tokens: null,
      max_completion_tokens: null,
      expires_at: null,
      completed_at: expect.any(Number),
    });
    expect(toApiMessageObject(messageRow({ metadata: { offline: true, topic: 'x' } }))).toMatchObject({ assistant_id: 'asst_1', metadata: { topic: 'x' } });
    expect(toApiMessageObject(messageRow({ role: 'user', run_id: null, assistant_id: null })).assistant_id).toBeNull();
    // A maintainer's reply from Slack: who wrote it stays on the server, in /v1 as on the site.
    const reply = messageRow({ run_id: null, metadata: { author: 'maintainer', author_name: 'Ana', slack_user: 'U0ANA', slack_ts: '1700000000.000100' } });
    expect(toApiMessageObject(reply).metadata).toEqual({ author: 'maintainer' });
    expect(toMessageObject(reply).metadata).toEqual({ author: 'maintainer' });
    expect(toAssistantObject({ id: 'asst_1', created_at: NOW, name: null, description: null, model: 'm', instructions: null, tools: [], metadata: {}, temperature: null, top_p: null, response_format: null })).toMatchObject({ temperature: 1, top_p: 1, response_format: 'auto', tool_resources: {} });
  });

  it('read run steps off the run: a tool round in progress until its outputs come, ended as its run ended', () => {
    const waiting = runRow({ status: 'requires_action', completed_at: null, tool_rounds: [{ tool_calls: [call] }] });
    expect(listRunSteps(waiting, null).map((step) => [step.type, step.status])).toEqual([['tool_calls', 'in_progress']]);
    const answered = runRow({ tool_rounds: [{ tool_calls: [call], tool_outputs: [{ tool_call_id: 'call_1', output: 'out' }] }] });
    const steps = listRunSteps(answered, messageRow());
    expect(steps.map((step) => [step.type, step.status])).toEqual([
      ['tool_calls', 'completed'],
      ['message_creation', 'completed'],
    ]);
    expect(steps[0]!.step_details).toEqual({ type: 'tool_calls', tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'lookup', arguments: '{}', output: 'out' } }] });
    // Ids are the same on every read: derived from the run and the round.
    expect(listRunSteps(answered, messageRow())[0]!.id).toBe(steps[0]!.id);
    expect(steps[0]!.id).toMatch(/^step_[0-9a-f]{24}$/);
    expect(steps[0]!.id).not.toBe(steps[1]!.id);
    const cancelled = runRow({ status: 'cancelled', cancelled_at: NOW, completed_at: null, tool_rounds: [{ tool_calls: [call] }] });
    expect(listRunSteps(cancelled, null).map((step) => step.status)).toEqual(['cancelled']);
    const failed = runRow({ status: 'failed', failed_at: NOW, completed_at: null, last_error: { code: 'server_error', message: 'x' } });
    expect(listRunSteps(failed, messageRow({ status: 'incomplete' }))[0]).toMatchObject({ status: 'failed', last_error: { code: 'server_error' } });
  });
});

describe('stream cursors', () => {
  it('round-trip what a reader was told, and refuse what is not one', () => {
    const cursor = { status: 'in_progress', toolSteps: 2, toolStepsDone: 1, messageId: 'msg_abc', isMessageDone: false, offset: 12, hash: 0xdeadbeef };
    expect(parseApiStreamCursor(encodeApiStreamCursor(cursor))).toEqual(cursor);
    const fresh = { status: null, toolSteps: 0, toolStepsDone: 0, messageId: null, isMessageDone: false, offset: 0, hash: 1 };
    expect(parseApiStreamCursor(encodeApiStreamCursor(fresh))).toEqual(fresh);
    expect(parseApiStreamCursor('in_progress.1.2.-.0.0.00000000')).toBeNull();
    expect(parseApiStreamCursor('sleeping.0.0.-.0.0.00000000')).toBeNull();
    expect(parseApiStreamCursor('completed.12.00000000')).toBeNull();
  });
});

describe('API keys', () => {
  it('are made with a prefix and 32 random bytes, kept as a hash, owned by an owner no session can be', () => {
    const { key, hash, hint } = generateApiKey();
    expect(key).toMatch(/^pa-sk-[A-Za-z0-9_-]{43}$/);
    expect(hash).toBe(hashApiKey(key));
    expect(hint).toBe(`pa-sk-…${key.slice(-4)}`);
    expect(generateApiKey().key).not.toBe(key);
    expect(keyIdOfOwner(ownerOfKey('key_1'))).toBe('key_1');
    expect(keyIdOfOwner('AbCdEfGhIjKlMnOpQrStUv')).toBeNull();
  });

  it('come from API_KEYS (as hashes, never the keys) and authenticate a Bearer header', async () => {
    const config = parseConfig({ API_KEYS: ' first-key-0123456789abc , second-key-0123456789abc ' });
    expect(config.api.envKeys).toEqual([
      { id: `key_env_${hashApiKey('first-key-0123456789abc').slice(0, 16)}`, hash: hashApiKey('first-key-0123456789abc') },
      { id: `key_env_${hashApiKey('second-key-0123456789abc').slice(0, 16)}`, hash: hashApiKey('second-key-0123456789abc') },
    ]);
    expect(JSON.stringify(config)).not.toContain('first-key-0123456789abc');
    const deps = { db: { rpc: async () => null } as never, config };
    await expect(authenticateApiKey({ deps, authorization: 'Bearer second-key-0123456789abc' })).resolves.toEqual({ id: config.api.envKeys[1]!.id, audiences: [] });
    await expect(authenticateApiKey({ deps, authorization: 'bearer first-key-0123456789abc' })).resolves.toEqual({ id: config.api.envKeys[0]!.id, audiences: [] });
    await expect(authenticateApiKey({ deps, authorization: undefined })).rejects.toMatchObject({ code: 'unauthorized' });
    await expect(authenticateApiKey({ deps, authorization: 'Bearer nope-0123456789abcdefgh' })).rejects.toMatchObject({ code: 'unauthorized' });
    await expect(authenticateApiKey({ deps, authorization: 'Basic Zm9vOmJhcg==' })).rejects.toMatchObject({ code: 'unauthorized' });
  });

  it('in API_KEYS must be long enough to be secret', () => {
    let error: unknown;
    try {
      parseConfig({ API_KEYS: 'short' });
    } catch (caught) {
      error = caught;
    }
    expect(isConfigError(error)).toBe(true);
    expect((error as Error).message).toMatch(/^API_KEYS: /);
  });
});
