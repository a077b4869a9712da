import { readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { XMLValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createPgliteDb } from '@/lib/db/pglite';
import { createKey } from '@/lib/v1/keys';
import { startNextServer, type TNextServer } from '@/scripts/lib/next-server';
import { createSeededDataDir } from '../helpers/pglite-template';
import { READER_TOKEN_SECRET, signReaderToken } from '../helpers/reader-tokens';
import { PRODUCTION_SITE_URL } from './helpers/global-setup';

// Issue 67 (3.5, 3.6) and issue 68 (item 1, static output) on `next start` of the tier's build, which was made with
// no audience rule: this server is started with rules the build never saw — a canary docs page for staff
// (DOCS_AUDIENCES='staff=guides/discord.mdx', titled "Discord setup"), an API spec for partners, a maintainers' answer
// for staff. Signed out, no page the build made (home, 404), no docs page's navigation, no page data
// (/_next/data/…json) and no navigation the 404 page asks for names the canary; a reader of staff (a host-signed
// token's session) gets it in each. llms.txt and llms-full.txt are the caller's as every surface is (signed out,
// signed in, an API key with and without the audience). The sitemap lists the public pages of every kind the site
// shows, the same for whoever asks, with absolute URLs (the request's address here: no SITE_URL; the tier's main
// server has one), and robots.txt names it.

const CANARY_TITLE = 'Discord setup';
const CANARY_PAGE = '/docs/guides/discord';
/** A word of the canary page's text that no other page has. */
const CANARY_WORD = 'Ed25519';
const PUBLIC_PAGE = '/docs/guides/slack';
const FIXTURES = path.resolve('tests/fixtures/openapi');
const MAINTAINER_TOKEN = 'site-surfaces-maintainer-token-0123456789';
const BUILD_ID = readFileSync(path.resolve('.next/BUILD_ID'), 'utf8').trim();

let server: TNextServer;
let staffKey: string;
let publicKey: string;
/** The maintainers' answers written below: the first public, the second staff's (DOCS_AUDIENCES answer:2). */
const answers: number[] = [];

beforeAll(async () => {
  const dataDir = await createSeededDataDir('pa-production-site-');
  // Keys made as `npm run api-key -- create` makes them, before the server holds the database.
  const db = await createPgliteDb({ dataDir });
  try {
    staffKey = (await createKey({ db, name: 'staff-bot', audiences: ['staff'] })).key;
    publicKey = (await createKey({ db, name: 'public-bot', audiences: [] })).key;
  } finally {
    await db.close();
  }
  server = await startNextServer({
    dataDir,
    env: {
      NODE_ENV: 'production',
      OPENAI_API_KEY: '',
      OPENAI_BASE_URL: '',
      SUPABASE_URL: '',
      SUPABASE_SERVICE_ROLE_KEY: '',
      SLACK_BOT_TOKEN: '',
      SITE_URL: '',
      SESSION_SECRET: 'production-site-surfaces-secret-0123456789',
      MAINTAINER_TOKEN,
      MODERATION: 'off',
      LOG_LEVEL: 'warn',
      READER_TOKEN_SECRET,
      DOCS_OPENAPI: [path.join(FIXTURES, 'petstore-v3.yaml'), path.join(FIXTURES, 'notes-v31.yaml')].join(','),
      DOCS_AUDIENCES: 'staff=guides/discord.mdx,staff=answer:2,partners=openapi/notes-v31|openapi/notes-v31/**',
      RATE_LIMIT_BURST: '100000',
      RATE_LIMIT_IP_BURST: '100000',
    },
  });
  const deadline = Date.now() + 120_000;
  for (;;) {
    const health = (await (await fetch(`${server.url}/api/health`)).json()) as { docs: { sources: { kind: string; lastRun: string | null }[] } };
    if (health.docs.sources.find((source) => source.kind === 'openapi')?.lastRun) break;
    if (Date.now() > deadline) throw new Error(`the OpenAPI sync did not finish in 120 s\n${server.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  for (const word of ['Quillmoor', 'Brackenfold']) {
    const response = await fetch(`${server.url}/api/maintainers/answers`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${MAINTAINER_TOKEN}` },
      body: JSON.stringify({ question: `How does the ${word} widget load?`, answer: `The ${word} widget loads lazily.`, status: 'approved' }),
    });
    expect(response.status).toBe(201);
    answers.push(((await response.json()) as { id: number }).id);
  }
  // The rule names answer 2: the database is new, so the second answer written is it.
  expect(answers).toEqual([1, 2]);
}, 240_000);

