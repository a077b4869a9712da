import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

// Who may import whom: the import rules of CODE_STYLE.md ("Modules and who may import whom"), as one allow-list.
// The test reads every import of the project's code (static, type-only, dynamic `import()`, `require()`,
// re-exports; relative or through the `@/` path alias) and fails on any import the table below does not allow,
// naming the importing file, the imported file and the rule. ESLint stops some wrong imports where they are
// written; this test reads all of them, so a rule holds even where lint has no block for it.
//
// The table is the architecture as layers (LAYERS, lowest first): a module imports only modules of its own layer or
// of lower ones, the modules import each other in no circle (type-only imports count: a type is a dependency too),
// and every edge the table lists is one an import uses, so the table says what the code does.
//
// HOW TO CHANGE IT
// - A file or folder moved: change `files` of its module. A file that matches no module fails the test, so a new
//   folder is placed in a module on purpose (a new folder of lib/ is usually a new module).
// - A new module: add it to the layer it belongs to (a name, its `files`, the modules it imports), and its name to
//   the `imports` of the modules that use it.
// - A new import between two modules: add the imported module to the importer's `imports`, unless a rule of RULES
//   forbids it (the test then names the rule) or it reaches up a layer or closes a circle: then the code is what
//   changes (a part takes its own settings' type, not TConfig; a type moves down to the module that owns it).
// - An import removed: remove its edge (the test names each edge no import uses).
// `files` entries: 'lib/app.ts' is that file; 'lib/db/' is everything under lib/db; '*' stands for one folder name
// ('lib/docs/sources/*/' is every folder in lib/docs/sources). A file belongs to the module of its most specific
// entry (the one with more path segments): lib/docs/sources/index.ts is in docs-source-registry, not docs-sources.
// Files in the same module may always import each other.

type TModule = { files: string[]; imports: string[] };
type TLayer = { layer: string; modules: Record<string, TModule> };

/**
 * The project's modules in layers, lowest first, and what each imports. A module imports only modules of its own
 * layer or of the layers above it in this list (the test checks it), and every edge listed is one the code uses.
 */
