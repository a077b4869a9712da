import { cpSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { getLlmsFullTxt, getLlmsTxt } from '@/lib/docs/agents/llms';
import { PUBLIC_ACCESS } from '@/lib/audiences';
import { listDocFiles } from '@/lib/docs/folder/load';
import { absoluteHref, docToMarkdown, getMarkdownPage } from '@/lib/docs/agents/markdown';
import { parseDoc } from '@/lib/docs/parse/parse';
import { makeTempDir } from '@/scripts/lib/temp-dir';
import { FIXTURE_DOCS_DIR } from '../helpers/app';
import { expectTwinMatchesSections } from '../helpers/doc-twins';

const SITE = 'https://docs.example.test';
const CONTENT_DOCS = path.resolve(import.meta.dirname, '../../content/docs');
const doc = (lines: string[]) => lines.join('\n');

describe('docToMarkdown: a page as plain markdown', () => {
  it('writes the title and description, keeps prose, lists, tables, callouts and code (JSX examples too), and drops MDX plumbing', () => {
    const markdown = docToMarkdown({
      path: 'components/button.mdx',
      pageSlugs: new Set(['components/anchor', 'tokens']),
      pageUrl: `${SITE}/docs/components/button`,
      source: doc([
        "export const meta = {title: 'Button', description: 'A clickable element.'};",
        "import {Box} from '@twilio-paste/box';",
        "import Layout from '../layouts/Layout';",
        'export default Layout;',
        '',
        '# Button',
        '',
        '<Box marginTop="space40">',
        '',
        'Use a **primary** button for _the_ main action, `variant="primary"`, see [Anchor](./anchor) or [tokens](/docs/tokens#colors).',
        '',
        '</Box>',
        '',
        '## Examples',
        '',
        '<LivePreview scope={{Button}} language="jsx">',
        '  {`<Button variant="primary">Save</Button>`}',
        '</LivePreview>',
        '',
        '<Callout variant="warning" title="Mind the focus">',
        '  Keep focus visible.',
        '</Callout>',
        '',
        '### Props',
        '',
        '| Prop | Type |',
        '| :--- | ---: |',
        '| `variant` | string |',
        '',
        '1. First',
        '   - nested',
        '2. Second',
        '',
        '```bash',
        'npm install',
        '```',
      ]),
    });
    expect(markdown).toBe(
      doc([
        '# Button',
        '',
        '> A clickable element.',
        '',
        'Use a **primary** button for _the_ main action, `variant="primary"`, see [Anchor](https://docs.example.test/docs/components/anchor) or [tokens](https://docs.example.test/docs/tokens#colors).',
        '',
        '## Examples',
        '',
        '```jsx',
        '<Button variant="primary">Save</Button>',
        '```',
        '',
        '> **Mind the focus**',
        '>',
        '> Keep focus visible.',
        '',
        '### Props',
        '',
        '| Prop      |   Type |',
        '| :-------- | -----: |',
        '| `variant` | string |',
        '',
        '1. First',
        '   - nested',
        '2. Second',
        '',
        '```bash',
        'npm install',
        '```',
        '',
      ]),
    );
    expect(markdown).not.toMatch(/import|export|Layout|<Box|<LivePreview|<Callout/);
  });

  it('escapes text that would otherwise read as markup, so the twin says what the page says', () => {
    const source = doc(['# Literal', '', 'Stars \\*not emphasis\\*, a \\[bracket\\] and a \\<tag\\>, 2 \\* 3 and snake\\_case\\_name.', '', '- \\# not a heading']);
    const markdown = docToMarkdown({ path: 'literal.md', pageSlugs: new Set(), pageUrl: `${SITE}/docs/literal`, source });
    const original = parseDoc({ path: 'literal.md', source });
    const twin = parseDoc({ path: 'literal.md', source: markdown });
    expect(twin.sections.map((section) => section.content)).toEqual(original.sections.map((section) => section.content));
    expect(twin.sections[0]?.content).toContain('Stars *not emphasis*, a [bracket] and a <tag>, 2 * 3 and snake_case_name.');
  });

  it('fences code that itself holds a fence with a longer one', () => {
    const source = doc(['# Fences', '', '````md', '```js', 'code()', '```', '````']);
    const markdown = docToMarkdown({ path: 'fences.md', pageSlugs: new Set(), pageUrl: `${SITE}/docs/fences`, source });
    expect(markdown).toContain('````md\n```js\ncode()\n```\n````');
  });

  it('resolves relative links against the page and leaves other schemes alone', () => {
    const page = `${SITE}/docs/guides/slack`;
    expect(absoluteHref('../configuration#slack', page)).toBe(`${SITE}/docs/configuration#slack`);
    expect(absoluteHref('#setup', page)).toBe(`${page}#setup`);
    expect(absoluteHref('https://api.slack.com/apps', page)).toBe('https://api.slack.com/apps');
    expect(absoluteHref('mailto:team@example.com', page)).toBe('mailto:team@example.com');
  });
});

describe('every page of the docs has a twin with the sections the index holds', () => {
  it('content/docs', () => {
    for (const file of listDocFiles(CONTENT_DOCS)) expectTwinMatchesSections(CONTENT_DOCS, file);
  });

  it('the test fixtures', () => {
    for (const file of listDocFiles(FIXTURE_DOCS_DIR)) expectTwinMatchesSections(FIXTURE_DOCS_DIR, file);
  });

});

describe('llms.txt and llms-full.txt', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });
  const copyOfFixtures = () => {
    const dir = makeTempDir('pa-llms-');
    dirs.push(dir);
    cpSync(FIXTURE_DOCS_DIR, dir, { recursive: true });
    return dir;
  };

  it('lists every page as a link to its markdown twin, under its navigation section, after a title and a summary', () => {
    const docsDir = copyOfFixtures();
    // The H1 names the served site (lib/docs/site/site-config.ts), never this project.
    writeFileSync(path.join(docsDir, 'site.config.json'), '{"name": "Acme UI"}');
    const { text, pages } = getLlmsTxt({ docsDir, rules: {}, siteUrl: SITE, access: PUBLIC_ACCESS });
    const lines = text.split('\n');
    expect(lines[0]).toBe('# Acme UI docs');
    expect(lines[1]).toBe('');
    expect(lines[2]).toMatch(/^> The documentation served at https:\/\/docs\.example\.test\/docs: 4 pages/);
    expect(text).toContain(`${SITE}/llms-full.txt`);
    expect(text).toContain(`${SITE}/mcp`);
    const links = [...text.matchAll(/^- \[([^\]]+)\]\(([^)]+)\)/gm)].map((match) => match[2]);
    expect(pages).toBe(4);
    expect(links.sort()).toEqual([`${SITE}/docs.md`, `${SITE}/docs/guides/buttons.md`, `${SITE}/docs/guides/slack.md`, `${SITE}/docs/reference.md`].sort());
    expect(text).toMatch(/^## \S/m);
  });

  it('llms-full.txt holds every page, each under its title with its URL', () => {
    const docsDir = copyOfFixtures();
    const { text } = getLlmsFullTxt({ docsDir, rules: {}, siteUrl: SITE, access: PUBLIC_ACCESS });
    for (const file of listDocFiles(docsDir)) {
      const page = getMarkdownPage({ docsDir, relativePath: file, siteUrl: SITE });
      expect(text).toContain(`# ${page.title}\n\nSource: ${SITE}${page.href}\n`);
      expect(text).toContain(page.markdown.split('\n').slice(2).join('\n').trim());
    }
  });

  it('is kept until a page changes, and rebuilt when one does', () => {
    const docsDir = copyOfFixtures();
    const first = getLlmsTxt({ docsDir, rules: {}, siteUrl: SITE, access: PUBLIC_ACCESS });
    expect(getLlmsTxt({ docsDir, rules: {}, siteUrl: SITE, access: PUBLIC_ACCESS }).etag).toBe(first.etag);
    const full = getLlmsFullTxt({ docsDir, rules: {}, siteUrl: SITE, access: PUBLIC_ACCESS });

    writeFileSync(path.join(docsDir, 'reference.md'), '---\ntitle: Renamed reference\ndescription: Now with a new name.\n---\n\nBody.\n');
    // A later modification time, whatever the file system's clock resolution.
    utimesSync(path.join(docsDir, 'reference.md'), new Date(), new Date(Date.now() + 5000));
    const changed = getLlmsTxt({ docsDir, rules: {}, siteUrl: SITE, access: PUBLIC_ACCESS });
    expect(changed.etag).not.toBe(first.etag);
    expect(changed.text).toContain(`[Renamed reference](${SITE}/docs/reference.md): Now with a new name.`);
    expect(getLlmsFullTxt({ docsDir, rules: {}, siteUrl: SITE, access: PUBLIC_ACCESS }).text).not.toBe(full.text);
    expect(getMarkdownPage({ docsDir, relativePath: 'reference.md', siteUrl: SITE }).markdown).toBe('# Renamed reference\n\n> Now with a new name.\n\nBody.\n');
  });
});