afterAll(async () => {
  await server?.stop();
});

type TReply = { status: number; headers: Headers; text: string };

/** A reader with a cookie jar of one session cookie, as a browser. */
function reader() {
  let cookie = '';
  const request = async (route: string, init: { method?: string; json?: unknown; headers?: Record<string, string> } = {}): Promise<TReply> => {
    const response = await fetch(`${server.url}${route}`, {
      method: init.method ?? (init.json === undefined ? 'GET' : 'POST'),
      headers: { ...(init.json === undefined ? {} : { 'content-type': 'application/json' }), ...(cookie ? { cookie } : {}), ...init.headers },
      body: init.json === undefined ? undefined : JSON.stringify(init.json),
      redirect: 'manual',
    });
    const set = response.headers.get('set-cookie');
    if (set) cookie = set.split(';')[0] ?? cookie;
    return { status: response.status, headers: response.headers, text: await response.text() };
  };
  return { request };
}

async function staffReader() {
  const who = reader();
  const signedIn = await who.request('/api/reader/session', { json: { token: await signReaderToken({ audiences: ['staff'] }) } });
  expect(signedIn.status, signedIn.text).toBe(200);
  return who;
}

const namesCanary = (text: string) => text.includes(CANARY_PAGE) || text.includes(CANARY_TITLE);
const dataUrl = (pagePath: string) => `/_next/data/${BUILD_ID}${pagePath === '/' ? '/index' : pagePath}.json`;
const DATA = { 'x-nextjs-data': '1' };

describe('what is the same for everyone names no private page (issue 68, item 1)', () => {
  it('signed out: the home page, its data, the 404 page, a docs page, its data and the navigation the 404 page asks for', async () => {
    const who = reader();
    const home = await who.request('/');
    expect(home.status).toBe(200);
    expect(home.text).toContain(`href="${PUBLIC_PAGE}"`);
    expect(namesCanary(home.text)).toBe(false);
    expect(home.headers.get('cache-control')).toBe('public, max-age=0, must-revalidate');
    const homeData = await who.request(dataUrl('/'), { headers: DATA });
    expect(homeData.status).toBe(200);
    expect(homeData.text).toContain(PUBLIC_PAGE);
    expect(namesCanary(homeData.text)).toBe(false);

    // The 404 page is made at build time: it lists no docs page at all, so no rule can be missing from it.
    const missing = await who.request('/no-such-page');
    expect(missing.status).toBe(404);
    expect(missing.text).toContain('Page not found');
    expect(missing.text).not.toMatch(/href="\/docs\/[^"]/);
    const hidden = await who.request(CANARY_PAGE);
    expect(hidden.status).toBe(404);
    expect(namesCanary(hidden.text)).toBe(false);

    const page = await who.request(PUBLIC_PAGE);
    expect(page.status).toBe(200);
    expect(page.text).toContain('href="/docs/guides/github"');
    expect(namesCanary(page.text)).toBe(false);
    const pageData = await who.request(dataUrl(PUBLIC_PAGE), { headers: DATA });
    expect(pageData.status).toBe(200);
    expect(namesCanary(pageData.text)).toBe(false);

    const nav = await who.request('/api/docs-nav');
    expect(nav.status).toBe(200);
    expect(nav.text).toContain(PUBLIC_PAGE);
    expect(namesCanary(nav.text)).toBe(false);
    expect(nav.headers.get('cache-control')).toBe('no-store');
    expect(nav.headers.get('set-cookie')).toBeNull();
  });

  it("a reader of staff finds the page in each navigation, per request and never from a shared cache", async () => {
    const who = await staffReader();
    const home = await who.request('/');
    expect(home.text).toContain(`href="${CANARY_PAGE}">${CANARY_TITLE}</a>`);
    expect(home.headers.get('cache-control')).toBe('private, no-store');
    expect((await who.request(dataUrl('/'), { headers: DATA })).text).toContain(CANARY_PAGE);
    const page = await who.request(PUBLIC_PAGE);
    expect(page.text).toContain(`href="${CANARY_PAGE}">${CANARY_TITLE}</a>`);
    const nav = await who.request('/api/docs-nav');
    expect(nav.text).toContain(CANARY_PAGE);
    // Signed out again: gone.
    expect((await who.request('/api/reader/session', { method: 'DELETE' })).status).toBe(200);
    expect(namesCanary((await who.request('/')).text)).toBe(false);
  });
});