export const LAYERS: TLayer[] = [
  {
    layer: 'shared',
    // what everything may use: the browser's code, errors, settings' helpers, pure functions
    modules: {
      shared: { files: ['lib/shared/'], imports: [] },
      errors: { files: ['lib/errors.ts', 'lib/error-brands.ts'], imports: [] },
      relevance: { files: ['lib/relevance/'], imports: [] },
      settings: { files: ['lib/settings.ts'], imports: ['errors'] },
      session: { files: ['lib/session/'], imports: [] },
      'server-start': {
        files: ['lib/listen.mjs', 'lib/listen.d.mts', 'lib/server-flags.mjs', 'lib/server-flags.d.mts'],
        imports: [],
      },
      'package-json': { files: ['package.json'], imports: [] },
      styles: { files: ['styles/'], imports: [] },
      tests: { files: ['tests/'], imports: [] },
      components: { files: ['components/'], imports: ['shared'] },
    },
  },
  {
    layer: 'foundations',
    // the parts every feature stands on: the database, the log and traces, the model, audiences, limits, HTTP's pieces
    modules: {
      telemetry: { files: ['lib/telemetry/'], imports: ['settings'] },
      log: { files: ['lib/log.ts'], imports: ['telemetry'] },
      db: { files: ['lib/db/'], imports: ['errors', 'settings', 'shared'] },
      jobs: { files: ['lib/jobs/'], imports: ['db', 'telemetry'] },
      limits: { files: ['lib/limits/'], imports: ['db', 'errors', 'settings', 'shared'] },
      privacy: { files: ['lib/privacy/'], imports: ['db', 'jobs', 'log', 'settings', 'shared', 'telemetry'] },
      audiences: { files: ['lib/audiences/'], imports: ['db', 'errors', 'session', 'settings', 'shared'] },
      identity: { files: ['lib/identity/'], imports: ['audiences', 'errors', 'log', 'settings', 'shared'] },
      embed: { files: ['lib/embed/'], imports: ['errors', 'session', 'settings', 'shared'] },
      model: { files: ['lib/model/'], imports: ['db', 'errors', 'relevance', 'settings', 'shared', 'telemetry'] },
      github: { files: ['lib/github/'], imports: ['log', 'telemetry'] },
      http: { files: ['lib/http/'], imports: ['errors', 'limits', 'log', 'shared'] },
      'server-record': { files: ['lib/server-record.ts'], imports: ['db'] },
      'docs-parse': { files: ['lib/docs/parse/'], imports: ['errors', 'relevance'] },
      'docs-folder': { files: ['lib/docs/folder/'], imports: ['audiences', 'docs-parse', 'relevance', 'settings'] },
    },
  },
  {
    layer: 'docs',
    // the docs: written through the sources' pipeline into the index, read through the gate, ranked and searched,
    // rendered
    modules: {
      'docs-index': { files: ['lib/docs/index/'], imports: ['audiences', 'db', 'log', 'model'] },
      'docs-sources': {
        files: ['lib/docs/sources/'],
        imports: ['audiences', 'db', 'docs-index', 'docs-parse', 'errors', 'jobs', 'limits', 'log', 'settings',
          'telemetry'],
      },
      'docs-source-kinds': {
        files: ['lib/docs/sources/*/'],
        imports: ['audiences', 'db', 'docs-folder', 'docs-index', 'docs-parse', 'docs-sources', 'github', 'log',
          'privacy', 'relevance', 'settings', 'shared'],
      },
      'docs-source-registry': {
        files: [
          'lib/docs/sources/index.ts',
          'lib/docs/sources/prune.ts',
          'lib/docs/sources/start.ts',
          'lib/docs/sources/single-kinds.ts',
        ],
        imports: ['audiences', 'db', 'docs-index', 'docs-source-kinds', 'docs-sources', 'jobs', 'log', 'settings'],
      },
      'docs-ranking': {
        files: [
          'lib/docs/search/ranking/',
          'lib/docs/search/english.ts',
          'lib/docs/search/kinds.ts',
          'lib/docs/search/languages.ts',
        ],
        imports: ['audiences', 'db', 'docs-folder', 'privacy', 'relevance', 'session', 'shared'],
      },
      'docs-gate': {
        files: ['lib/docs/gate/'],
        imports: ['audiences', 'db', 'docs-folder', 'docs-parse', 'docs-ranking', 'shared'],
      },
      'docs-site': {
        files: ['lib/docs/site/'],
        imports: ['audiences', 'db', 'docs-folder', 'docs-gate', 'docs-parse', 'docs-source-registry', 'embed',
          'http', 'session', 'settings', 'shared', 'telemetry'],
      },
      'docs-search': {
        files: ['lib/docs/search/'],
        imports: ['audiences', 'db', 'docs-folder', 'docs-gate', 'docs-index', 'docs-parse', 'docs-ranking',
          'docs-site', 'errors', 'log', 'model', 'privacy', 'relevance', 'settings', 'shared', 'telemetry'],
      },
    },
  },
  {
    layer: 'assistant',
    // the assistant and what drives it: the engine, /v1's service, the maintainers, hand-offs, Slack's client, the
    // review channel, the chat doors
    modules: {
      assistant: {
        files: ['lib/assistant/'],
        imports: ['audiences', 'db', 'docs-folder', 'docs-gate', 'docs-ranking', 'docs-search', 'docs-sources', 'errors',
          'http', 'jobs', 'limits', 'log', 'model', 'privacy', 'relevance', 'settings', 'shared', 'telemetry'],
      },
      v1: {
        files: ['lib/v1/'],
        imports: ['assistant', 'audiences', 'db', 'errors', 'http', 'limits', 'log', 'settings', 'shared'],
      },
      'chat-doors': {
        files: ['lib/chat-doors/'],
        imports: ['assistant', 'audiences', 'db', 'errors', 'jobs', 'log', 'privacy', 'settings', 'shared',
          'telemetry'],
      },
      slack: { files: ['lib/slack/'], imports: ['chat-doors', 'errors', 'log', 'shared'] },
      maintainers: {
        files: ['lib/maintainers/'],
        imports: ['assistant', 'audiences', 'db', 'docs-gate', 'docs-index', 'docs-ranking', 'docs-search',
          'docs-source-registry', 'errors', 'github', 'http', 'jobs', 'log', 'model', 'privacy', 'relevance',
          'session', 'settings', 'shared', 'slack'],
      },
      handoff: {
        files: ['lib/handoff/'],
        imports: ['audiences', 'db', 'docs-gate', 'errors', 'github', 'jobs', 'limits', 'log', 'maintainers',
          'privacy', 'settings', 'shared', 'slack', 'telemetry'],
      },
      'review-channel': {
        files: ['lib/review-channel/'],
        imports: ['audiences', 'chat-doors', 'db', 'docs-gate', 'errors', 'jobs', 'log', 'maintainers', 'privacy',
          'slack', 'telemetry'],
      },
      'reader-access': {
        files: ['lib/audiences/access.ts'],
        imports: ['audiences', 'errors', 'maintainers', 'session', 'v1'],
      },
      'chat-door-kinds': {
        files: ['lib/chat-doors/doors/*/'],
        imports: ['chat-doors', 'db', 'errors', 'handoff', 'log', 'privacy', 'settings', 'shared', 'slack'],
      },
      'chat-door-registry': { files: ['lib/chat-doors/doors/index.ts'], imports: ['chat-door-kinds', 'chat-doors'] },
    },
  },
  {
    layer: 'composition',
    // what composes the parts: the configuration, the app (clients built once), health, boot, the HTTP wrapper
    modules: {
      config: {
        files: ['lib/config.ts'],
        imports: ['assistant', 'audiences', 'chat-door-registry', 'db', 'docs-folder', 'docs-search', 'docs-site',
          'docs-source-registry', 'embed', 'handoff', 'identity', 'limits', 'log', 'maintainers', 'model', 'privacy',
          'review-channel', 'server-start', 'session', 'settings', 'telemetry', 'v1'],
      },
      app: {
        files: ['lib/app.ts'],
        imports: ['assistant', 'chat-door-registry', 'chat-doors', 'config', 'db', 'docs-index', 'docs-ranking',
          'docs-search', 'docs-source-registry', 'docs-sources', 'github', 'handoff', 'identity', 'jobs', 'log',
          'maintainers', 'model', 'privacy', 'review-channel', 'session', 'telemetry'],
      },
      health: {
        files: ['lib/health.ts'],
        imports: ['audiences', 'chat-door-registry', 'config', 'db', 'docs-index', 'docs-ranking', 'docs-search',
          'docs-site', 'docs-source-registry', 'model'],
      },
      boot: {
        files: ['lib/boot.ts'],
        imports: ['app', 'config', 'docs-site', 'http', 'privacy', 'server-record', 'telemetry'],
      },
      'http-wrapper': {
        files: ['lib/http/index.ts'],
        imports: ['app', 'audiences', 'embed', 'errors', 'http', 'limits', 'log', 'reader-access', 'session',
          'shared', 'telemetry'],
      },
      proxy: { files: ['proxy.ts'], imports: ['config', 'http'] },
      instrumentation: { files: ['instrumentation.ts'], imports: ['boot', 'http'] },
      'next-config': { files: ['next.config.mjs'], imports: ['docs-folder', 'docs-site'] },
    },
  },
  {
    layer: 'surfaces',
    // what readers and operators meet: routes, pages, MCP, the .md twins and llms.txt, /v1's routes, the command-line
    // tools
    modules: {
      'docs-agents': {
        files: ['lib/docs/agents/'],
        imports: ['audiences', 'db', 'docs-folder', 'docs-gate', 'docs-site', 'docs-sources', 'errors',
          'http-wrapper', 'shared'],
      },
      'v1-routes': { files: ['lib/v1/http.ts'], imports: ['audiences', 'http', 'http-wrapper', 'limits', 'v1'] },
      mcp: {
        files: ['lib/mcp/'],
        imports: ['assistant', 'audiences', 'db', 'docs-agents', 'docs-folder', 'docs-gate', 'docs-ranking',
          'docs-search', 'docs-site', 'docs-source-registry', 'errors', 'http-wrapper', 'limits', 'log', 'package-json',
          'shared'],
      },
      'pages-api': {
        files: ['pages/api/'],
        imports: ['assistant', 'audiences', 'chat-door-kinds', 'docs-agents', 'docs-ranking', 'docs-search',
          'docs-site', 'docs-sources', 'embed', 'errors', 'handoff', 'health', 'http', 'http-wrapper', 'identity',
          'limits', 'maintainers', 'mcp', 'reader-access', 'review-channel', 'session', 'shared', 'slack', 'v1',
          'v1-routes'],
      },
      pages: {
        files: ['pages/'],
        imports: ['app', 'assistant', 'audiences', 'chat-door-registry', 'components', 'config', 'docs-folder', 'docs-gate', 'docs-parse',
          'docs-site', 'embed', 'http', 'maintainers', 'reader-access', 'shared', 'styles'],
      },
      scripts: {
        files: ['scripts/'],
        imports: ['app', 'assistant', 'audiences', 'chat-door-kinds', 'components', 'config', 'db', 'docs-agents',
          'docs-folder', 'docs-index', 'docs-parse', 'docs-ranking', 'docs-search', 'docs-site',
          'docs-source-registry', 'errors', 'github', 'handoff', 'log', 'maintainers', 'model', 'next-config',
          'server-record', 'server-start', 'session', 'shared', 'tests', 'v1'],
      },
    },
  },
];

