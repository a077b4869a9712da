import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// The house drawn from its imports (CODE_STYLE.md, "Rooms"): which room of lib/ may import which. ESLint stops a
// wrong import where it is written; this draws the whole graph, so a rule that lint no longer enforces (a block
// removed, a path alias it does not know) still fails here.

const ROOT = path.resolve(__dirname, '../..');
const LIB = path.join(ROOT, 'lib');
const SOURCE = /\.(ts|tsx|mts|mjs)$/;
const EXTENSIONS = ['', '.ts', '.tsx', '.mts', '.mjs', '/index.ts', '/index.mjs'];

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return walk(full);
    return SOURCE.test(entry.name) && !entry.name.endsWith('.d.mts') ? [full] : [];
  });
}

function exists(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/** Every file of lib/ with the files of lib/ it imports (relative or `@/` specifiers; packages left out). */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of walk(LIB)) {
    const text = readFileSync(file, 'utf8');
    const targets: string[] = [];
    for (const match of text.matchAll(/(?:\bfrom|\bimport)\s*\(?\s*['"]([^'"]+)['"]/g)) {
      const spec = match[1] ?? '';
      const base = spec.startsWith('@/') ? path.join(ROOT, spec.slice(2)) : spec.startsWith('.') ? path.resolve(path.dirname(file), spec) : null;
      if (base === null) continue;
      const resolved = EXTENSIONS.map((extension) => base + extension).find(exists);
      if (resolved) targets.push(resolved);
    }
    graph.set(file, targets);
  }
  return graph;
}

const rel = (file: string) => path.relative(ROOT, file).split(path.sep).join('/');

/** The imports from files under `from` into files under one of `into` (paths relative to the project). */
function arrows(graph: Map<string, string[]>, from: string, into: string[]): string[] {
  const found: string[] = [];
  for (const [file, targets] of graph) {
    if (!rel(file).startsWith(from)) continue;
    for (const target of targets) if (into.some((room) => rel(target).startsWith(room))) found.push(`${rel(file)} → ${rel(target)}`);
  }
  return found;
}

describe('the house (lib/)', () => {
  const graph = importGraph();

  it('reads the imports it judges', () => {
    // The graph is not empty, and it sees an arrow that exists: the run engine uses the model client.
    expect(graph.size).toBeGreaterThan(150);
    expect(arrows(graph, 'lib/assistant/engine/', ['lib/model/']).length).toBeGreaterThan(0);
  });

  it('lib/docs holds rooms, not loose files', () => {
    const loose = readdirSync(path.join(LIB, 'docs'), { withFileTypes: true }).filter((entry) => !entry.isDirectory());
    expect(loose.map((entry) => entry.name)).toEqual([]);
    const rooms = readdirSync(path.join(LIB, 'docs')).sort();
    expect(rooms).toEqual(['agents', 'folder', 'index', 'parse', 'search', 'site', 'sources']);
  });

  it('no arrow runs from the docs (sources, index, search, site, agents) into the assistant', () => {
    expect(arrows(graph, 'lib/docs/', ['lib/assistant/'])).toEqual([]);
  });

  it('the model is a leaf: it imports neither the assistant, the docs, Slack nor the jobs', () => {
    expect(arrows(graph, 'lib/model/', ['lib/assistant/', 'lib/docs/', 'lib/slack/', 'lib/jobs/', 'lib/maintainers/'])).toEqual([]);
  });

  it('the jobs module knows no job: it imports none of the rooms whose work it runs', () => {
    expect(arrows(graph, 'lib/jobs/', ['lib/assistant/', 'lib/docs/', 'lib/slack/', 'lib/maintainers/', 'lib/privacy/', 'lib/model/'])).toEqual([]);
  });

  it('the chat doors\' inbox knows no door: lib/chat-doors imports neither Slack nor Discord, and both doors use it', () => {
    expect(arrows(graph, 'lib/chat-doors/', ['lib/slack/', 'lib/discord/'])).toEqual([]);
    expect(arrows(graph, 'lib/slack/answers/', ['lib/chat-doors/']).length).toBeGreaterThan(0);
    expect(arrows(graph, 'lib/discord/', ['lib/chat-doors/']).length).toBeGreaterThan(0);
  });

  it('only the HTTP wrapper and boot import the composition root', () => {
    const importers = [...graph].filter(([, targets]) => targets.includes(path.join(LIB, 'app.ts'))).map(([file]) => rel(file));
    expect(importers.sort()).toEqual(['lib/boot.ts', 'lib/http.ts']);
  });

  it('lib/text (what the ranking and the offline model both read) is a leaf: it imports nothing else from lib/', () => {
    const outside = arrows(graph, 'lib/text/', ['lib/']).filter((arrow) => !arrow.split(' → ')[1]?.startsWith('lib/text/'));
    expect(outside).toEqual([]);
    expect(arrows(graph, 'lib/model/', ['lib/text/']).length).toBeGreaterThan(0);
  });

  it('lib/shared imports nothing from the rest of lib/', () => {
    const outside = arrows(graph, 'lib/shared/', ['lib/']).filter((arrow) => !arrow.split(' → ')[1]?.startsWith('lib/shared/'));
    expect(outside).toEqual([]);
  });
});
