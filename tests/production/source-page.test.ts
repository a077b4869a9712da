import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNextServer, type TNextServer } from '@/scripts/lib/next-server';
import { createSeededDataDir } from '../helpers/pglite-template';
import { CODE_STAFF_RULE, INTERNAL_FILE, makeCodeCheckout, TOASTER_FILE } from '../helpers/code-checkout';

// The site's own source page on `next start` (issue 70): a checkout without a web address (no DOCS_CODE_REPO, no .git)
// is cited on /docs/source/<folder>/<file>. The page serves the file's indexed lines with line and range anchors and
// no script; a file the reader may not read (DOCS_AUDIENCES) is the same 404 as one not indexed. The offline answer
// to a question the code answers quotes the lines and links there, to those lines.

let server: TNextServer;
const PAGE = `/docs/source/widgets/${TOASTER_FILE}`;

beforeAll(async () => {
  server = await startNextServer({
    dataDir: await createSeededDataDir('pa-production-source-page-'),
    env: {
      NODE_ENV: 'production',
      OPENAI_API_KEY: '',
      SUPABASE_URL: '',
      SUPABASE_SERVICE_ROLE_KEY: '',
      SLACK_BOT_TOKEN: '',
      SESSION_SECRET: 'production-source-page-session-secret-0123456789',
      MODERATION: 'off',
      LOG_LEVEL: 'warn',
      DOCS_CODE_DIR: makeCodeCheckout(),
      DOCS_AUDIENCES: CODE_STAFF_RULE,
      RATE_LIMIT_BURST: '100000',
      RATE_LIMIT_IP_BURST: '100000',
      RATE_LIMIT_MESSAGES_PER_HOUR: '100000',
      RATE_LIMIT_IP_MESSAGES_PER_HOUR: '100000',
    },
  });
  // The code kind reads a new checkout at start, in its job: the page is there once it has.
  for (let attempt = 0; attempt < 300; attempt += 1) {
    if ((await fetch(`${server.url}${PAGE}`)).status === 200) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${PAGE} was not served in 30 s`);
}, 120_000);

afterAll(async () => {
  await server?.stop();
});

describe('the source page on next start', () => {
  it("serves the file's lines with line and range anchors, and no script", async () => {
    const response = await fetch(`${server.url}${PAGE}`);
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('<h1 class="heading heading-20 source-file">src/useToaster.ts</h1>');
    // Line 11's anchor and text, a range a quote opens (L9-L12) and the hook's own (L6-L14).
    expect(html).toMatch(/<span class="source-line" id="L11">.*window\.setTimeout\(pop, dismissAfter, id\);/);
    expect(html).toContain('id="L9-L12" class="source-range" style="--lines:4"');
    expect(html).toContain('id="L6-L14"');
    // No script but the pre-paint colour scheme's inline one: no file, no Next runtime, no docs client.
    expect(html).not.toMatch(/<script[^>]*\bsrc=/);
    expect(html).not.toContain('__NEXT_DATA__');
    expect(html.match(/<script/g)).toHaveLength(1);
  });

  it('answers a file the reader may not read as a file that is not indexed', async () => {
    const hidden = await fetch(`${server.url}/docs/source/widgets/${INTERNAL_FILE}`);
    const missing = await fetch(`${server.url}/docs/source/widgets/src/internal/nothing.ts`);
    expect(hidden.status).toBe(404);
    expect(missing.status).toBe(404);
    expect(hidden.headers.get('cache-control')).toBe(missing.headers.get('cache-control'));
    const hiddenText = await hidden.text();
    expect(hiddenText).not.toMatch(/wombatron|zorbix|pageWombatron/);
    expect((await fetch(`${server.url}/docs/source/widgets`)).status).toBe(404);
  });

  it('the offline answer quotes the lines and links to them on the source page', async () => {
    let cookie = '';
    const post = async (route: string, json: unknown) => {
      const response = await fetch(`${server.url}${route}`, { method: 'POST', headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) }, body: JSON.stringify(json) });
      cookie = response.headers.get('set-cookie')?.split(';')[0] ?? cookie;
      return { status: response.status, body: await response.json() };
    };
    const thread = await post('/api/paste-assistant-thread', {});
    const sent = await post('/api/paste-assistant-message', { threadId: thread.body.id, message: 'When does useToaster push call window.setTimeout with dismissAfter?' });
    expect(sent.status, JSON.stringify(sent.body)).toBe(200);
    const messages = (await (await fetch(`${server.url}/api/paste-assistant-messages/${thread.body.id}`, { headers: { cookie } })).json()) as {
      data: { role: string; content: { text: { value: string; annotations: { url: string }[] } }[] }[];
    };
    const answer = messages.data.find((message) => message.role === 'assistant')!.content[0]!.text;
    // The quote: `path:line`, linked to its lines on the source page, then the lines fenced with the language.
    const link = /\[`src\/useToaster\.ts:(\d+)`\]\((\/docs\/source\/widgets\/src\/useToaster\.ts)#(L(\d+)-L(\d+))\)\n\n```ts\n/.exec(answer.value);
    expect(link, answer.value).not.toBeNull();
    const [, line, page, range, from, to] = link!;
    expect(page).toBe(PAGE);
    expect(Number(line)).toBeGreaterThanOrEqual(Number(from));
    expect(Number(line)).toBeLessThanOrEqual(Number(to));
    expect(answer.annotations.map((annotation) => annotation.url)).toContain(`${PAGE}#${range}`);
    // The link opens those lines: the page has the range it names (kept by the answer's link check).
    expect(await (await fetch(`${server.url}${PAGE}`)).text()).toContain(`id="${range}"`);
  });
});