/** Every module of the table, by name. */
export const MODULES: Record<string, TModule> = Object.assign({}, ...LAYERS.map((layer) => layer.modules));

/** Where the test reads imports: the app's code and the tools'. tests/ and the tools' own configs are not read. */
const READ = ['lib/', 'pages/', 'components/', 'scripts/', 'instrumentation.ts', 'proxy.ts', 'next.config.mjs'];

/** The modules of lib/ (all their files are in it), but `except`. */
const lib = (...except: string[]) => modulesUnder('lib/').filter((name) => !except.includes(name));
/** The modules of lib/docs/. */
const docs = () => modulesUnder('lib/docs/');

/**
 * What the table must never allow, each with its reason (CODE_STYLE.md). `never`: modules `from` may not import;
 * `only`: the only modules `from` may import (beside itself).
 */
export const RULES: { rule: string; from: string[]; never?: string[]; only?: string[] }[] = [
  {
    rule: 'nothing in lib/ imports the composition root (lib/app.ts) but the HTTP wrapper and boot',
    from: lib('app', 'http-wrapper', 'boot'),
    never: ['app'],
  },
  {
    rule: 'the docs (sources, parse, index, search, site, agents) know nothing of the assistant',
    from: docs(),
    never: ['assistant'],
  },
  {
    rule: 'the model imports none of its users: neither the assistant, the docs, Slack, the jobs, the maintainers nor scripts',
    from: ['model'],
    never: ['assistant', ...docs(), 'slack', 'review-channel', 'chat-doors', 'chat-door-registry', 'chat-door-kinds', 'jobs', 'maintainers', 'scripts'],
  },
  {
    rule: 'lib/jobs runs jobs without knowing them: it imports none of the modules whose work it runs',
    from: ['jobs'],
    never: ['assistant', ...docs(), 'slack', 'review-channel', 'maintainers', 'privacy', 'model', 'chat-doors', 'chat-door-registry', 'chat-door-kinds'],
  },
  {
    rule: 'what every chat door shares (lib/chat-doors) imports no door, no Slack client and not the review channel',
    from: ['chat-doors'],
    never: ['chat-door-registry', 'chat-door-kinds', 'slack', 'review-channel'],
  },
  {
    rule: "a chat door is reached through its registry (lib/chat-doors/doors/index.ts): only the registry, the routes (a door's endpoint) and scripts import a door's folder",
    from: Object.keys(MODULES).filter((name) => !['chat-door-registry', 'chat-door-kinds', 'pages-api', 'scripts', 'tests'].includes(name)),
    never: ['chat-door-kinds'],
  },
  {
    rule: 'the review channel and the Slack door import neither each other; both use the one Slack client (lib/slack)',
    from: ['review-channel'],
    never: ['chat-door-kinds', 'chat-door-registry'],
  },
  { rule: 'the Slack door imports not the review channel', from: ['chat-door-kinds'], never: ['review-channel'] },
  {
    rule: "Slack's client imports neither Slack part (the review channel, the Slack door)",
    from: ['slack'],
    never: ['review-channel', 'chat-door-kinds', 'chat-door-registry'],
  },
  {
    rule: 'lib/relevance (what the ranking and the offline model share) imports nothing else from lib/',
    from: ['relevance'],
    only: [],
  },
  { rule: 'lib/shared (what the browser runs too) imports only lib/shared', from: ['shared'], only: [] },
  { rule: 'components (the browser) import from lib/ only lib/shared', from: ['components'], never: lib('shared') },
  {
    rule: "no file outside lib/docs/sources imports a source kind's folder (lib/docs/sources/<kind>/)",
    from: Object.keys(MODULES).filter((name) => !['docs-sources', 'docs-source-kinds', 'docs-source-registry'].includes(name)),
    never: ['docs-source-kinds'],
  },
];