describe('llms.txt and llms-full.txt per caller (issue 67, 3.6)', () => {
  it('signed out, and a key without the audience: the public pages, for any cache', async () => {
    for (const [label, headers] of [
      ['signed out', {}],
      ['a key without audiences', { authorization: `Bearer ${publicKey}` }],
    ] as const) {
      for (const file of ['/llms.txt', '/llms-full.txt']) {
        const reply = await reader().request(file, { headers });
        expect(reply.status, `${label} ${file}`).toBe(200);
        expect(reply.text, `${label} ${file}`).toContain(PUBLIC_PAGE);
        // Neither listed nor held (a public page's link to it still names it: the private-docs guide warns authors).
        if (file === '/llms.txt') expect(namesCanary(reply.text), `${label} ${file}`).toBe(false);
        expect(reply.text, `${label} ${file}`).not.toContain(`Source: ${server.url}${CANARY_PAGE}\n`);
        expect(reply.text, `${label} ${file}`).not.toContain(CANARY_WORD);
        expect(reply.headers.get('cache-control'), `${label} ${file}`).toBe('public, no-cache');
        expect(reply.headers.get('vary'), `${label} ${file}`).toMatch(/^Cookie, Authorization\b/);
      }
    }
    // Revalidated by its ETag.
    const first = await reader().request('/llms.txt');
    expect((await reader().request('/llms.txt', { headers: { 'if-none-match': first.headers.get('etag')! } })).status).toBe(304);
  });

  it("a signed-in reader of staff, and a key of staff: theirs, with the page, private", async () => {
    const signedIn = await staffReader();
    for (const [label, request] of [
      ['signed in', (file: string) => signedIn.request(file)],
      ['a key of staff', (file: string) => reader().request(file, { headers: { authorization: `Bearer ${staffKey}` } })],
    ] as const) {
      const index = await request('/llms.txt');
      expect(index.text, label).toContain(`[${CANARY_TITLE}](`);
      expect(index.text, label).toContain(`${CANARY_PAGE}.md`);
      expect(index.headers.get('cache-control'), label).toBe('private, no-store');
      const full = await request('/llms-full.txt');
      expect(full.text, label).toContain(`Source: ${server.url}${CANARY_PAGE}\n`);
      expect(full.text, label).toContain(CANARY_WORD);
      expect(full.headers.get('cache-control'), label).toBe('private, no-store');
      expect(full.headers.get('vary'), label).toMatch(/^Cookie, Authorization\b/);
    }
  });
});

/** GET with another Host header than the server's address (fetch does not send one of its own choosing). */
function getWithHost(route: string, host: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const request = http.get(`${server.url}${route}`, { headers: { host } }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => resolve(text));
    });
    request.on('error', reject);
  });
}

/** The `<loc>`s of a sitemap, checked to be well-formed XML of the protocol, with their lastmods. */
function sitemapUrls(xml: string): { loc: string; lastmod: string | null }[] {
  expect(XMLValidator.validate(xml)).toBe(true);
  expect(xml).toContain('<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">');
  return [...xml.matchAll(/<url>\s*<loc>([^<]+)<\/loc>\s*(?:<lastmod>([^<]+)<\/lastmod>\s*)?<\/url>/g)].map((match) => ({ loc: match[1]!, lastmod: match[2] ?? null }));
}

