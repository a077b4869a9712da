import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createToolRegistry, defineTool, GET_RELEVANT_DOCS, READ_FILE, READ_PAGE, TOOL_DEFINITIONS, type TTool } from '@/lib/assistant/tools';
import type { TToolCall } from '@/lib/db/rows';
import { PUBLIC_ACCESS } from '@/lib/audiences';

// The registry finds a tool by the name the model called, checks its arguments against the tool's schema and
// runs it; what it cannot run becomes an output that says why, for the model to recover.

function toolNamed(name: string, reply: (args: { word: string }, page?: string) => string): TTool {
  return defineTool({
    definition: { type: 'function', name, description: `The ${name} tool.`, parameters: { type: 'object', properties: { word: { type: 'string' } }, required: ['word'] } },
    schema: z.object({ word: z.string().min(1) }),
    argumentsExample: '{"word": "a word"}',
    run: async (args, context) => reply(args, context.page),
  });
}

const call = (name: string, args: string): TToolCall => ({ id: `call_${name}`, type: 'function', function: { name, arguments: args } });

describe('tool registry', () => {
  const shout = toolNamed('shout', ({ word }) => word.toUpperCase());
  const echo = toolNamed('echo', ({ word }, page) => `${word} on ${page ?? 'no page'}`);
  const registry = createToolRegistry([shout, echo]);

  it('offers every tool it holds, in order', () => {
    expect(registry.definitions.map((definition) => definition.name)).toEqual(['shout', 'echo']);
    expect(registry.definitions).toEqual([shout.definition, echo.definition]);
  });

  it('runs each call with the tool it names, handing it the context', async () => {
    expect(await registry.run(call('shout', '{"word":"hello"}'), { access: PUBLIC_ACCESS })).toBe('HELLO');
    expect(await registry.run(call('echo', '{"word":"hello"}'), { access: PUBLIC_ACCESS, page: '/docs/setup' })).toBe('hello on /docs/setup');
    expect(await registry.run(call('echo', '{"word":"hello"}'), { access: PUBLIC_ACCESS })).toBe('hello on no page');
  });

  it('answers an unknown tool with the names it has', async () => {
    expect(JSON.parse(await registry.run(call('search_web', '{"word":"x"}'), { access: PUBLIC_ACCESS }))).toEqual({ error: 'Unknown tool "search_web". The tools are shout, echo.' });
  });

  it('answers arguments that are no JSON, or do not fit the schema, with the JSON expected', async () => {
    const expected = { error: 'Invalid arguments for echo: expected JSON like {"word": "a word"}.' };
    expect(JSON.parse(await registry.run(call('echo', '{"word":'), { access: PUBLIC_ACCESS }))).toEqual(expected);
    expect(JSON.parse(await registry.run(call('echo', '{"word":""}'), { access: PUBLIC_ACCESS }))).toEqual(expected);
    expect(JSON.parse(await registry.run(call('echo', '{"other":"x"}'), { access: PUBLIC_ACCESS }))).toEqual(expected);
  });

  it('refuses two tools of one name', () => {
    expect(() => createToolRegistry([shout, toolNamed('shout', () => '')])).toThrow(/same name/);
  });

  it('says so when it holds one tool', async () => {
    const only = createToolRegistry([echo]);
    expect(JSON.parse(await only.run(call('shout', '{"word":"x"}'), { access: PUBLIC_ACCESS }))).toEqual({ error: 'Unknown tool "shout". The only tool is echo.' });
  });

  it("offers the site assistant's tools: the docs search, then a page read (issue 68), then a source file's lines (issue 70)", () => {
    expect(TOOL_DEFINITIONS.map((definition) => definition.name)).toEqual([GET_RELEVANT_DOCS, READ_PAGE, READ_FILE]);
  });
});
