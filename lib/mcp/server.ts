import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { RUN_MODES, type TRunMode } from '../shared/runs';
import type { TReaderAccess } from '../audiences';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { getMarkdownPage, markdownUrl } from '../docs/agents/markdown';
import { isFolderPageReadable, readFolderNavOfEveryVersion, type TFolderRules } from '../docs/gate/folder-nav';
import { readSiteName } from '../docs/site/site-config';
import { hasCodeSource, type TCodeSettings } from '../docs/sources';
import { KNOWN_SOURCES_TEXT, ZSourcesFilter } from '../docs/search/kinds';
import { MAX_QUERY_CHARS, searchDocs, type TDocsSearchDeps } from '../docs/search/search';
import { READ_FILE, runToolCall } from '../assistant/tools';
import { isAppError } from '../errors';
import { docsTitleName } from '../shared/site';
import type { TClient } from '../limits';
import type { TLogger } from '../log';
import { askDocs, type TAskDeps } from './ask';
import { resolveDocPage } from './pages';
import { MCP_SERVER_VERSION, mcpServerName } from './identity';

// The docs as an MCP server: its tools (read_file only when code is indexed) and every page as a resource. One server is built per HTTP request
// (the transport is stateless, lib/mcp/handle.ts), for the caller that request came from, so the limits and
// the threads ask_docs creates belong to that caller as they would on the site.

/** `config.docsSources`: the folder's audience and version rules, and whether code is indexed (read_file is listed only then). */
export type TMcpDeps = TAskDeps & TDocsSearchDeps & { config: TAskDeps['config'] & { docsDir: string; siteUrl: string; docsSources: TFolderRules & TCodeSettings } };
/** `access`: what the caller may read (lib/audiences/access.ts; PUBLIC_ACCESS for a caller with no identity). */
export type TMcpCaller = { owner: string; client: TClient; /** The origin the request was sent to. */ requestOrigin?: string; access: TReaderAccess };

export const SEARCH_LIMIT_MAX = 20;
export const SEARCH_LIMIT_DEFAULT = 8;
const EXCERPT_CHARS = 600;

/** What the server tells an agent at `initialize`: whose docs these are, and which tool does what (read_file only with code indexed). */
function instructions(docsName: string, { hasCode }: { hasCode: boolean }): string {
  return (
    `This server serves ${docsName}, a documentation site. Use search_docs to find the sections that answer a ` +
    'question (each result has the page title › heading, its URL and an excerpt), get_page to read a whole page ' +
    `as markdown, ${hasCode ? 'read_file to read the lines of a source file a result of kind "code" names, ' : ''}and ask_docs ` +
    "to have the site's docs assistant answer in prose with its sources. Every page is " +
    'also a resource.'
  );
}