/**
 * Imports of a source kind's folder from outside lib/docs/sources that the last rule lets through: none. Command-line
 * tools that exercise one kind reach it through lib/docs/sources/single-kinds.ts. A new exception would be listed
 * here, one line each; the test requires this set to equal what the code does (it fails when one is added and
 * when one is fixed).
 */
export const KNOWN_KIND_IMPORTS: ReadonlySet<string> = new Set<string>([]);

// ——— reading the imports ———

const ROOT = path.resolve(__dirname, '../..');
const SOURCE = /\.(ts|tsx|mts|mjs|js|cjs)$/;
const EXTENSIONS = ['', '.ts', '.tsx', '.mts', '.mjs', '.js', '/index.ts', '/index.tsx', '/index.mjs'];

function isFile(file: string): boolean {
  try {
    return statSync(path.join(ROOT, file)).isFile();
  } catch {
    return false;
  }
}

/** The project's files under `entry` (a folder ending in '/', or one file), relative to the project, with '/'. */
function filesOf(entry: string): string[] {
  if (!entry.endsWith('/')) return isFile(entry) ? [entry] : [];
  return readdirSync(path.join(ROOT, entry), { withFileTypes: true }).flatMap((dirent) =>
    dirent.isDirectory() ? filesOf(`${entry}${dirent.name}/`) : SOURCE.test(dirent.name) ? [`${entry}${dirent.name}`] : [],
  );
}

