import { readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docToMarkdown } from '@/lib/docs/agents/markdown';
import { getDocPageSlugs, readDocFile } from '@/lib/docs/folder/load';
import { freePort, startNextServer, type TNextServer } from '@/scripts/lib/next-server';
import { startFakeGithub, type TFakeGithub, type TFakeRepo } from '../helpers/fake-github';
import { createSeededDataDir } from '../helpers/pglite-template';
import { createClient } from '../helpers/server';
import { newThread, send } from './helpers/tier';

// Issue 56, item 2, as a reader meets it: `next start`, the offline model, real Paste docs pages (the components a
// toast or a tooltip question meets, published as HTML and crawled: the tier's build is of content/docs, so DOCS_DIR
// cannot be the Paste folder) with Paste's GitHub threads synced from a fake GitHub serving the shared corpus. "Toasts do not close by themselves, is this a bug?"
// leads with Toast's Automatic dismissal section (not About Toast) and shows thread #3936 beside it; "Can I put a
// tooltip on a disabled button?" answers no, with the sentence of the Tooltip page that says so.

const CORPORA = path.resolve(__dirname, '../../../shared/corpora');
const read = (name: string) => JSON.parse(readFileSync(path.join(CORPORA, 'paste-github', name), 'utf8')) as unknown;

const PAGES = [
  'components/toast/index.mdx',
  'components/tooltip/index.mdx',
  'components/button/index.mdx',
  'components/alert/index.mdx',
  'components/callout/index.mdx',
  'components/popover/index.mdx',
  'components/help-text/index.mdx',
  'patterns/notifications-and-feedback/index.mdx',
  'primitives/tooltip-primitive/index.mdx',
];

const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const slug = (heading: string) => heading.toLowerCase().replace(/[^\p{L}\p{N}\s-]/gu, '').trim().replace(/\s+/g, '-');