export function createDocsMcpServer({ deps, caller, log }: { deps: TMcpDeps; caller: TMcpCaller; log: TLogger }): McpServer {
  const { siteUrl, docsDir } = deps.config;
  const docsName = docsTitleName(readSiteName({ docsDir }));
  const hasCode = hasCodeSource(deps.config.docsSources);
  const server = new McpServer(
    { name: mcpServerName(siteUrl), version: MCP_SERVER_VERSION, title: docsName, websiteUrl: `${siteUrl}/docs` },
    { instructions: instructions(docsName, { hasCode }) },
  );

  /** A tool's failure as an MCP tool error: a refusal says why (a limit, a bad page); anything else is logged, not shown. */
  const guard = <A>(name: string, run: (args: A) => Promise<CallToolResult>) => async (args: A): Promise<CallToolResult> => {
    try {
      return await run(args);
    } catch (error) {
      if (isAppError(error) && error.status < 500) {
        log.info({ tool: name, code: error.code }, 'mcp tool refused');
        return toolError(error.message);
      }
      log.error({ tool: name, err: error }, 'mcp tool failed');
      return toolError('Something went wrong on our side. Please try again.');
    }
  };

  server.registerTool(
    'search_docs',
    {
      title: 'Search the docs',
      description:
        'Full-text search over the documentation, the same search the site\'s assistant uses. Returns the best ' +
        'matching sections, best first: "Page title › Heading", the absolute URL of the section, an excerpt, and the ' +
        `kind of source it comes from (${KNOWN_SOURCES_TEXT}; a thread also has its number and state). ` +
        '`sources` limits the results to some kinds; `version` asks for one version of versioned docs (default: the ' +
        'current one; an unknown version is refused, naming the known ones).',
      inputSchema: {
        query: z.string().trim().min(1, 'query must not be empty').max(MAX_QUERY_CHARS, `query must be at most ${MAX_QUERY_CHARS} characters`).describe('What to look for, in plain words.'),
        limit: z.number().int().min(1).max(SEARCH_LIMIT_MAX).optional().describe(`How many sections to return (1–${SEARCH_LIMIT_MAX}, default ${SEARCH_LIMIT_DEFAULT}).`),
        // Any strings here: an unknown kind is answered by the tool, naming the known ones (a schema refusal would not).
        sources: z.array(z.string().max(100)).max(20).optional().describe(`Only results of these kinds of source (${KNOWN_SOURCES_TEXT}); default: every kind.`),
        version: z.string().trim().min(1).max(100).optional().describe('The version of the docs, e.g. "1.x", when they have versions; default: the current one.'),
      },
      outputSchema: {
        results: z.array(
          z.object({
            title: z.string(),
            heading: z.string(),
            url: z.string(),
            markdownUrl: z.string(),
            excerpt: z.string(),
            score: z.number(),
            kind: z.string(),
            number: z.number().optional(),
            state: z.enum(['open', 'closed', 'merged']).optional(),
            version: z.string().optional(),
            file: z.string().optional(),
          }),
        ),
      },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    guard('search_docs', async ({ query, limit, sources: asked, version }: { query: string; limit?: number; sources?: string[]; version?: string }) => {
      const sources = asked === undefined ? undefined : ZSourcesFilter.safeParse(asked);
      if (sources && !sources.success) return toolError(`Cannot search: ${sources.error.issues[0]?.message ?? `sources must be kinds among ${KNOWN_SOURCES_TEXT}`}.`);
      const hits = await searchDocs({ deps, prompt: query, limit: limit ?? SEARCH_LIMIT_DEFAULT, source: 'site', sources: sources?.data, access: caller.access, version });
      const results = hits.map((hit) => ({
        title: hit.title,
        heading: hit.heading,
        url: absoluteUrl(siteUrl, hit.url),
        markdownUrl: isAbsolute(hit.url) ? hit.url.replace(/#.*$/, '') : markdownUrl(siteUrl, hit.url.replace(/#.*$/, '')),
        excerpt: excerpt(hit.content),
        score: hit.similarity,
        kind: hit.kind,
        ...(hit.number !== undefined ? { number: hit.number } : {}),
        ...(hit.state !== undefined ? { state: hit.state } : {}),
        ...(hit.version !== undefined ? { version: hit.version } : {}),
        ...(hit.file !== undefined ? { file: hit.file } : {}),
      }));
      const text =
        results.length === 0
          ? `No sections match "${query}". Try other words, or get_page with a page URL.`
          : results
              .map((result, index) => `${index + 1}. ${[result.title, result.heading].filter(Boolean).join(' › ')}${sourceTag(result)}${codeLines(result)}${result.version ? ` [version ${result.version}]` : ''}\n   ${result.url}\n   ${result.excerpt.replace(/\n+/g, ' ')}`)
              .join('\n\n');
      return { content: [{ type: 'text', text }], structuredContent: { results } };
    }),
  );

  server.registerTool(
    'get_page',
    {
      title: 'Read a docs page',
      description:
        'One whole docs page as markdown (its title as the # heading, prose, lists, tables and code). Give the page\'s ' +
        'URL (as search_docs returns it; an anchor is ignored) or its path, such as "guides/slack".',
      inputSchema: {
        url: z.string().trim().min(1).max(2048).optional().describe('The page URL, e.g. from search_docs.'),
        path: z.string().trim().max(512).optional().describe('The page path under /docs, e.g. "configuration" or "guides/slack".'),
      },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    guard('get_page', async ({ url, path }: { url?: string; path?: string }) => {
      if ((url === undefined) === (path === undefined)) return toolError('Give either url or path (one of them).');
      const relativePath = resolveDocPage({ docsDir, siteUrl, requestOrigin: caller.requestOrigin, target: { url, path } });
      // A page the caller may not read (lib/audiences) is answered as one that does not exist.
      if (!relativePath || !isFolderPageReadable({ docsDir, rules: deps.config.docsSources, relativePath, access: caller.access })) {
        return toolError(`No docs page at ${JSON.stringify(url ?? path)}. search_docs finds pages by topic; their URLs work here.`);
      }
      const page = getMarkdownPage({ docsDir, relativePath, siteUrl });
      return { content: [{ type: 'text', text: page.markdown }] };
    }),
  );

  // Without a code source there is no file to read: read_file is not listed (as the assistant's models are not offered it).
  if (hasCode) {
    server.registerTool(
      READ_FILE,
      {
        title: 'Read a source file',
        description:
          'Lines of an indexed source file (a search_docs result of kind "code"), around a symbol or by line numbers, ' +
          'numbered, each part with path:line and a URL that opens those lines; at most 80 lines a call. Give the file ' +
          'as search_docs names it (its "file", or its URL).',
        inputSchema: {
          file: z.string().trim().min(1).max(2048).describe("The file's path in its repository, or a code result's URL."),
          symbol: z.string().trim().min(1).max(200).optional().describe('A symbol of the file to read around, e.g. "useToaster".'),
          from_line: z.number().int().min(1).max(10_000_000).optional().describe('The first line to read.'),
          to_line: z.number().int().min(1).max(10_000_000).optional().describe('The last line to read.'),
        },
        annotations: { readOnlyHint: true, openWorldHint: false },
      },
      guard(READ_FILE, async (args: { file: string; symbol?: string; from_line?: number; to_line?: number }) => {
        // The assistant's own read_file, through the read gate with the caller's access: a hidden file is a missing one.
        const output = JSON.parse(
          await runToolCall({ deps: { ...deps, siteUrl, hasCodeSource: true }, call: { id: 'mcp', type: 'function', function: { name: READ_FILE, arguments: JSON.stringify(args) } }, access: caller.access }),
        ) as { error?: string; file?: string; results?: { heading: string; url: string; content: string; cite?: string }[]; note?: string };
        if (output.error !== undefined || !output.results) return toolError(output.error ?? 'Nothing was read.');
        const parts = output.results.map((result) => `${result.heading} — ${result.cite ?? output.file} — ${absoluteUrl(siteUrl, result.url)}\n\n${result.content}`);
        return { content: [{ type: 'text', text: `${parts.join('\n\n')}${output.note ? `\n\n${output.note}` : ''}` }] };
      }),
    );
  }

  server.registerTool(
    'ask_docs',
    {
      title: 'Ask the docs assistant',
      description:
        'Asks the site\'s docs assistant a question. It searches the docs and answers in prose with links to the ' +
        'sections it used (listed as sources). Slower than search_docs and limited per hour; prefer search_docs ' +
        'and get_page when you can read the docs yourself.',
      inputSchema: {
        question: z
          .string()
          .trim()
          .min(1, 'question must not be empty')
          .max(deps.config.limits.maxMessageChars, `question must be at most ${deps.config.limits.maxMessageChars} characters`)
          .describe('The question, as a reader would ask it.'),
        version: z.string().trim().min(1).max(100).optional().describe('The version of the docs to answer from, e.g. "1.x", when they have versions; default: the current one.'),
        mode: z
          .enum(RUN_MODES)
          .optional()
          .describe('"research": several searches in the docs\' words and whole pages read before answering (slower, counts more against the hourly limit, one at a time); default "quick".'),
      },
      outputSchema: { answer: z.string(), sources: z.array(z.object({ title: z.string(), url: z.string() })) },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    guard('ask_docs', async ({ question, version, mode }: { question: string; version?: string; mode?: TRunMode }) => {
      const result = await askDocs({ deps, owner: caller.owner, client: caller.client, question, version, mode, access: caller.access });
      if (!result.isAnswered) return toolError(result.message);
      const sourcesText = result.sources.length > 0 ? `\n\nSources:\n${result.sources.map((source) => `- [${source.title}](${source.url})`).join('\n')}` : '';
      return {
        content: [{ type: 'text', text: `${result.answer}${sourcesText}` }],
        structuredContent: { answer: result.answer, sources: result.sources },
      };
    }),
  );

  // Every page as a resource: its markdown twin's URL, which an agent may also fetch over plain HTTP.
  for (const page of readFolderNavOfEveryVersion({ docsDir, rules: deps.config.docsSources, access: caller.access }).pages) {
    const uri = markdownUrl(siteUrl, page.href);
    server.registerResource(
      page.path,
      uri,
      { title: page.title, description: page.description || undefined, mimeType: 'text/markdown' },
      async () => ({ contents: [{ uri, mimeType: 'text/markdown', text: getMarkdownPage({ docsDir, relativePath: page.path, siteUrl }).markdown }] }),
    );
  }
  return server;
}

const isAbsolute = (url: string) => /^https?:\/\//i.test(url);

/** A result's URL for an agent: this site's paths on the site's URL; a source elsewhere (a crawled page, a thread) as it is. */
function absoluteUrl(siteUrl: string, url: string): string {
  return isAbsolute(url) ? url : `${siteUrl}${url}`;
}

/** How a result's source reads after its title in the text output: "" for a docs page, " (thread #12, open)". */
function sourceTag({ kind, number, state }: { kind: string; number?: number; state?: string }): string {
  if (kind === 'docs') return '';
  const details = [number !== undefined ? `#${number}` : '', state ?? ''].filter(Boolean).join(', ');
  return ` (${kind}${details ? ` ${details}` : ''})`;
}

/** A code result's `path:line`, from its file and the lines its URL opens; '' for any other result. */
function codeLines({ file, url }: { file?: string; url: string }): string {
  return file ? ` ${file}:${/#L(\d+)/.exec(url)?.[1] ?? 1}` : '';
}

function toolError(text: string): CallToolResult {
  return { content: [{ type: 'text', text }], isError: true };
}

function excerpt(content: string): string {
  const text = content.trim();
  if (text.length <= EXCERPT_CHARS) return text;
  const cut = text.slice(0, EXCERPT_CHARS);
  const boundary = cut.lastIndexOf(' ');
  return `${cut.slice(0, boundary > EXCERPT_CHARS / 2 ? boundary : EXCERPT_CHARS).trimEnd()}…`;
}
