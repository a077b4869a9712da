import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TApp } from '@/lib/app';
import { READ_PAGE, READ_PAGE_TEXT_CHARS, runToolCall } from '@/lib/assistant/tools';
import { MAINTAINER_ACCESS, PUBLIC_ACCESS, type TReaderAccess } from '@/lib/audiences';
import { syncKindNow } from '@/lib/docs/sources';
import { capToolOutput, MAX_TOOL_OUTPUT_CHARS } from '@/lib/model/context';
import { makeTempDir } from '@/scripts/lib/temp-dir';
import { createTestApp } from '../helpers/app';
import { querySql } from '../helpers/stores';

// read_page (issue 68, item 4): a page of this site or an approved answer, by its URL or path, read through the read
// gate with the caller's access, bounded, in the passages envelope. The tools run as the engine runs them (the
// registry's run over the app's dependencies), on a real database indexed from a docs folder and approved answers.

const SITE_URL = 'https://docs.example.com';
const STAFF: TReaderAccess = { audiences: ['staff'], isMaintainer: false };
let app: TApp;

beforeAll(async () => {
  const dir = makeTempDir('read-page-');
  mkdirSync(path.join(dir, 'guides'));
  mkdirSync(path.join(dir, 'internal'));
  writeFileSync(
    path.join(dir, 'guides/slack.md'),
    '---\ntitle: Slack\n---\n\nConnect the assistant to a Slack workspace.\n\n## Setup\n\nCreate a Slack app for your workspace.\n\n' +
      '### Scopes\n\nThe bot needs chat:write and channels:history.\n\n### Tokens\n\nCopy the bot token into SLACK_BOT_TOKEN.\n\n' +
      '## Troubleshooting\n\nA 401 means the token was revoked.\n',
  );
  writeFileSync(path.join(dir, 'internal/runbook.md'), '---\ntitle: Runbook\n---\n\n## Paging\n\nPage the wombatron rotation through the zorbix pager.\n');
  // A long page: 12 sections of 900 characters, past READ_PAGE_TEXT_CHARS.
  const sections = Array.from({ length: 12 }, (_, at) => `## Part ${at + 1}\n\n${`Part ${at + 1} says "quoted" things. `.repeat(40).slice(0, 900)}\n`);
  writeFileSync(path.join(dir, 'guides/long.md'), `---\ntitle: Long guide\n---\n\n${sections.join('\n')}`);
  app = await createTestApp({ env: { DOCS_DIR: dir, SITE_URL, DOCS_AUDIENCES: 'staff=internal/**|answer:2' } });
  for (const [question, answer] of [
    ['Where do the ferries leave from?', 'The quayside ferries leave from the saffron pier.'],
    ['How do I rotate the vault keys?', 'Rotate the glimmerquartz vault keys through the plinthwhistle console.'],
  ]) {
    await querySql(app.db, "insert into maintainer_answer (question, answer, status, answered_at, decided_at) values ($1, $2, 'approved', now(), now())", [question, answer]);
  }
  await syncKindNow({ kind: 'answer', deps: app, config: app.config });
});

afterAll(async () => {
  await app?.db.close();
});

const read = async (url: string, access: TReaderAccess = PUBLIC_ACCESS) =>
  runToolCall({ access, deps: { ...app, siteUrl: SITE_URL }, call: { id: 'call_1', type: 'function', function: { name: READ_PAGE, arguments: JSON.stringify({ url }) } } });
const parsed = async (url: string, access?: TReaderAccess) => JSON.parse(await read(url, access));

