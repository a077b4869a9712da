import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { getDocNav } from '@/lib/docs/gate/folder-nav';
import { buildDocsOverview } from '@/lib/docs/site/pages';
import { makeTempDir } from '@/scripts/lib/temp-dir';

// The sidebar's order comes from the docs themselves (front matter, `_meta.json`), with defaults for a folder
// that says nothing; error pages and drafts never appear in it.

function docsTree(files: Record<string, string>): string {
  const dir = makeTempDir('pa-nav-');
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

const page = (title: string, extra = '') => `---\ntitle: ${title}\n${extra}---\n\n# ${title}\n\nText.\n`;
const labels = (dir: string) => getDocNav(dir, {}).groups.map((group) => `${group.label}: ${group.pages.map((p) => p.title).join(', ')}`);

describe('docs navigation order', () => {
  it('defaults: leading and closing sections by name, a folder index first, dated posts newest first, no 404 or draft', () => {
    const dir = docsTree({
      'index.md': page('Home'),
      '404.mdx': page('404'),
      'api/zeta.md': page('Zeta'),
      'api/alpha.md': page('Alpha'),
      'api/index.md': page('API'),
      'blog/old.md': page('Old post', 'date: 2023-01-02\n'),
      'blog/new.md': page('New post', 'date: 2024-05-06\n'),
      'blog/draft.md': page('Draft post', 'status: draft\n'),
      'getting-started/install.md': page('Install'),
      'components/404/index.md': page('Not here'),
    });
    expect(labels(dir)).toEqual(['Getting started: Install', 'Overview: Home', 'API: API, Alpha, Zeta', 'Blog: New post, Old post']);
    expect(getDocNav(dir, {}).pages.some((link) => /404/.test(link.href))).toBe(false);
  });

  it('_meta.json names and places a folder\'s section and orders its pages; front matter order still wins', () => {
    const dir = docsTree({
      '_meta.json': JSON.stringify({ pages: ['reference', 'guides'] }),
      'guides/_meta.json': JSON.stringify({ title: 'How-to guides', pages: ['slack', 'setup'] }),
      'guides/setup.md': page('Setup'),
      'guides/slack.md': page('Slack'),
      'guides/deploy.md': page('Deploy'),
      'guides/first.md': page('First', 'order: 1\n'),
      'reference/_meta.json': JSON.stringify({ title: 'Reference' }),
      'reference/api.md': page('API'),
    });
    expect(labels(dir)).toEqual(['Reference: API', 'How-to guides: First, Slack, Setup, Deploy']);
  });

  it('tells pages with one title apart by their file name; the folder index keeps the title and comes first', () => {
    const dir = docsTree({
      'components/badge/index.md': page('Badge - Components'),
      'components/badge/api.md': page('Badge - Components'),
      'components/badge/changelog.md': page('Badge - Components'),
      'components/button/index.md': page('Button'),
      'guides/setup.md': page('Setup'),
      'guides/other-setup.md': page('Setup'),
    });
    expect(labels(dir)).toEqual([
      'Components: Badge - Components, Badge - Components · API, Badge - Components · Changelog, Button',
      'Guides: Setup · Other setup, Setup · Setup',
    ]);
  });

  it('makes /docs of a folder without an index page from the navigation: a heading per section, its pages as links', () => {
    const dir = docsTree({
      'components/button.md': page('Button', 'description: Triggers an action.\n'),
      'components/badge.md': page('Badge'),
      'guides/setup.md': page('Setup'),
    });
    expect(buildDocsOverview(getDocNav(dir, {}).groups)).toEqual([
      { type: 'heading', depth: 2, id: 'components', text: 'Components', children: [{ type: 'text', value: 'Components' }] },
      {
        type: 'list',
        ordered: false,
        start: 1,
        items: [
          [{ type: 'paragraph', children: [{ type: 'link', href: '/docs/components/badge', children: [{ type: 'text', value: 'Badge' }] }] }],
          [
            {
              type: 'paragraph',
              children: [
                { type: 'link', href: '/docs/components/button', children: [{ type: 'text', value: 'Button' }] },
                { type: 'text', value: ' — Triggers an action.' },
              ],
            },
          ],
        ],
      },
      { type: 'heading', depth: 2, id: 'guides', text: 'Guides', children: [{ type: 'text', value: 'Guides' }] },
      { type: 'list', ordered: false, start: 1, items: [[{ type: 'paragraph', children: [{ type: 'link', href: '/docs/guides/setup', children: [{ type: 'text', value: 'Setup' }] }] }]] },
    ]);
  });

  // The navigation reads a page's head (front matter, the import/export blocks after it) and parses the whole page
  // only when that does not settle its metadata (lib/docs/gate/folder-nav.ts): the result is the whole page's.
  it('reads a page\'s metadata as a whole parse does: its MDX meta export, its first heading, a meta export further down', () => {
    const dir = docsTree({
      'a.mdx': `export const meta = {\n  title: "From meta",\n  section: "Guides",\n\n  order: 1,\n};\n\nimport { X } from "x";\n\n# Heading\n`,
      'b.mdx': `import { X } from "x";\n\nSome text first.\n\n# From its heading\n\nMore.\n`,
      'c.mdx': `---\ntitle: Front matter\nsection: Guides\n---\n\n# Heading\n\nText.\n\nexport const meta = { title: "Meta below" };\n`,
      'd.md': `---\ntitle: Hidden\nhidden: true\n---\n\nText.\n`,
    });
    expect(labels(dir)).toEqual(['Guides: From meta, Meta below', 'Overview: From its heading']);
  });

  it('ignores a malformed _meta.json', () => {
    const dir = docsTree({ 'guides/_meta.json': '{"pages": "not a list"}', 'guides/b.md': page('B'), 'guides/a.md': page('A') });
    expect(labels(dir)).toEqual(['Guides: A, B']);
  });
});
