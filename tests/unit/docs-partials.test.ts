import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { listDocFiles, listPartialFiles, readDocFile } from '@/lib/docs/folder/load';
import { withPartials } from '@/lib/docs/folder/partials';
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