/** Every module specifier a file's text imports: imports, type-only imports, re-exports, import(), require(). */
export function specifiersOf(text: string): string[] {
  // TypeScript's own pre-processor: it reads past comments and strings, and sees dynamic imports and require().
  return ts.preProcessFile(text, true, true).importedFiles.map((file) => file.fileName);
}

/** The project file a specifier names, from `file`; null for a package; undefined when it names no file. */
function resolve(file: string, specifier: string): string | null | undefined {
  let base: string;
  if (specifier.startsWith('@/')) base = specifier.slice(2);
  else if (specifier.startsWith('.')) base = path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier));
  else return null;
  return EXTENSIONS.map((extension) => base + extension).find(isFile);
}

type TImport = { from: string; to: string };

/** Every import between the project's files, and the specifiers that name no file. */
function readImports(): { imports: TImport[]; unresolved: string[] } {
  const imports: TImport[] = [];
  const unresolved: string[] = [];
  for (const from of READ.flatMap(filesOf)) {
    for (const specifier of specifiersOf(readFileSync(path.join(ROOT, from), 'utf8'))) {
      const to = resolve(from, specifier);
      if (to === undefined) unresolved.push(`${from}: '${specifier}'`);
      else if (to !== null) imports.push({ from, to });
    }
  }
  return { imports, unresolved };
}

// ——— judging them ———

function matches(entry: string, file: string): boolean {
  const parts = entry.replace(/\/$/, '').split('/');
  const fileParts = file.split('/');
  const isFolder = entry.endsWith('/');
  if (isFolder ? fileParts.length <= parts.length : fileParts.length !== parts.length) return false;
  return parts.every((part, index) => part === '*' || part === fileParts[index]);
}

const moduleCache = new Map<string, string | undefined>();

/** The module a file belongs to: the one whose matching entry has the most path segments. */
export function moduleOf(file: string): string | undefined {
  if (!moduleCache.has(file)) moduleCache.set(file, findModule(file));
  return moduleCache.get(file);
}

function findModule(file: string): string | undefined {
  let best: { name: string; depth: number } | undefined;
  for (const [name, module] of Object.entries(MODULES)) {
    for (const entry of module.files) {
      const depth = entry.replace(/\/$/, '').split('/').length;
      if (matches(entry, file) && (best === undefined || depth > best.depth)) best = { name, depth };
    }
  }
  return best?.name;
}

function modulesUnder(folder: string): string[] {
  return Object.entries(MODULES)
    .filter(([, module]) => module.files.every((entry) => entry.startsWith(folder)))
    .map(([name]) => name);
}

/** The rules an import from module `from` to module `to` breaks. */
function rulesBroken(from: string, to: string): string[] {
  return RULES.filter((rule) => rule.from.includes(from) && (rule.never?.includes(to) || (rule.only !== undefined && !rule.only.includes(to)))).map((rule) => rule.rule);
}

