import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PUBLIC_ACCESS } from '@/lib/audiences';
import { findDocPath, getMarkdownPage } from '@/lib/docs/agents/markdown';
import { getLlmsTxt } from '@/lib/docs/agents/llms';
import { getDocPageSlugs, isHugoIndexFile, listDocFiles, listPartialFiles, readDocFile, slugFromPath } from '@/lib/docs/folder/load';
import { withPartials } from '@/lib/docs/folder/partials';
import { publishedPath } from '@/lib/docs/folder/published';
import { getDocNav } from '@/lib/docs/gate/folder-nav';
import { parseDoc } from '@/lib/docs/parse/parse';
import { resolveDocHref } from '@/lib/docs/site/links';
import { readSiteName } from '@/lib/docs/site/site-config';
import { pageKind } from '@/lib/relevance/page-kind';
import { makeTempDir } from '@/scripts/lib/temp-dir';

// Partials (lib/docs/folder/partials.ts): a page that imports a Markdown file and writes its tag on a line of its own
// shows that file's text there, as Docusaurus shows it (pnpm's settings pages hold several settings so); a partial is
// no page of its own.

const SCRIPT_SHELL = '---\ntitle: ignored\n---\n### scriptShell\n\nThe shell to use for scripts run with `pnpm run`.\n';
const files: Record<string, string> = {
  'settings/_scriptShell.mdx': SCRIPT_SHELL,
  'settings/_outer.mdx': "import Inner from './_inner.mdx'\n\n### outer\n\n<Inner />\n",
  'settings/_inner.mdx': '### inner\n\nInside a partial.\n',
  'settings/_loop.mdx': "import Loop from './_loop.mdx'\n\n### loop\n\n<Loop />\n",
  'settings/_staff.mdx': '---\naudience: staff\n---\n### canary\n\nStaff-only partial canary.\n',
  'internal/roadmap.md': '---\naudience: staff\n---\n# Roadmap\n\nPrivate page canary.\n',
};
const read = (relativePath: string) => files[relativePath] ?? null;

