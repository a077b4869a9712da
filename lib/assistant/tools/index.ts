import { listDocsAnchorsBySlugs } from '../../db/docs-index';
import type { TTextAnnotation, TToolCall } from '../../db/rows';
import { prepareDocsSearch, type TDocsSearchDeps } from '../../docs/search/search';
import { verifyDocsCitations } from '../../model/citations';
import type { TToolDefinition } from '../../model/types';
import { createGetRelevantDocsTool, GET_RELEVANT_DOCS_DEFINITION, type TGetRelevantDocsDeps } from './get-relevant-docs';
import type { TTool, TToolContext } from './tool';

// The assistant's tools, by name: the definitions a run offers the model, and `run(call)`, which finds the
// called tool by its name and runs it. One file per tool (./get-relevant-docs.ts); ./tool.ts is their shape.
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
//   → the tool's run (get-relevant-docs.ts: the docs search)

export { defineTool, type TTool, type TToolContext } from './tool';
export {
  CONTENT_CHARS_PER_RESULT,
  GET_RELEVANT_DOCS,
  notInDocsNote,
  preferPage,
  RESULTS_PER_CALL,
  WEAK_RESULTS_NOTE,
} from './get-relevant-docs';

/** The site assistant's tools, by name: each one's definition, and how it is built over the dependencies. */
const SITE_TOOLS: { definition: TToolDefinition; create(deps: TGetRelevantDocsDeps): TTool }[] = [
  { definition: GET_RELEVANT_DOCS_DEFINITION, create: createGetRelevantDocsTool },
];

/** What the site's assistant offers the model. */
export const TOOL_DEFINITIONS: TToolDefinition[] = SITE_TOOLS.map((tool) => tool.definition);

export type TToolRegistry = {
  definitions: TToolDefinition[];
  /** Runs one call. Bad arguments or an unknown tool become an output that says so, for the model to recover. */
  run(call: TToolCall, context?: TToolContext): Promise<string>;
};

/** A registry of these tools, found by their definitions' names (unique). */
export function createToolRegistry(tools: TTool[]): TToolRegistry {
  const byName = new Map(tools.map((tool) => [tool.definition.name, tool]));
  if (byName.size !== tools.length) throw new Error('Two tools of one registry have the same name.');
  const names = tools.map((tool) => tool.definition.name);
  const known = names.length === 1 ? `The only tool is ${names[0]}.` : `The tools are ${names.join(', ')}.`;
  return {
    definitions: tools.map((tool) => tool.definition),
    async run(call, context = {}) {
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

/** What the tools use, and the site's URL, against which an answer's links are checked. */
export type TAssistantToolsDeps = TGetRelevantDocsDeps & { siteUrl: string };

/** The site assistant's tools over these dependencies (today one: get_relevant_docs, the docs search). */
function siteTools(deps: TGetRelevantDocsDeps): TTool[] {
  return SITE_TOOLS.map((tool) => tool.create(deps));
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
    // The docs search is the only tool: its index is readied while the model works on a step that may call it.
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
}: {
  deps: TDocsSearchDeps & Pick<TGetRelevantDocsDeps, 'rerank'>;
  call: TToolCall;
  page?: string;
  /** The conversation's version of versioned docs (run metadata `version`). */
  version?: string;
}): Promise<string> {
  return createToolRegistry(siteTools(deps)).run(call, { page, ...(version !== undefined ? { version } : {}) });
}
