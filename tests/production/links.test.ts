import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNextServer, type TNextServer } from '@/scripts/lib/next-server';
import { createClient } from '../helpers/server';
import { newThread, send } from './helpers/tier';

// Links follow the server under `next start`: without SITE_URL, the maintainers' dashboard links its transcripts
// at the address the dashboard was reached at (the Host it was asked with; a forwarded host only behind a
// trusted proxy), never at http://localhost:3000; with a SITE_URL on this machine at another port than the
// server's, start-up says so once.

const TOKEN = 'links-test-maintainer-token-0123456789';
// Nothing of the tier's environment that would reach a model, Slack or a database, and no SITE_URL.
const BASE_ENV: Record<string, string> = {
  NODE_ENV: 'production',
  SESSION_SECRET: 'links-test-session-secret-0123456789abcdef',
  MAINTAINER_TOKEN: TOKEN,
  SITE_URL: '',
  OPENAI_API_KEY: '',
  OPENAI_BASE_URL: '',
  EMBEDDINGS_BASE_URL: '',
  SLACK_BOT_TOKEN: '',
  SLACK_CHANNEL_ID: '',
  SLACK_API_URL: '',
  SLACK_SIGNING_SECRET: '',
  DATABASE_URL: '',
  SUPABASE_URL: '',
  SUPABASE_SERVICE_ROLE_KEY: '',
  DOCS_CRAWL_URL: '',
  TRUSTED_PROXY_HEADER: '',
  MODERATION: 'off',
  LOG_LEVEL: 'warn',
};
const servers: TNextServer[] = [];
let plain: TNextServer;
let proxied: TNextServer;

/** GET with a Host header of our choosing (fetch does not let one set it). */
function getWithHost(url: string, headers: Record<string, string>): Promise<{ status: number; html: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { authorization: `Bearer ${TOKEN}`, ...headers } }, (response) => {
      let html = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (html += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, html }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** An unanswered question, so that the dashboard lists it with a link to its transcript. */
async function unansweredThread(server: TNextServer): Promise<string> {
  const client = createClient(server.url);
  const threadId = await newThread(client);
  await send(client, threadId, 'Does the zorbling quaffmeister gyrate the plinth?');
  return threadId;
}

const transcriptLinks = (html: string) => [...html.matchAll(/href="([^"]*\/maintainers\/threads\/[^"]+)"/g)].map((match) => match[1]!.replace(/&amp;/g, '&'));

beforeAll(async () => {
  [plain, proxied] = await Promise.all([
    startNextServer({ env: BASE_ENV, isMigrated: true }),
    startNextServer({ env: { ...BASE_ENV, TRUSTED_PROXY_HEADER: 'x-forwarded-for' }, isMigrated: true }),
  ]);
  servers.push(plain, proxied);
}, 120_000);

afterAll(async () => {
  await Promise.all(servers.map((server) => server.stop()));
});

describe('links follow the server (SITE_URL unset)', () => {
  it("the dashboard's transcript links point where the dashboard was reached, and open", async () => {
    const threadId = await unansweredThread(plain);
    const port = new URL(plain.url).port;

    const direct = await getWithHost(`${plain.url}/maintainers`, {});
    expect(direct.status).toBe(200);
    const links = transcriptLinks(direct.html);
    expect(links.some((link) => link.startsWith(`${plain.url}/maintainers/threads/${threadId}?`))).toBe(true);
    expect(links.every((link) => link.startsWith(`${plain.url}/`))).toBe(true);
    const page = await fetch(links.find((link) => link.includes(threadId))!);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('zorbling');

    const byName = await getWithHost(`${plain.url}/maintainers`, { host: `localhost:${port}` });
    expect(transcriptLinks(byName.html).every((link) => link.startsWith(`http://localhost:${port}/maintainers/threads/`))).toBe(true);

    // Without a trusted proxy, forwarded headers are anyone's: ignored.
    const spoofed = await getWithHost(`${plain.url}/maintainers`, { 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'https' });
    expect(transcriptLinks(spoofed.html).every((link) => link.startsWith(`${plain.url}/`))).toBe(true);
  });

  it('behind a trusted proxy, they point at the forwarded host and scheme', async () => {
    const threadId = await unansweredThread(proxied);
    const forwarded = await getWithHost(`${proxied.url}/maintainers`, { 'x-forwarded-host': 'docs.example.test', 'x-forwarded-proto': 'https', 'x-forwarded-for': '203.0.113.9' });
    expect(forwarded.status).toBe(200);
    expect(transcriptLinks(forwarded.html).some((link) => link.startsWith(`https://docs.example.test/maintainers/threads/${threadId}?`))).toBe(true);
  });
});

describe('a SITE_URL on this machine at another port', () => {
  it('is reported once at start-up', async () => {
    const server = await startNextServer({ env: { ...BASE_ENV, SITE_URL: 'http://localhost:3000' }, isMigrated: true });
    servers.push(server);
    // Boot logs it once the app is up, before /api/health answers (startNextServer waited for that).
    expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
    const port = new URL(server.url).port;
    const warnings = server.output().split('\n').filter((line) => line.includes('SITE_URL is http://localhost:3000 but the server listens on'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(`http://localhost:${port}`);
  });
});