describe('withPartials', () => {
  it('writes a partial in place of its tag, without its front matter or its import line, and names it', () => {
    const page = "# Settings\n\n### ci\n\nWhether this is CI.\n\nimport ScriptShell from './_scriptShell.mdx'\n\n<ScriptShell />\n\n### after\n\nLast.\n";
    const { source, includes } = withPartials(page, 'settings/other.md', read);
    expect(source).not.toContain('import ScriptShell');
    expect(source).not.toContain('<ScriptShell />');
    expect(source).not.toContain('title: ignored');
    // In place: after the section before the tag, before the one after it.
    expect(source.indexOf('### ci')).toBeLessThan(source.indexOf('### scriptShell'));
    expect(source.indexOf('### scriptShell')).toBeLessThan(source.indexOf('### after'));
    expect(includes).toEqual(['settings/_scriptShell.mdx']);
  });

  it('resolves an import from another folder, and partials a partial imports', () => {
    const fromCli = withPartials("## Options\n\nimport ScriptShell from '../settings/_scriptShell.mdx'\n\n<ScriptShell />\n", 'cli/run.md', read);
    expect(fromCli.source).toContain('### scriptShell');
    const nested = withPartials("import Outer from './settings/_outer.mdx'\n\n<Outer />\n", 'index.md', read);
    expect(nested.source).toMatch(/### outer[\s\S]*### inner[\s\S]*Inside a partial\./);
    expect(nested.includes).toEqual(['settings/_outer.mdx', 'settings/_inner.mdx']);
  });

  it('reads in no page (a page has its own audience) and no partial whose front matter names an audience', () => {
    const page = "import Roadmap from '../internal/roadmap.md'\nimport Staff from './_staff.mdx'\n\n<Roadmap />\n\n<Staff />\n";
    const { source, includes } = withPartials(page, 'settings/other.md', read);
    expect(source).not.toContain('canary');
    expect(source).toContain('<Roadmap />');
    expect(source).toContain('<Staff />');
    expect(includes).toEqual([]);
  });

  it('reads a partial’s audience as a page’s is: a YAML list names one, front matter that does not parse is kept out, an empty one names none', () => {
    const page = "import Listed from './_staffList.mdx'\nimport Broken from './_broken.mdx'\nimport Everyone from './_everyone.mdx'\n\n<Listed />\n\n<Broken />\n\n<Everyone />\n";
    const audiences: Record<string, string> = {
      'settings/_staffList.mdx': '---\naudience:\n  - staff\n---\n### listed\n\nStaff list canary.\n',
      'settings/_broken.mdx': '---\naudience: [staff\n---\n### broken\n\nBroken front matter canary.\n',
      'settings/_everyone.mdx': "---\naudience: ''\ntitle: Everyone\n---\n### everyone\n\nFor every reader.\n",
    };
    const { source, includes } = withPartials(page, 'settings/other.md', (relativePath) => audiences[relativePath] ?? null);
    expect(source).not.toContain('canary');
    expect(source).toContain('For every reader.');
    expect(includes).toEqual(['settings/_everyone.mdx']);
  });

  it('leaves as written an import in a code block, a tag inside a sentence, an import out of the folder, a missing file and a partial importing itself', () => {
    const inCode = "```js\nimport ScriptShell from './_scriptShell.mdx'\n```\n\n<ScriptShell />\n";
    expect(withPartials(inCode, 'settings/other.md', read)).toEqual({ source: inCode, includes: [] });
    const inSentence = "import ScriptShell from './_scriptShell.mdx'\n\nSee <ScriptShell /> here.\n";
    expect(withPartials(inSentence, 'settings/other.md', read).source).toContain('See <ScriptShell /> here.');
    const outside = "import Secret from '../../etc/_passwd.md'\n\n<Secret />\n";
    expect(withPartials(outside, 'settings/other.md', read)).toEqual({ source: outside, includes: [] });
    const missing = "import Gone from './_gone.mdx'\n\n<Gone />\n";
    expect(withPartials(missing, 'settings/other.md', read)).toEqual({ source: missing, includes: [] });
    const loop = withPartials(files['settings/_loop.mdx']!, 'settings/_loop.mdx', read);
    expect(loop.source).toContain('<Loop />');
    expect(loop.includes).toEqual([]);
  });

  it('leaves as written an import and a tag in a ~~~ block, where a ``` line is the example text and closes nothing', () => {
    const page = "# Writing partials\n\n~~~mdx\n```\nimport ScriptShell from './_scriptShell.mdx'\n\n<ScriptShell />\n~~~\n\nAfter.\n";
    expect(withPartials(page, 'settings/other.md', read)).toEqual({ source: page, includes: [] });
  });
});

describe('a docs folder with partials', () => {
  const dir = makeTempDir('docs-partials-');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  for (const [relativePath, source] of Object.entries({ ...files, 'settings/other.md': "# Other\n\nimport ScriptShell from './_scriptShell.mdx'\n\n<ScriptShell />\n", 'index.md': '# Home\n', 'guides/_index.md': '# Guides\n' })) {
    mkdirSync(path.dirname(path.join(dir, relativePath)), { recursive: true });
    writeFileSync(path.join(dir, relativePath), source);
  }

  it('lists the pages without the partials, and the partials apart', () => {
    // Hugo's _index.md is a section's page, listed as one.
    expect(listDocFiles(dir)).toEqual(['guides/_index.md', 'index.md', 'internal/roadmap.md', 'settings/other.md']);
    expect(listPartialFiles(dir)).toEqual(['settings/_inner.mdx', 'settings/_loop.mdx', 'settings/_outer.mdx', 'settings/_scriptShell.mdx', 'settings/_staff.mdx']);
  });

  it('reads a page with its partials in it', () => {
    const page = readDocFile(dir, 'settings/other.md');
    expect(page.source).toContain('The shell to use for scripts');
    expect(page.includes).toEqual(['settings/_scriptShell.mdx']);
  });
});

// Hugo's _index.md is a section's own page, served at its folder's URL as index.md is: every place that turns a file
// into a URL (the page route and the twins through slugFromPath, the navigation, llms.txt, links, where DOCS_BASE_URL
// publishes it, an API tab's guide) says the same.
describe("Hugo's _index.md: its folder's page", () => {
  const SITE = 'https://docs.example.test';
  const dir = makeTempDir('docs-hugo-index-');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const hugo: Record<string, string> = {
    '_index.md': '---\ntitle: Home\nsiteName: Hugo Site\n---\n\n# Home\n\nSee [the guides](guides/_index.md).\n',
    'guides/_index.md': '---\ntitle: Guides\n---\n\n# Guides\n\nStart with [setup](./setup.md), or [setup](setup).\n',
    'guides/setup.md': '---\ntitle: Setup\n---\n\n# Setup\n\nBack to [the guides](./_index.md) or [home](../_index.md).\n',
    'components/badge/_index.mdx': '---\ntitle: Badge\n---\n\n# Badge\n\nText.\n',
    'components/badge/api.mdx': '---\ntitle: Badge API\n---\n\n# Badge API\n\nProps.\n',
    // A folder with both: index.md is the page, whatever the sort order says (`_` sorts first).
    'both/index.md': '---\ntitle: From index.md\n---\n\n# From index.md\n',
    'both/_index.md': '---\ntitle: From _index.md\n---\n\n# From _index.md\n',
  };
  for (const [relativePath, source] of Object.entries(hugo)) {
    mkdirSync(path.dirname(path.join(dir, relativePath)), { recursive: true });
    writeFileSync(path.join(dir, relativePath), source);
  }

  it('is served at its folder, the root one at /docs', () => {
    expect(slugFromPath('guides/_index.md')).toBe('guides');
    expect(slugFromPath('guides/_index.mdx')).toBe('guides');
    expect(slugFromPath('_index.md')).toBe('');
    // Only the exact name: another `_`-named file stays a partial, not a page.
    expect(slugFromPath('guides/my_index.md')).toBe('guides/my_index');
    expect(isHugoIndexFile('_Index.md')).toBe(false);
    expect(readDocFile(dir, 'guides/_index.md').slug).toBe('guides');
    const slugs = getDocPageSlugs(dir);
    expect([...slugs].sort()).toEqual(['', 'both', 'components/badge', 'components/badge/api', 'guides', 'guides/setup']);
    // The page route and the .md twins find a page by its slug.
    expect(findDocPath(dir, 'guides')).toBe('guides/_index.md');
    expect(findDocPath(dir, '')).toBe('_index.md');
    expect(findDocPath(dir, 'guides/_index')).toBeNull();
  });

  it('gives way to index.md in the same folder: index.md is the page, _index.md neither page nor partial', () => {
    expect(listDocFiles(dir)).toEqual(['_index.md', 'both/index.md', 'components/badge/_index.mdx', 'components/badge/api.mdx', 'guides/_index.md', 'guides/setup.md']);
    expect(listPartialFiles(dir)).toEqual([]);
    expect(findDocPath(dir, 'both')).toBe('both/index.md');
  });

  it('is its folder in the navigation and llms.txt, and the guide beside an API tab', () => {
    const nav = getDocNav(dir, {});
    expect(nav.pages.map((page) => page.href).sort()).toEqual(['/docs', '/docs/both', '/docs/components/badge', '/docs/components/badge/api', '/docs/guides', '/docs/guides/setup']);
    expect(nav.pages.find((page) => page.href === '/docs/components/badge/api')?.parent).toBe('/docs/components/badge');
    expect(nav.pages.find((page) => page.href === '/docs/both')?.title).toBe('From index.md');
    const { text } = getLlmsTxt({ docsDir: dir, rules: {}, siteUrl: SITE, access: PUBLIC_ACCESS });
    expect(text).toContain(`(${SITE}/docs/guides.md)`);
    expect(text).not.toContain('_index');
    expect(getMarkdownPage({ docsDir: dir, relativePath: 'guides/_index.md', siteUrl: SITE }).href).toBe('/docs/guides');
    expect(pageKind('components/badge/api.mdx', new Set(listDocFiles(dir)))).toBe('api');
    // A page with no title nor heading is named for its folder, not "_index".
    expect(parseDoc({ source: 'Text only.\n', path: 'guides/_index.md' }).title).toBe('Guides');
    // The site's name from the root _index.md's front matter, as from an index.md's.
    expect(readSiteName({ docsDir: dir })).toBe('Hugo Site');
    // Where DOCS_BASE_URL says the folder is published (a Hugo site serves a section at its folder).
    expect(publishedPath('guides/_index.md')).toBe('guides');
  });

  it("points a page's links at _index.md, and from it, at the pages they name", () => {
    const pageSlugs = getDocPageSlugs(dir);
    const resolve = (href: string, pagePath: string) => resolveDocHref({ href, pagePath, pageSlugs });
    expect(resolve('./_index.md', 'guides/setup.md')).toBe('/docs/guides');
    expect(resolve('../_index.md', 'guides/setup.md')).toBe('/docs');
    expect(resolve('guides/_index.md', '_index.md')).toBe('/docs/guides');
    // From the section's page, served at /docs/guides: a browser would read `./setup.md` as /docs/setup.md.
    expect(resolve('./setup.md', 'guides/_index.md')).toBe('/docs/guides/setup');
    expect(resolve('setup', 'guides/_index.md')).toBe('/docs/guides/setup');
    const twin = getMarkdownPage({ docsDir: dir, relativePath: 'guides/setup.md', siteUrl: SITE }).markdown;
    expect(twin).toContain(`[the guides](${SITE}/docs/guides)`);
    expect(twin).toContain(`[home](${SITE}/docs)`);
  });
});