/** The page's Markdown twin as plain HTML: headings with their anchors, paragraphs, lists, code. Enough for a crawl. */
function toHtml(markdown: string): string {
  const blocks: string[][] = [[]];
  let isInFence = false;
  for (const line of markdown.split('\n')) {
    if (line.trimStart().startsWith('```')) isInFence = !isInFence;
    if (!isInFence && line.trim() === '') blocks.push([]);
    else blocks[blocks.length - 1]!.push(line);
  }
  const out: string[] = [];
  for (const block of blocks.map((lines) => lines.join('\n').trim()).filter((text) => text !== '')) {
    const heading = /^(#{1,6})\s+(.*)$/.exec(block);
    if (heading) out.push(`<h${heading[1]!.length} id="${slug(heading[2]!)}">${escapeHtml(heading[2]!)}</h${heading[1]!.length}>`);
    else if (block.startsWith('```')) out.push(`<pre><code>${escapeHtml(block.replace(/^```\w*\n?|\n?```$/g, ''))}</code></pre>`);
    else if (/^[-*]\s/.test(block)) out.push(`<ul>${block.split(/\n(?=[-*]\s)/).map((item) => `<li>${escapeHtml(item.replace(/^[-*]\s+/, ''))}</li>`).join('')}</ul>`);
    else out.push(`<p>${escapeHtml(block)}</p>`);
  }
  return out.join('\n');
}

let fake: TFakeGithub;
let server: TNextServer;
let site: http.Server;

beforeAll(async () => {
  const repo = { issues: read('issues.json'), comments: read('comments.json') } as unknown as TFakeRepo;
  fake = await startFakeGithub({ repos: { 'twilio-labs/paste': repo } });
  const docsDir = path.join(CORPORA, 'paste-docs');
  const pageSlugs = getDocPageSlugs(docsDir);
  const port = await freePort();
  const siteUrl = `http://127.0.0.1:${port}`;
  const pages = new Map<string, string>();
  for (const page of PAGES) {
    const file = readDocFile(docsDir, page);
    const markdown = docToMarkdown({ source: file.source, path: page, pageUrl: `${siteUrl}/${file.slug}`, pageSlugs });
    const title = /^#\s+(.*)$/m.exec(markdown)?.[1] ?? file.slug;
    pages.set(`/${file.slug}`, `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body><main>${toHtml(markdown)}</main></body></html>`);
  }
  const sitemap = `<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">${[...pages.keys()]
    .map((page) => `<url><loc>${siteUrl}${page}</loc></url>`)
    .join('')}</urlset>`;
  site = await new Promise<http.Server>((resolve) => {
    const created = http.createServer((req, res) => {
      const page = (req.url ?? '/').split('?')[0] ?? '/';
      const body = page === '/sitemap.xml' ? sitemap : pages.get(page);
      res.writeHead(body === undefined ? 404 : 200, { 'Content-Type': page === '/sitemap.xml' ? 'application/xml' : 'text/html; charset=utf-8' });
      res.end(body ?? 'not found');
    });
    created.listen(port, '127.0.0.1', () => resolve(created));
  });
  server = await startNextServer({
    dataDir: await createSeededDataDir('pa-production-answer-lead-'),
    env: {
      NODE_ENV: 'production',
      OPENAI_API_KEY: '',
      OPENAI_BASE_URL: '',
      SUPABASE_URL: '',
      SUPABASE_SERVICE_ROLE_KEY: '',
      DATABASE_URL: '',
      SLACK_BOT_TOKEN: '',
      SESSION_SECRET: 'production-answer-lead-secret-0123456789abcdef',
      MODERATION: 'off',
      LOG_LEVEL: 'warn',
      DOCS_DIR: '',
      DOCS_CRAWL_URL: `${siteUrl}/sitemap.xml`,
      GITHUB_REPOS: 'twilio-labs/paste',
      GITHUB_API_URL: fake.url,
      GITHUB_TOKEN: 'answer-lead-token',
    },
  });
  // Every source syncs in the background once the server answers: wait until each records a last sync.
  const deadline = Date.now() + 300_000;
  for (;;) {
    const sources = (await createClient(server.url).get('/api/health')).body.docs.sources as { kind: string; lastRun: string | null; isConfigured: boolean }[];
    if (sources.filter((source) => source.isConfigured).every((source) => source.lastRun)) break;
    if (Date.now() > deadline) throw new Error(`the sources did not sync in 300 s: ${JSON.stringify(sources)}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}, 400_000);

afterAll(async () => {
  await server?.stop();
  await fake?.close();
  await new Promise((resolve) => site?.close(resolve));
});

async function ask(question: string): Promise<{ text: string; urls: string[] }> {
  const client = createClient(server.url);
  const threadId = await newThread(client);
  const run = await send(client, threadId, question);
  expect(run.status).toBe('completed');
  const messages = (await client.get(`/api/paste-assistant-messages/${threadId}`)).body.data;
  const answer = messages.find((message: { role: string }) => message.role === 'assistant');
  const text = answer.content[0].text;
  return { text: text.value, urls: text.annotations.map((annotation: { url: string }) => annotation.url) };
}

describe('the offline answer leads with the section that answers', () => {
  it('a toast that does not close: Automatic dismissal first, and the thread that reported it right after, not under Related', async () => {
    const { text, urls } = await ask('Toasts do not close by themselves, is this a bug?');
    expect(urls[0]).toMatch(/\/components\/toast#automatic-dismissal$/);
    expect(urls.some((url) => url.startsWith('https://github.com/twilio-labs/paste/issues/3936'))).toBe(true);
    expect(text).toContain('A similar problem was reported on GitHub: #3936');
    expect(text).not.toMatch(/answers? your question/);
  }, 120_000);

  it('a tooltip on a disabled button: no, with the sentence that says not to, its section cited first', async () => {
    const { text, urls } = await ask('Can I put a tooltip on a disabled button?');
    expect(text).toMatch(/^No\. The docs say:\n\n> (?:Do not|Don't|Don’t) [^\n]*disabled/i);
    expect(text).toMatch(/disabled/i);
    expect(urls[0]?.split('#')[0]).toMatch(/\/components\/tooltip$/);
  }, 120_000);
});