describe('the sitemap and robots.txt (issue 67, 3.5)', () => {
  it('lists every public page of each kind the site shows, with absolute URLs and when each changed; the same whoever asks', async () => {
    const signedOut = await reader().request('/sitemap.xml');
    expect(signedOut.status).toBe(200);
    expect(signedOut.headers.get('content-type')).toBe('application/xml; charset=utf-8');
    expect(signedOut.headers.get('cache-control')).toBe('public, no-cache');
    expect(signedOut.headers.get('set-cookie')).toBeNull();
    const urls = sitemapUrls(signedOut.text);
    const locs = urls.map((url) => url.loc);
    // No SITE_URL: the address the request came to, as every link the site builds.
    const origin = new URL(server.url).origin;
    expect(locs.every((loc) => loc.startsWith(`${origin}/`))).toBe(true);
    expect(locs.slice(0, 2)).toEqual([`${origin}/`, `${origin}/docs`]);
    expect(locs).toContain(`${origin}${PUBLIC_PAGE}`);
    expect(locs).toContain(`${origin}/docs/reference`);
    expect(locs).toContain(`${origin}/docs/reference/petstore-v3`);
    expect(locs).toContain(`${origin}/docs/reference/petstore-v3/operation/listPets`);
    expect(locs).toContain(`${origin}/docs/answers/${answers[0]}`);
    expect(new Set(locs).size).toBe(locs.length);
    // None of an audience: the staff page, the staff answer, the partners' spec.
    expect(namesCanary(signedOut.text)).toBe(false);
    expect(locs).not.toContain(`${origin}/docs/answers/${answers[1]}`);
    expect(signedOut.text).not.toContain('notes-v31');
    // Every folder page the index holds has the day it last changed; an answer its approval.
    expect(urls.find((url) => url.loc === `${origin}${PUBLIC_PAGE}`)?.lastmod).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    expect(urls.find((url) => url.loc === `${origin}/docs/answers/${answers[0]}`)?.lastmod).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    // The spec's page links each of its operations: each is in the sitemap.
    const specPage = await reader().request('/docs/reference/petstore-v3');
    const operations = [...specPage.text.matchAll(/href="(\/docs\/reference\/petstore-v3\/operation\/[^"#]+)"/g)].map((match) => `${origin}${match[1]}`);
    expect(operations.length).toBeGreaterThan(1);
    expect(locs).toEqual(expect.arrayContaining(operations));

    // A reader of staff, a key of staff: the same sitemap (it is for crawlers).
    expect((await (await staffReader()).request('/sitemap.xml')).text).toBe(signedOut.text);
    expect((await reader().request('/sitemap.xml', { headers: { authorization: `Bearer ${staffKey}` } })).text).toBe(signedOut.text);
    // Another address the site is reached at: its URLs.
    const elsewhere = sitemapUrls(await getWithHost('/sitemap.xml', 'docs.example.org'));
    expect(elsewhere.map((url) => url.loc)).toContain(`http://docs.example.org${PUBLIC_PAGE}`);
  });

  it('robots.txt names the sitemap and keeps crawlers out of what is no content; /docs/sitemap.xml leads to it', async () => {
    const robots = await reader().request('/robots.txt');
    expect(robots.status).toBe(200);
    expect(robots.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    const origin = new URL(server.url).origin;
    expect(robots.text).toContain(`Sitemap: ${origin}/sitemap.xml`);
    for (const path of ['/api/', '/maintainers', '/shared/', '/embed', '/assistant']) expect(robots.text).toContain(`\nDisallow: ${path}\n`);
    expect(robots.text).toMatch(/^User-agent: \*\n/);
    const docsSitemap = await reader().request('/docs/sitemap.xml');
    expect(docsSitemap.status).toBe(308);
    expect(docsSitemap.headers.get('location')).toBe('/sitemap.xml');
  });

  it('with SITE_URL set (the tier’s main server), every URL is on SITE_URL', async () => {
    const sitemap = await fetch(`${inject('mainUrl')}/sitemap.xml`);
    const locs = sitemapUrls(await sitemap.text()).map((url) => url.loc);
    expect(locs[0]).toBe(`${PRODUCTION_SITE_URL}/`);
    expect(locs.every((loc) => loc.startsWith(`${PRODUCTION_SITE_URL}/`))).toBe(true);
    expect(await (await fetch(`${inject('mainUrl')}/robots.txt`)).text()).toContain(`Sitemap: ${PRODUCTION_SITE_URL}/sitemap.xml`);
  });
});
