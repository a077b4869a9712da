import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { toolsOfRun } from '@/lib/assistant/engine';
import { TOOL_DEFINITIONS } from '@/lib/assistant/tools';
import { createOfflineModel, OFFLINE_NO_DOCS_TOOL_TEXT } from '@/lib/model/offline';
import type { TToolDefinition } from '@/lib/model/types';

// Issue 68: the model layer (lib/model) names no tool. A tool is one file of lib/assistant/tools, which declares how
// its output is shown and cited (TToolDefinition.declares); citations, the context's cap and the offline model work
// from that declaration and from the passages envelope, so a second tool needs no edit in lib/model. This reads every
// file of lib/model for the name of each tool the site offers (code, strings and comments alike), the constants that
// held them, and any import of the tools' folder.

const ROOT = path.resolve(__dirname, '../..');
const MODEL_DIR = path.join(ROOT, 'lib/model');

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(full) : /\.(ts|tsx|mts)$/.test(entry.name) ? [full] : [];
  });
}

const files = filesUnder(MODEL_DIR).map((file) => ({ file: path.relative(ROOT, file), text: readFileSync(file, 'utf8') }));

/** A tool's name as code would spell it: `get_relevant_docs`, and its constant's `GET_RELEVANT_DOCS`. */
const spellings = (name: string) => [name, name.toUpperCase()];

describe('the model layer (lib/model)', () => {
  it('holds files to read, and the site offers tools to look for', () => {
    expect(files.length).toBeGreaterThan(10);
    expect(TOOL_DEFINITIONS.length).toBeGreaterThanOrEqual(2);
  });

  it.each(TOOL_DEFINITIONS.map((definition) => definition.name))('never names the tool %s', (name) => {
    const naming = files.filter(({ text }) => spellings(name).some((spelling) => text.includes(spelling))).map(({ file }) => file);
    expect(naming).toEqual([]);
  });

  it('imports nothing of the tools folder (lib/assistant/tools), by any path', () => {
    const importing = files
      .filter(({ file, text }) =>
        [...text.matchAll(/(?:from|import)\s*\(?\s*['"]([^'"]+)['"]/g)].some(([, specifier]) => {
          const target = specifier!.startsWith('@/') ? specifier!.slice(2) : path.relative(ROOT, path.resolve(path.dirname(path.join(ROOT, file)), specifier!));
          return target === 'lib/assistant/tools' || target.startsWith('lib/assistant/tools/') || target === 'lib/assistant';
        }),
      )
      .map(({ file }) => file);
    expect(importing).toEqual([]);
  });

  it('offers every site tool with a declaration of its output and offline role', () => {
    for (const definition of TOOL_DEFINITIONS) {
      expect(definition.declares, definition.name).toMatchObject({ output: 'passages', role: expect.stringMatching(/^(search|read|file)$/) });
    }
    expect(TOOL_DEFINITIONS.filter((definition) => definition.declares?.role === 'search')).toHaveLength(1);
    // One tool reads a page by its URL (the offline research's reads); read_file reads lines by path, so it is not one.
    expect(TOOL_DEFINITIONS.filter((definition) => definition.declares?.role === 'read').map((definition) => definition.name)).toEqual(['read_page']);
  });
});

describe('the offline model works from what a tool declares, not its name', () => {
  const input = [{ type: 'message' as const, role: 'user' as const, content: 'How do I configure Slack?' }];
  const tool = (name: string, declares?: TToolDefinition['declares']): TToolDefinition => ({ type: 'function', name, description: '', parameters: {}, ...(declares ? { declares } : {}) });
  const respond = (tools: TToolDefinition[]) => createOfflineModel().respond({ instructions: '', input, tools });

  it('searches through the tool that declares the role "search", whatever its name', async () => {
    const output = (await respond([tool('read_it', { output: 'passages', role: 'read' }), tool('find_docs', { output: 'passages', role: 'search' })])).output;
    expect(output).toEqual({ type: 'tool_calls', calls: [{ call_id: 'call_offline_0', name: 'find_docs', arguments: '{"prompt":"How do I configure Slack?"}' }] });
  });

  it('asks for no read, and takes a tool without the declaration for none, whatever its name', async () => {
    expect((await respond([tool('read_page', { output: 'passages', role: 'read' })])).output).toMatchObject({ type: 'message', text: OFFLINE_NO_DOCS_TOOL_TEXT });
    expect((await respond([tool('get_relevant_docs')])).output).toMatchObject({ type: 'message', text: OFFLINE_NO_DOCS_TOOL_TEXT });
  });

  it("takes a /v1 client's tool named as one of the site's for that tool (the engine gives it the declaration)", () => {
    const [own, search] = toolsOfRun({ has_client_tools: true, tools: [{ type: 'function', function: { name: 'lookup' } }, { type: 'function', function: { name: 'get_relevant_docs' } }], options: {} }, []);
    expect(own?.declares).toBeUndefined();
    expect(search?.declares).toEqual({ output: 'passages', role: 'search' });
  });
});
