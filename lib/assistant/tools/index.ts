import { listDocsAnchorsBySlugs } from '../../db/docs-index';
import type { TTextAnnotation, TToolCall } from '../../db/rows';
import { prepareDocsSearch, type TDocsSearchDeps } from '../../docs/search/search';
import { verifyDocsCitations } from '../../model/citations';
import type { TToolDeclaration, TToolDefinition } from '../../model/types';
import { createGetRelevantDocsTool, GET_RELEVANT_DOCS_DEFINITION, type TGetRelevantDocsDeps } from './get-relevant-docs';
import { createReadFileTool, READ_FILE_DEFINITION } from './read-file';
import { createReadPageTool, READ_PAGE_DEFINITION } from './read-page';
import type { TReaderAccess } from '../../audiences';
import type { TTool, TToolContext } from './tool';

// The assistant's tools, by name: the definitions a run offers the model, and `run(call)`, which finds the
// called tool by its name and runs it. One file per tool (./get-relevant-docs.ts, ./read-page.ts); ./tool.ts is
// their shape. A tool's file holds its name, its arguments' schema, what it does and how its output is shown and
// cited (its definition's `declares`, lib/model/types.ts): the model layer names no tool. Adding one is its file and
// its line in SITE_TOOLS.
//
// The dispatch path of a server-run tool call, hop by hop (the engine gets these tools from lib/app.ts,
// createSiteTools → createAssistantTools):
//   engine/execute.ts (the step that made the calls records them, then has them dispatched), engine/requests.ts
//   advanceRun (a reader finds the run in requires_action) or engine/sweeper.ts (nobody reads it)
//   → engine/dispatch.ts runRoundTools (dispatchToolCalls: one dispatch per round; submits the outputs with the next
//     step claimed, and executes that step)
//   or, with the pipelined tool round (engine/pipeline.ts), the step that made the calls runs them at once through
//   runRoundTools, sends the model their outputs, and records the round while the model works
//   → here, run(call): the tool by name, its arguments checked
//   → the tool's run (get-relevant-docs.ts: the docs search; read-page.ts: a page through the read gate)

export { defineTool, type TTool, type TToolContext } from './tool';
export {
  CONTENT_CHARS_PER_RESULT,
  GET_RELEVANT_DOCS,
  notInDocsNote,
  preferPage,
  RESULTS_PER_CALL,
  WEAK_RESULTS_NOTE,
} from './get-relevant-docs';
export { READ_PAGE, READ_PAGE_TEXT_CHARS } from './read-page';
export { READ_FILE, READ_FILE_LINES } from './read-file';

/**
 * What the site's tools are built over: the docs search's dependencies, the model's rerank, the site's URL, and
 * whether a code source is configured (DOCS_CODE_DIR or GITHUB_CODE_REPOS: lib/docs/sources hasCodeSource).
 */
type TSiteToolsDeps = TGetRelevantDocsDeps & { siteUrl?: string; hasCodeSource: boolean };

/**
 * The site assistant's tools, by name: each one's definition, and how it is built over the dependencies.
 * `isCodeOnly`: offered only with a code source; without one it could only answer "not indexed", and a model offered
 * it would spend steps on it.
 */
const SITE_TOOLS: { definition: TToolDefinition; create(deps: TSiteToolsDeps): TTool; isCodeOnly?: boolean }[] = [
  { definition: GET_RELEVANT_DOCS_DEFINITION, create: createGetRelevantDocsTool },
  { definition: READ_PAGE_DEFINITION, create: createReadPageTool },
  { definition: READ_FILE_DEFINITION, create: createReadFileTool, isCodeOnly: true },
];

/** Every tool the site has, as a site with a code source offers them (without one, read_file is left out: siteTools). */
export const TOOL_DEFINITIONS: TToolDefinition[] = SITE_TOOLS.map((tool) => tool.definition);

/** What the site's tool of this name declares to the model layer (lib/model/types.ts); undefined for any other name. */
export function siteToolDeclaration(name: string): TToolDeclaration | undefined {
  return SITE_TOOLS.find((tool) => tool.definition.name === name)?.definition.declares;
}

