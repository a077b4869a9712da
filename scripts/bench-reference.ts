import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { SERVER_ENV } from './bench-search';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './lib/chromium';
import { percentile, startNextServer } from './lib/next-server';
import { preparePasteBuild } from './lib/paste-build';

// `npm run bench:reference [-- --quick] [-- --docs-only] [-- --profile DIR]`: the API reference pages and the docs pages on their first
// request (issue 54, friction 12: Twilio's REST API was one page of 3.9 MB, 21,308 DOM nodes and a 5 s first render;
// then the server's first request to /docs/reference took 3 s). `next start` of a production build with DOCS_OPENAPI
// naming the four Twilio specs of ../shared/corpora/twilio-openapi (PGlite, offline), twice: the project's own build
// (content/docs) and a build of the Paste docs (../shared/corpora/paste-docs, scripts/lib/paste-build.ts, made once
// and kept in .bench/). Each is a cold start: once the server is healthy, has indexed the specs and has warmed its
// pages (/api/health's `site`, lib/docs/site/warm.ts), the first request of each kind of page (a docs page, the
// docs' index, the list of references, a spec's page, an operation's page) is timed, to its first byte and to its
// last; then every spec's page and every operation's page once (a sample in --quick): their HTML bytes and first
// request. Then, in Chromium (the project's build), the largest pages' DOM nodes and first contentful paint. Prints
// its figures; the goals (under 500 KB, under 1 s) are printed beside them, not enforced here
// (tests/production/openapi-and-reindex.test.ts checks the sizes and that the pages were warmed). With --profile,
// each server writes a CPU profile into DIR when it stops (Node's --cpu-prof), to see where a first request's time goes.

const CORPUS = path.resolve(process.env.TWILIO_OPENAPI_CORPUS_DIR ?? '../shared/corpora/twilio-openapi');
const PASTE_DOCS = path.resolve(process.env.PASTE_CORPUS_DIR ?? '../shared/corpora/paste-docs');
const SPECS = ['twilio_api_v2010', 'twilio_lookups_v2', 'twilio_messaging_v1', 'twilio_verify_v2'];
const GOALS = { kb: 500, firstRenderMs: 1000 };
const QUICK_OPERATIONS_PER_SPEC = 10;
// The routes a build of the Paste docs needs here (scripts/lib/paste-build.ts builds only those).
const PASTE_ROUTES = [
  'pages/docs/[[...slug]].tsx',
  'pages/docs/reference/index.tsx',
  'pages/docs/reference/[spec]/index.tsx',
  'pages/docs/reference/[spec]/operation/[id].tsx',
  'pages/404.tsx',
  'pages/api/health.ts',
];

const ms = (value: number) => `${value.toFixed(0)} ms`;
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const versus = (isMet: boolean, goal: string) => `goal ${goal} (issue 54): ${isMet ? 'met' : 'not met'}`;

type TPage = { url: string; bytes: number; ttfbMs: number; firstMs: number };
type THealth = { docs: { sources: { kind: string; lastRun: string | null }[] }; site?: { pages: string; warmedInMs: number | null } };

