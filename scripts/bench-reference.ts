import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { SERVER_ENV } from './bench-search';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './lib/chromium';
import { percentile, startNextServer } from './lib/next-server';

// `npm run bench:reference [-- --quick]`: the API reference pages (issue 54, friction 12: Twilio's REST API was one
// page of 3.9 MB, 21,308 DOM nodes and a 5 s first render). `next start` of the production build with DOCS_OPENAPI
// naming the four Twilio specs of ../shared/corpora/twilio-openapi (PGlite, offline). For each spec's page and
// every operation's page (a sample in --quick): its HTML bytes, and the time of its first request (the server's
// first render of that page, to the last byte, once the server has loaded the app and the routes' code, which is
// timed apart); then, in Chromium, the largest pages' DOM nodes and first contentful paint. Prints its figures; the goal (under 500 KB, under 1 s) is printed beside them, not enforced
// here (tests/production/openapi-and-reindex.test.ts checks the sizes).

const CORPUS = path.resolve(process.env.TWILIO_OPENAPI_CORPUS_DIR ?? '../shared/corpora/twilio-openapi');
const SPECS = ['twilio_api_v2010', 'twilio_lookups_v2', 'twilio_messaging_v1', 'twilio_verify_v2'];
const GOALS = { kb: 500, firstRenderMs: 1000 };
const QUICK_OPERATIONS_PER_SPEC = 10;

const ms = (value: number) => `${value.toFixed(0)} ms`;
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const versus = (isMet: boolean, goal: string) => `goal ${goal} (issue 54): ${isMet ? 'met' : 'not met'}`;

type TPage = { url: string; bytes: number; firstMs: number };

export async function benchReference({ isQuick = false } = {}): Promise<Record<string, string>> {
  if (!existsSync(CORPUS)) throw new Error(`the Twilio specs are not at ${CORPUS}: put shared/corpora/twilio-openapi beside the checkout`);
  const server = await startNextServer({ isMigrated: true, env: { ...SERVER_ENV, DOCS_OPENAPI: SPECS.map((spec) => path.join(CORPUS, `${spec}.json`)).join(',') } });
  try {
    const deadline = Date.now() + 180_000;
    for (;;) {
      const health = (await (await fetch(`${server.url}/api/health`)).json()) as { docs: { sources: { kind: string; lastRun: string | null }[] } };
      if (health.docs.sources.find((source) => source.kind === 'openapi')?.lastRun) break;
      if (Date.now() > deadline) throw new Error('the OpenAPI sync did not finish in 180 s');
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    // The server's first requests load the app and the routes' code (once per process, whatever the page): timed and
    // reported apart, so that each reference page's first request below is that page's own first render.
    const warmUp: string[] = [];
    for (const url of ['/docs', '/docs/reference']) {
      const started = performance.now();
      await (await fetch(`${server.url}${url}`)).text();
      warmUp.push(`${url} ${ms(performance.now() - started)}`);
    }
    const pages: TPage[] = [];
    const first = async (url: string) => {
      const started = performance.now();
      const response = await fetch(`${server.url}${url}`);
      const html = await response.text();
      if (response.status !== 200) throw new Error(`${url}: ${response.status}`);
      pages.push({ url, bytes: Buffer.byteLength(html), firstMs: performance.now() - started });
      return html;
    };
    for (const spec of SPECS) {
      const html = await first(`/docs/reference/${spec}`);
      const ids = [...new Set([...html.matchAll(new RegExp(`href="/docs/reference/${spec}/operation/([^"#]+)"`, 'g'))].map((match) => match[1]!))];
      const step = isQuick ? Math.max(1, Math.floor(ids.length / QUICK_OPERATIONS_PER_SPEC)) : 1;
      for (const id of ids.filter((_, index) => index % step === 0)) await first(`/docs/reference/${spec}/operation/${id}`);
    }
    const specPages = pages.filter((page) => !page.url.includes('/operation/'));
    const operationPages = pages.filter((page) => page.url.includes('/operation/'));
    const largest = [...pages].sort((a, b) => b.bytes - a.bytes)[0]!;
    const slowest = [...pages].sort((a, b) => b.firstMs - a.firstMs)[0]!;
    // The largest spec page and the largest operation page in a browser: DOM nodes and first contentful paint.
    const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
    const rendered: string[] = [];
    let worstPaint = 0;
    try {
      for (const page of [[...specPages].sort((a, b) => b.bytes - a.bytes)[0]!, [...operationPages].sort((a, b) => b.bytes - a.bytes)[0]!]) {
        const tab = await browser.newPage();
        await tab.goto(`${server.url}${page.url}`, { waitUntil: 'load' });
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
    return {
      pages: `${pages.length} (${specPages.length} specs' pages, ${operationPages.length} operations' pages${isQuick ? ', a sample' : ''}); load ${os.loadavg()[0]?.toFixed(1)} on ${os.cpus().length} CPUs`,
      'largest HTML': `${kb(largest.bytes)} (${largest.url}); ${versus(largest.bytes < GOALS.kb * 1024, `< ${GOALS.kb} KB`)}`,
      'HTML p50 / p95': `${kb(percentile(pages.map((page) => page.bytes), 50))} / ${kb(percentile(pages.map((page) => page.bytes), 95))}`,
      "server's first requests after start (loading the app and the routes)": warmUp.join(', '),
      "each page's first request (server render, to the last byte) p50 / p95": `${ms(percentile(pages.map((page) => page.firstMs), 50))} / ${ms(percentile(pages.map((page) => page.firstMs), 95))}`,
      'slowest first request': `${ms(slowest.firstMs)} (${slowest.url}); ${versus(slowest.firstMs < GOALS.firstRenderMs, `< ${GOALS.firstRenderMs} ms`)}`,
      'in Chromium': `${rendered.join('; ')}; ${versus(worstPaint < GOALS.firstRenderMs, `< ${GOALS.firstRenderMs} ms`)}`,
    };
  } finally {
    await server.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false } } });
  benchReference({ isQuick: values.quick }).then(
    (figures) => {
      for (const [name, value] of Object.entries(figures)) console.log(`${name}: ${value}`);
    },
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