describe('read_page', () => {
  it('reads a docs page whole, by its path, an absolute URL of this site, a bare path or its markdown twin, in the passages envelope', async () => {
    const output = await parsed('/docs/guides/slack');
    expect(output).toEqual({
      url: '/docs/guides/slack',
      title: 'Slack',
      results: [
        { title: 'Slack', heading: '', url: '/docs/guides/slack', content: expect.stringContaining('Slack workspace'), kind: 'docs' },
        { title: 'Slack', heading: 'Setup', url: '/docs/guides/slack#setup', content: expect.stringContaining('Create a Slack app'), kind: 'docs' },
        { title: 'Slack', heading: 'Scopes', url: '/docs/guides/slack#scopes', content: expect.stringContaining('chat:write'), kind: 'docs' },
        { title: 'Slack', heading: 'Tokens', url: '/docs/guides/slack#tokens', content: expect.stringContaining('SLACK_BOT_TOKEN'), kind: 'docs' },
        { title: 'Slack', heading: 'Troubleshooting', url: '/docs/guides/slack#troubleshooting', content: expect.stringContaining('revoked'), kind: 'docs' },
      ],
    });
    for (const url of [`${SITE_URL}/docs/guides/slack`, 'guides/slack', 'docs/guides/slack/', '/docs/guides/slack.md', '/docs/guides/slack?x=1']) {
      expect(await parsed(url), url).toEqual(output);
    }
  });

  it('reads one section and its subsections by its anchor; an anchor the page lacks reads the page from its top, saying so', async () => {
    const setup = await parsed('/docs/guides/slack#setup');
    expect(setup.results.map((result: { url: string }) => result.url)).toEqual(['/docs/guides/slack#setup', '/docs/guides/slack#scopes', '/docs/guides/slack#tokens']);
    expect((await parsed('/docs/guides/slack#tokens')).results.map((result: { heading: string }) => result.heading)).toEqual(['Tokens']);
    const unknown = await parsed('/docs/guides/slack#nowhere');
    expect(unknown.results).toHaveLength(5);
    expect(unknown.note).toBe('The page has no section "#nowhere": this is the page from its top.');
  });

  it('reads an approved answer by its page, as an answer of the maintainers', async () => {
    expect(await parsed('/docs/answers/1')).toEqual({
      url: '/docs/answers/1',
      title: expect.stringContaining('ferries'),
      results: [{ title: expect.stringContaining('ferries'), heading: expect.any(String), url: '/docs/answers/1', content: 'The quayside ferries leave from the saffron pier.', kind: 'answer', answeredAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) }],
    });
  });

  it('answers a page or an answer the caller may not read exactly as one that does not exist', async () => {
    const notFound = (text: string, url: string) => text.replace(JSON.stringify(url).slice(1, -1), '<url>');
    const missing = notFound(await read('/docs/internal/nothing'), '/docs/internal/nothing');
    expect(JSON.parse(missing)).toEqual({ error: expect.stringContaining('No page at "<url>"') });
    for (const url of ['/docs/internal/runbook', '/docs/internal/runbook#paging', '/docs/answers/2']) {
      const hidden = await read(url);
      expect(notFound(hidden, url), url).toBe(missing);
      expect(hidden).not.toMatch(/wombatron|zorbix|Runbook|glimmerquartz|vault/);
    }
    expect(notFound(await read('/docs/answers/99'), '/docs/answers/99')).toBe(missing);
    // The same reads with the audience, or a maintainer's access, find them.
    expect((await parsed('/docs/internal/runbook', STAFF)).results[0].content).toContain('wombatron');
    expect((await parsed('/docs/answers/2', STAFF)).results[0].content).toContain('glimmerquartz');
    expect((await parsed('/docs/internal/runbook#paging', MAINTAINER_ACCESS)).results).toHaveLength(1);
  });

  it("reads only this site's docs: another site's URL, a path outside /docs or one that climbs out are not found", async () => {
    for (const url of ['https://elsewhere.example/docs/guides/slack', '//elsewhere.example/docs/guides/slack', '/api/health', '/docsguides/slack', '/docs/guides/%E0%A4%A', 'javascript:alert(1)']) {
      expect(JSON.parse(await read(url)), url).toEqual({ error: expect.stringContaining('No page at') });
    }
    expect((await parsed('/docs/internal/../guides/slack')).url).toBe('/docs/guides/slack');
  });

  it(`is bounded: at most ${READ_PAGE_TEXT_CHARS} characters of text, cut where marked, the sections left out listed by URL; the context never cuts it again`, async () => {
    const text = await read('/docs/guides/long');
    const output = JSON.parse(text);
    expect(text.length).toBeLessThanOrEqual(MAX_TOOL_OUTPUT_CHARS);
    expect(capToolOutput(text)).toBe(text);
    const lengths = output.results.map((result: { content: string }) => result.content.length);
    expect(lengths.reduce((sum: number, length: number) => sum + length, 0)).toBeLessThanOrEqual(READ_PAGE_TEXT_CHARS);
    expect(output.results.length).toBeGreaterThan(5);
    expect(output.results.length).toBeLessThan(13);
    expect(output.truncated).toBe(true);
    expect(output.note).toMatch(/longer than this tool returns \(6,000 characters of text\): \d+ sections are cut or left out/);
    const last = output.results.at(-1);
    expect(last.content.endsWith('…')).toBe(true);
    // The cut section is the first listed unread, then every one after it, each readable by its URL.
    expect(output.unread[0].url).toBe(last.url);
    expect(output.unread.at(-1)).toEqual({ heading: 'Part 12', url: '/docs/guides/long#part-12' });
    const rest = await parsed(output.unread.at(-1).url);
    expect(rest.results).toEqual([expect.objectContaining({ heading: 'Part 12', content: expect.stringMatching(/^Part 12 says/) })]);
    expect(rest.truncated).toBeUndefined();
  });

  it('refuses arguments that do not fit, saying what they should look like', async () => {
    const bad = await runToolCall({ access: PUBLIC_ACCESS, deps: app, call: { id: 'call_1', type: 'function', function: { name: READ_PAGE, arguments: '{"page":"/docs"}' } } });
    expect(JSON.parse(bad)).toEqual({ error: 'Invalid arguments for read_page: expected JSON like {"url": "/docs/guides/slack"}.' });
  });
});