const arrow = ({ from, to }: TImport) => `${from} → ${to}`;
const isKindImport = (from: string, to: string) => to === 'docs-source-kinds' && !['docs-sources', 'docs-source-kinds', 'docs-source-registry'].includes(from);

/** The module graph the code draws: module → the modules it imports, each edge with one import that draws it. */
function moduleGraph(imports: TImport[]): Map<string, Map<string, TImport>> {
  const graph = new Map<string, Map<string, TImport>>();
  for (const item of imports) {
    const from = moduleOf(item.from);
    const to = moduleOf(item.to);
    if (from === undefined || to === undefined || from === to) continue;
    const edges = graph.get(from) ?? new Map<string, TImport>();
    if (!edges.has(to)) edges.set(to, item);
    graph.set(from, edges);
  }
  return graph;
}

/** The graph's strongly connected components of more than one module (Tarjan): each holds at least one cycle. */
export function circles(graph: Map<string, Iterable<string>>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (node: string) => {
    index.set(node, index.size);
    low.set(node, index.get(node)!);
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) low.set(node, Math.min(low.get(node)!, index.get(next)!));
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return found;
}

/** One shortest cycle through `start` inside `members`, as a list of modules that ends where it began. */
function cycleThrough(graph: Map<string, Iterable<string>>, start: string, members: Set<string>): string[] {
  const previous = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const node = queue.shift()!;
    for (const next of graph.get(node) ?? []) {
      if (!members.has(next)) continue;
      if (next === start) {
        const path = [node];
        while (path[0] !== start) path.unshift(previous.get(path[0]!)!);
        return [...path, start];
      }
      if (!previous.has(next)) {
        previous.set(next, node);
        queue.push(next);
      }
    }
  }
  return [start];
}