/** Once healthy: waits until the specs are indexed and the pages warmed; the health seen last. */
async function waitForSpecsAndWarmth(url: string): Promise<THealth> {
  const deadline = Date.now() + 300_000;
  for (;;) {
    const health = (await (await fetch(`${url}/api/health`)).json()) as THealth;
    const isSynced = Boolean(health.docs.sources.find((source) => source.kind === 'openapi')?.lastRun);
    if (isSynced && health.site?.pages !== 'warming') return health;
    if (Date.now() > deadline) throw new Error('the OpenAPI sync or the warming of the pages did not finish in 300 s');
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function firstRequest(url: string): Promise<{ html: string; ttfbMs: number; totalMs: number }> {
  const started = performance.now();
  const response = await fetch(url);
  const ttfbMs = performance.now() - started;
  const html = await response.text();
  if (response.status !== 200) throw new Error(`${url}: ${response.status}`);
  return { html, ttfbMs, totalMs: performance.now() - started };
}

const operationIds = (html: string, spec: string) => [
  ...new Set([...html.matchAll(new RegExp(`href="/docs/reference/${spec}/operation/([^"#]+)"`, 'g'))].map((match) => match[1]!)),
];

/**
 * One cold start of the build in `cwd` (DOCS_DIR `docsDir`): the first request of each kind of page, then every
 * reference page's first request. The pages are left for Chromium when `onPages` is given, before the server stops.
 */
async function measureBuild({
  label,
  cwd,
  docsDir,
  isQuick,
  profileDir,
  onPages,
}: {
  label: string;
  cwd?: string;
  docsDir?: string;
  isQuick: boolean;
  profileDir?: string;
  onPages?: (serverUrl: string, pages: TPage[]) => Promise<Record<string, string>>;
}): Promise<Record<string, string>> {
  const server = await startNextServer({
    isMigrated: true,
    readyTimeoutMs: 600_000,
    ...(profileDir ? { nodeFlags: ['--cpu-prof', `--cpu-prof-dir=${path.resolve(profileDir)}`] } : {}),
    ...(cwd ? { cwd } : {}),
    env: { ...SERVER_ENV, ...(docsDir ? { DOCS_DIR: docsDir } : {}), DOCS_OPENAPI: SPECS.map((spec) => path.join(CORPUS, `${spec}.json`)).join(',') },
  });
  try {
    const healthyMs = performance.now() - server.startedAt;
    const health = await waitForSpecsAndWarmth(server.url);
    // A docs page of the site: the first link of the docs' index that is not the index itself or a reference.
    const index = await firstRequest(`${server.url}/docs`);
    const docsPage = [...index.html.matchAll(/href="(\/docs\/[^"#?]+)"/g)].map((match) => match[1]!).find((href) => !href.startsWith('/docs/reference'));
    if (!docsPage) throw new Error(`${label}: no docs page linked from /docs`);
    const kinds: [string, string][] = [
      ['a docs page', docsPage],
      ['the list of references', '/docs/reference'],
      ["a spec's page", `/docs/reference/${SPECS[0]}`],
    ];
    const firsts: string[] = [`the docs' index (/docs) ${ms(index.ttfbMs)} (last byte ${ms(index.totalMs)})`];
    const kindTotals = [index.totalMs];
    const pages: TPage[] = [];
    let specHtml = '';
    for (const [kind, url] of kinds) {
      const first = await firstRequest(`${server.url}${url}`);
      firsts.push(`${kind} (${url}) ${ms(first.ttfbMs)} (last byte ${ms(first.totalMs)})`);
      kindTotals.push(first.totalMs);
      if (url === `/docs/reference/${SPECS[0]}`) {
        specHtml = first.html;
        pages.push({ url, bytes: Buffer.byteLength(first.html), ttfbMs: first.ttfbMs, firstMs: first.totalMs });
      }
    }
    const [operation] = operationIds(specHtml, SPECS[0]!);
    const operationUrl = `/docs/reference/${SPECS[0]}/operation/${operation}`;
    const firstOperation = await firstRequest(`${server.url}${operationUrl}`);
    firsts.push(`an operation's page (${operationUrl}) ${ms(firstOperation.ttfbMs)} (last byte ${ms(firstOperation.totalMs)})`);
    pages.push({ url: operationUrl, bytes: Buffer.byteLength(firstOperation.html), ttfbMs: firstOperation.ttfbMs, firstMs: firstOperation.totalMs });
    // Every other reference page, each on its first request.
    for (const spec of SPECS) {
      const specUrl = `/docs/reference/${spec}`;
      let html = specHtml;
      if (spec !== SPECS[0]) {
        const first = await firstRequest(`${server.url}${specUrl}`);
        html = first.html;
        pages.push({ url: specUrl, bytes: Buffer.byteLength(first.html), ttfbMs: first.ttfbMs, firstMs: first.totalMs });
      }
      const ids = operationIds(html, spec);
      const step = isQuick ? Math.max(1, Math.floor(ids.length / QUICK_OPERATIONS_PER_SPEC)) : 1;
      for (const id of ids.filter((_, at) => at % step === 0)) {
        const url = `${specUrl}/operation/${id}`;
        if (url === operationUrl) continue;
        const first = await firstRequest(`${server.url}${url}`);
        pages.push({ url, bytes: Buffer.byteLength(first.html), ttfbMs: first.ttfbMs, firstMs: first.totalMs });
      }
    }
    const slowest = [...pages].sort((a, b) => b.firstMs - a.firstMs)[0]!;
    const worstFirst = Math.max(slowest.firstMs, ...kindTotals);
    const prefix = `${label}: `;
    return {
      [`${prefix}start`]: `healthy ${(healthyMs / 1000).toFixed(1)} s after next start; pages warmed in ${health.site?.warmedInMs === null || health.site?.warmedInMs === undefined ? `— (${health.site?.pages ?? 'no site field'})` : ms(health.site.warmedInMs)}; load ${os.loadavg()[0]?.toFixed(1)} on ${os.cpus().length} CPUs`,
      [`${prefix}first request of each kind after a cold start (time to first byte)`]: firsts.join('; '),
      [`${prefix}reference pages`]: `${pages.length} (${pages.filter((page) => !page.url.includes('/operation/')).length} specs' pages, ${pages.filter((page) => page.url.includes('/operation/')).length} operations' pages${isQuick ? ', a sample' : ''}); HTML p50 / p95 ${kb(percentile(pages.map((page) => page.bytes), 50))} / ${kb(percentile(pages.map((page) => page.bytes), 95))}`,
      [`${prefix}largest HTML`]: (() => {
        const largest = [...pages].sort((a, b) => b.bytes - a.bytes)[0]!;
        return `${kb(largest.bytes)} (${largest.url}); ${versus(largest.bytes < GOALS.kb * 1024, `< ${GOALS.kb} KB`)}`;
      })(),
      [`${prefix}each reference page's first request (to the last byte) p50 / p95`]: `${ms(percentile(pages.map((page) => page.firstMs), 50))} / ${ms(percentile(pages.map((page) => page.firstMs), 95))}`,
      [`${prefix}slowest page's first request`]: `${ms(slowest.firstMs)}, first byte ${ms(slowest.ttfbMs)} (${slowest.url}); ${versus(worstFirst < GOALS.firstRenderMs, `every first request < ${GOALS.firstRenderMs} ms`)}`,
      ...(onPages ? await onPages(server.url, pages) : {}),
    };
  } finally {
    await server.stop();
  }
}

/** The largest spec page and the largest operation page in a browser: DOM nodes and first contentful paint. */
async function inChromium(serverUrl: string, pages: TPage[]): Promise<Record<string, string>> {
  const specPages = pages.filter((page) => !page.url.includes('/operation/'));
  const operationPages = pages.filter((page) => page.url.includes('/operation/'));
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
  const rendered: string[] = [];
  let worstPaint = 0;
  try {
    for (const page of [[...specPages].sort((a, b) => b.bytes - a.bytes)[0]!, [...operationPages].sort((a, b) => b.bytes - a.bytes)[0]!]) {
      const tab = await browser.newPage();
      await tab.goto(`${serverUrl}${page.url}`, { waitUntil: 'load' });
      const figures = await tab.evaluate(() => ({
        nodes: document.getElementsByTagName('*').length,
        paint: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? Number.NaN,
      }));
      worstPaint = Math.max(worstPaint, figures.paint);
      rendered.push(`${page.url}: ${figures.nodes} DOM nodes, first contentful paint ${ms(figures.paint)}`);
      await tab.close();
    }
  } finally {
    await browser.close();
  }
  return { 'in Chromium': `${rendered.join('; ')}; ${versus(worstPaint < GOALS.firstRenderMs, `< ${GOALS.firstRenderMs} ms`)}` };
}

export async function benchReference({ isQuick = false, isDocsOnly = false, profileDir }: { isQuick?: boolean; isDocsOnly?: boolean; profileDir?: string } = {}): Promise<Record<string, string>> {
  if (!existsSync(CORPUS)) throw new Error(`the Twilio specs are not at ${CORPUS}: put shared/corpora/twilio-openapi beside the checkout`);
  const own = await measureBuild({ label: 'content/docs', isQuick, profileDir, onPages: inChromium });
  if (isDocsOnly) return own;
  if (!existsSync(PASTE_DOCS)) throw new Error(`the Paste docs are not at ${PASTE_DOCS}: put shared/corpora/paste-docs beside the checkout`);
  const build = preparePasteBuild({ docsDir: PASTE_DOCS, routes: PASTE_ROUTES, name: 'paste-reference' });
  const paste = await measureBuild({ label: 'Paste docs', cwd: build.dir, docsDir: PASTE_DOCS, isQuick, profileDir });
  return { ...own, 'Paste docs: build': build.isFresh ? `made now in ${(build.buildMs / 1000).toFixed(0)} s` : 'reused from .bench/', ...paste };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false }, 'docs-only': { type: 'boolean', default: false }, profile: { type: 'string' } } });
  benchReference({ isQuick: values.quick, isDocsOnly: values['docs-only'], profileDir: values.profile }).then(
    (figures) => {
      for (const [name, value] of Object.entries(figures)) console.log(`${name}: ${value}`);
    },
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