export type TToolRegistry = {
  definitions: TToolDefinition[];
  /** Runs one call. Bad arguments or an unknown tool become an output that says so, for the model to recover. */
  run(call: TToolCall, context: TToolContext): Promise<string>;
};

/** A registry of these tools, found by their definitions' names (unique). */
export function createToolRegistry(tools: TTool[]): TToolRegistry {
  const byName = new Map(tools.map((tool) => [tool.definition.name, tool]));
  if (byName.size !== tools.length) throw new Error('Two tools of one registry have the same name.');
  const names = tools.map((tool) => tool.definition.name);
  const known = names.length === 1 ? `The only tool is ${names[0]}.` : `The tools are ${names.join(', ')}.`;
  return {
    definitions: tools.map((tool) => tool.definition),
    async run(call, context) {
      const tool = byName.get(call.function.name);
      if (!tool) return JSON.stringify({ error: `Unknown tool "${call.function.name}". ${known}` });
      let bound: ReturnType<TTool['bind']>;
      try {
        bound = tool.bind(JSON.parse(call.function.arguments));
      } catch {
        bound = null;
      }
      if (!bound) {
        return JSON.stringify({ error: `Invalid arguments for ${tool.definition.name}: expected JSON like ${tool.argumentsExample}.` });
      }
      return bound(context);
    },
  };
}

/**
 * What the tools use, the site's URL, against which an answer's links are checked, and whether a code source is
 * configured (read_file is offered only then).
 */
export type TAssistantToolsDeps = TGetRelevantDocsDeps & { siteUrl: string; hasCodeSource: boolean };

/**
 * The site assistant's tools over these dependencies (get_relevant_docs, the docs search; read_page, a page read;
 * read_file, a source file's lines, only with a code source).
 */
function siteTools(deps: TSiteToolsDeps): TTool[] {
  return SITE_TOOLS.filter((tool) => deps.hasCodeSource || !tool.isCodeOnly).map((tool) => tool.create(deps));
}

/**
 * The site assistant's tools, run by this server, as the run engine takes them: the registry's definitions and
 * `run`, and `verifyAnswer`, which checks the docs links of an answer against the index before it is stored
 * (see verifyDocsCitations).
 */
export function createAssistantTools(deps: TAssistantToolsDeps) {
  const registry = createToolRegistry(siteTools(deps));
  return {
    definitions: registry.definitions,
    run: registry.run,
    // Both tools read the docs index (the search ranks it, a page read finds its page in it): it is readied while the
    // model works on a step that may call one.
    prepare: () => prepareDocsSearch(deps),
    verifyAnswer: async (answer: { text: string; annotations: TTextAnnotation[] }) => {
      const checked = await verifyDocsCitations({
        ...answer,
        siteUrl: deps.siteUrl,
        resolveAnchors: (slugs) => listDocsAnchorsBySlugs({ db: deps.db, slugs }),
      });
      if (checked.dropped + checked.repaired > 0) {
        deps.log.info({ dropped: checked.dropped, repaired: checked.repaired }, 'answer links checked against the docs index');
      }
      return { text: checked.text, annotations: checked.annotations };
    },
  };
}

/** Runs one call with the site's tools (createAssistantTools's `run` without the rest). */
export async function runToolCall({
  deps,
  call,
  page,
  version,
  access,
}: {
  /**
   * `siteUrl`: absolute URLs of this site are its pages to read_page (absent: only paths are). `hasCodeSource`:
   * read_file is one of the tools (absent: it is not, and a call of it is answered as an unknown tool's).
   */
  deps: TDocsSearchDeps & Pick<TGetRelevantDocsDeps, 'rerank'> & { siteUrl?: string; hasCodeSource?: boolean };
  call: TToolCall;
  /** Who asks (lib/audiences): what the tool may read. */
  access: TReaderAccess;
  page?: string;
  /** The conversation's version of versioned docs (run metadata `version`). */
  version?: string;
}): Promise<string> {
  return createToolRegistry(siteTools({ ...deps, hasCodeSource: deps.hasCodeSource ?? false })).run(call, { page, access, ...(version !== undefined ? { version } : {}) });
}