describe('import rules: who may import whom', () => {
  const { imports, unresolved } = readImports();

  it('reads the imports it judges, in every form', () => {
    expect(
      specifiersOf(
        [
          "import a from './a';",
          "import type { B } from '@/lib/b';",
          "import './c';",
          "export * from './d';",
          "export { e } from './e';",
          "const f = await import('./f');",
          "const g = require('./g');",
          "// import h from './h' (a comment)",
          "const i = \"import('./i')\";",
        ].join('\n'),
      ).sort(),
    ).toEqual(['./a', './c', './d', './e', './f', './g', '@/lib/b']);
    // The project's graph is read: not empty, and arrows that exist are seen.
    expect(imports.length).toBeGreaterThan(1500);
    const seen = (from: string, to: string) => imports.some((item) => moduleOf(item.from) === from && moduleOf(item.to) === to);
    expect(seen('assistant', 'model')).toBe(true);
    expect(seen('model', 'relevance')).toBe(true);
    expect(seen('chat-door-kinds', 'chat-doors') && seen('chat-door-registry', 'chat-door-kinds') && seen('review-channel', 'slack')).toBe(true);
    expect(seen('pages-api', 'http-wrapper')).toBe(true);
  });

  it('the modules import each other in no circle, type-only imports included', () => {
    const graph = moduleGraph(imports);
    const keys = new Map([...graph].map(([from, edges]) => [from, [...edges.keys()]]));
    const described = circles(keys).map((component) => {
      const cycle = cycleThrough(keys, component[0]!, new Set(component));
      const steps = cycle.slice(1).map((to, step) => `  ${arrow(graph.get(cycle[step]!)!.get(to)!)}`);
      return [`a circle of ${component.length} modules (${component.join(', ')}); one way round:`, ...steps].join('\n');
    });
    expect(described).toEqual([]);
  });

  it('finds a circle where there is one', () => {
    const graph = new Map([['a', ['b']], ['b', ['c']], ['c', ['a', 'd']], ['d', []]]);
    expect(circles(graph)).toEqual([['a', 'b', 'c']]);
    expect(cycleThrough(graph, 'a', new Set(['a', 'b', 'c']))).toEqual(['a', 'b', 'c', 'a']);
    expect(circles(new Map([['a', ['b']], ['b', []]]))).toEqual([]);
  });

  it('every module imports only modules of its own layer or of lower ones', () => {
    const layerOf = new Map(LAYERS.flatMap((layer, index) => Object.keys(layer.modules).map((name) => [name, index] as const)));
    const upward = Object.entries(MODULES).flatMap(([from, module]) =>
      module.imports
        .filter((to) => (layerOf.get(to) ?? 0) > (layerOf.get(from) ?? 0))
        .map((to) => `${from} (${LAYERS[layerOf.get(from)!]!.layer}) imports ${to} (${LAYERS[layerOf.get(to)!]!.layer}), a layer above`),
    );
    expect(upward).toEqual([]);
    // A module is in one layer only.
    expect(LAYERS.reduce((count, layer) => count + Object.keys(layer.modules).length, 0)).toBe(Object.keys(MODULES).length);
  });

  it('every edge the table allows is one an import uses', () => {
    const graph = moduleGraph(imports);
    const unused = Object.entries(MODULES).flatMap(([from, module]) => module.imports.filter((to) => !graph.get(from)?.has(to)).map((to) => `${from} → ${to}`));
    expect(unused).toEqual([]);
  });

  it('every import names a file that exists', () => {
    expect(unresolved).toEqual([]);
  });

  it('every file belongs to a module of the table, and every module holds files', () => {
    const files = [...new Set([...READ.flatMap(filesOf), ...imports.map((item) => item.to)])];
    expect(files.filter((file) => moduleOf(file) === undefined).map((file) => `${file} belongs to no module: add it (or its folder) to MODULES`)).toEqual([]);
    // A module none of whose files exists any more (its folder moved) is a stale row.
    expect(Object.keys(MODULES).filter((name) => !files.some((file) => moduleOf(file) === name))).toEqual([]);
  });

  it('lib/docs holds folders, not loose files', () => {
    const loose = readdirSync(path.join(ROOT, 'lib/docs'), { withFileTypes: true }).filter((entry) => !entry.isDirectory());
    expect(loose.map((entry) => entry.name)).toEqual([]);
  });

  it('the table keeps the rules: it names only its own modules and allows nothing a rule forbids', () => {
    const names = new Set(Object.keys(MODULES));
    const problems: string[] = [];
    for (const rule of RULES) for (const name of [...rule.from, ...(rule.never ?? []), ...(rule.only ?? [])]) if (!names.has(name)) problems.push(`rule "${rule.rule}" names no module '${name}'`);
    for (const [name, module] of Object.entries(MODULES)) {
      for (const target of module.imports) {
        if (!names.has(target)) problems.push(`${name} may import '${target}', which is no module`);
        for (const rule of rulesBroken(name, target)) problems.push(`${name} may import ${target}, which breaks the rule: ${rule}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('every import is one the table allows', () => {
    const wrong: string[] = [];
    for (const item of imports) {
      const from = moduleOf(item.from);
      const to = moduleOf(item.to);
      if (from === undefined || to === undefined || from === to) continue;
      if (isKindImport(from, to) && KNOWN_KIND_IMPORTS.has(arrow(item))) continue;
      const broken = rulesBroken(from, to);
      if (broken.length > 0) wrong.push(`${arrow(item)} breaks the rule: ${broken.join('; ')}`);
      else if (!MODULES[from]?.imports.includes(to)) wrong.push(`${arrow(item)}: ${from} may not import ${to} (the table allows ${from} to import: ${MODULES[from]?.imports.join(', ') || 'nothing'})`);
    }
    expect([...new Set(wrong)]).toEqual([]);
  });

  it("KNOWN_KIND_IMPORTS is exactly today's imports of a source kind's folder from outside lib/docs/sources", () => {
    const found = new Set(imports.filter((item) => isKindImport(moduleOf(item.from) ?? '', moduleOf(item.to) ?? '')).map(arrow));
    expect({ added: [...found].filter((item) => !KNOWN_KIND_IMPORTS.has(item)).sort(), fixed: [...KNOWN_KIND_IMPORTS].filter((item) => !found.has(item)).sort() }).toEqual({ added: [], fixed: [] });
  });

  it('the composition root names no chat door: lib/app.ts starts what the registry lists', () => {
    const text = readFileSync(path.join(ROOT, 'lib/app.ts'), 'utf8');
    expect(text).not.toMatch(/discord/i);
    expect(imports.filter((item) => item.from === 'lib/app.ts' && moduleOf(item.to) === 'chat-door-kinds').map(arrow)).toEqual([]);
    expect(imports.some((item) => item.from === 'lib/app.ts' && moduleOf(item.to) === 'chat-door-registry')).toBe(true);
  });
});
