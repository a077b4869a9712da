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

describe('the data of the prerendered docs pages', () => {
  it('carries the navigation as rendered links only (title and address), not every page entry whole', () => {
    // Every docs page holds the whole navigation in its props, rendered to HTML on the server (StaticHtml: no tree to
    // hydrate). With the full entries (description, path, order…) the Paste corpus's larger pages passed Next's
    // 128 kB page-data warning: the HTML holds each page's link and title, and nothing else of it.
    const dataFile = path.join(SERVER_DIR, 'pages', 'docs', 'configuration.json');
    const { pageProps } = JSON.parse(readFileSync(dataFile, 'utf8')) as { pageProps: { nav: { html: string } } };
    const links = [...pageProps.nav.html.matchAll(/<a [^>]*href="(\/docs[^"]*)"[^>]*>([^<]+)<\/a>/g)];
    expect(links.length).toBeGreaterThan(10);
    expect(links.map((link) => link[1])).toContain('/docs/configuration');
    // No description or file path of any page rides along.
    expect(pageProps.nav.html).not.toMatch(/\.mdx|description/);
  });
});
