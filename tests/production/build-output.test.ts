import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// When a server module reads files from a path Next cannot scope at build time, its file tracer gives up and
// copies the whole project (sources, tests, README) into every affected route's server output, and the build
// prints "Dynamic filesystem access causes tracing of the whole project". The traces Next writes beside each
// server bundle (`*.nft.json`) show it: a route that needs none of them lists the project's own files.

const ROOT = path.resolve(import.meta.dirname, '../..');
const SERVER_DIR = path.join(ROOT, '.next', 'server');

function findTraces(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return findTraces(full);
    return entry.name.endsWith('.nft.json') ? [full] : [];
  });
}

// Files no route reads at run time: finding one in a trace means the tracer traced the project.
const PROJECT_ONLY = [/^README\.md$/, /^CODE_STYLE\.md$/, /^tests\//, /^components\/.*\.tsx$/, /^scripts\//];

describe('the server output of the production build', () => {
  const traces = findTraces(SERVER_DIR);

  it('has a file trace for the API routes and pages', () => {
    const names = traces.map((file) => path.relative(SERVER_DIR, file));
    expect(names).toContain(path.join('pages', 'api', 'assistant-intro.js.nft.json'));
    expect(names).toContain(path.join('pages', 'api', 'paste-assistant-message.js.nft.json'));
    expect(traces.length).toBeGreaterThan(20);
  });

  it('traces no route into the whole project (no README, tests, components sources or scripts)', () => {
    const offenders: string[] = [];
    for (const trace of traces) {
      const { files } = JSON.parse(readFileSync(trace, 'utf8')) as { files: string[] };
      const projectFiles = files
        .map((file) => path.relative(ROOT, path.resolve(path.dirname(trace), file)))
        .filter((file) => PROJECT_ONLY.some((pattern) => pattern.test(file.split(path.sep).join('/'))));
      if (projectFiles.length > 0) offenders.push(`${path.relative(SERVER_DIR, trace)}: ${projectFiles.slice(0, 3).join(', ')}…`);
    }
    expect(offenders).toEqual([]);
  });
});

describe('the docs pages of the production build', () => {
  it('are rendered per request, none prerendered: a page of an audience never has a static copy to serve (issue 57)', () => {
    // The docs pages read who the reader is (lib/audiences) before they render; a prerendered page (its HTML and its
    // data) would be served to anyone, and its navigation would list pages some readers may not know of.
    const docsPages = path.join(SERVER_DIR, 'pages', 'docs');
    const prerendered = findFiles(docsPages).filter((file) => /\.(html|json)$/.test(file) && !/(\.nft|-manifest)\.json$/.test(file));
    expect(prerendered).toEqual([]);
  });
});

describe('the pages the build made (issue 68, item 1)', () => {
  it('name no docs page: what is the same for every reader outlives the audience rules it was made under', () => {
    // The home page renders per request, the 404 page asks for its reader's navigation once loaded
    // (lib/docs/site/reader-nav.ts); a page made at build time that listed the docs would show a page a rule added
    // later makes private, to everyone, until someone rebuilt.
    const pages = path.join(SERVER_DIR, 'pages');
    const prerendered = findFiles(pages).filter((file) => /\.(html|json)$/.test(file) && !/(\.nft|-manifest)\.json$/.test(file));
    expect(prerendered.map((file) => path.relative(pages, file))).toContain('404.html');
    expect(prerendered.map((file) => path.relative(pages, file))).not.toContain('index.html');
    const naming = prerendered.filter((file) => /href="\/docs\/[^"]|"\/docs\/[a-z0-9]/.test(readFileSync(file, 'utf8'))).map((file) => path.relative(pages, file));
    expect(naming).toEqual([]);
  });
});

function findFiles(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? findFiles(path.join(dir, entry.name)) : [path.join(dir, entry.name)]));
  } catch {
    return [];
  }
}
