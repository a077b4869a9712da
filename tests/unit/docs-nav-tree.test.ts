import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { getDocNav, navForAccess } from '@/lib/docs/gate/folder-nav';
import { buildDocsOverview } from '@/lib/docs/site/pages';
import { PUBLIC_ACCESS } from '@/lib/audiences';
import { toNavLinks, type TNavLink } from '@/lib/shared/docs';
import { makeTempDir } from '@/scripts/lib/temp-dir';

// The navigation as readers expect it (issue 67, 3.12): names in the order a reader looks them up (case and accents
// aside, numbers by value), whatever else the docs hold, and a component's API and changelog pages under the
// component's page, named by what the component's title does not already say.

function docsTree(files: Record<string, string>): string {
  const dir = makeTempDir('pa-nav-tree-');
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

const page = (title: string, extra = '') => `---\ntitle: ${title}\n${extra}---\n\n# ${title}\n\nText.\n`;
const tree = (links: TNavLink[]): unknown[] => links.map((link) => (link.children ? { [link.title]: tree(link.children) } : link.title));

// Names in the Paste docs' spelling (case and punctuation as they are), and more of them than a sort handles by
// insertion alone: the old order went wrong only past that.
const COMPONENTS = [
  'Data Grid', 'Account Switcher - Components', 'AI Chat Log - Components', 'Alert', 'Alert Dialog - Components', 'Anchor', 'avatar',
  'Badge - Components', 'Blockquote', 'Breadcrumb', 'Button', 'Button Group', 'Callout', 'Card', 'Chat Log', 'Checkbox', 'Code Block',
  'Combobox', 'Date Picker', 'Description List', 'Detail Text', 'Disclosure', 'Display Heading', 'Display Pill Group', 'Editable Code Block',
  'File Picker', 'File Uploader', 'Form', 'Heading', 'Help Text', 'In Page Navigation', 'Inline Code Block', 'Input', 'Label', 'List',
  'Menu', 'Meter', 'Minimizable Dialog', 'Modal', 'Page Header', 'Pagination', 'Paragraph', 'Popover', 'Progress Steps', 'Radio Group',
  'Select', 'Separator', 'Side Modal', 'Skeleton Loader', 'Slider', 'Spinner', 'Status Badge', 'Step 10', 'Step 2', 'Summary Detail',
  'Switch', 'Table', 'Tabs', 'Text Area', 'Time Picker', 'Toast', 'Tooltip', 'Topbar', 'Visual Picker', 'Ébauche',
];

describe('the navigation order', () => {
  it('sorts names as a reader looks them up, wherever the docs also hold dated posts', () => {
    const files: Record<string, string> = {};
    COMPONENTS.forEach((title, at) => {
      files[`components/c${String(at).padStart(2, '0')}/index.mdx`] = page(title);
    });
    for (let day = 1; day <= 28; day += 1) files[`blog/post-${day}.md`] = page(`Post ${day}`, `date: 2024-02-${String(day).padStart(2, '0')}\n`);
    const nav = getDocNav(docsTree(files), {});
    const components = nav.groups.find((group) => group.label === 'Components')!.pages.map((link) => link.navTitle ?? link.title);
    expect(components.slice(0, 8)).toEqual(['Account Switcher', 'AI Chat Log', 'Alert', 'Alert Dialog', 'Anchor', 'avatar', 'Badge', 'Blockquote']);
    expect(components.indexOf('Step 2')).toBe(components.indexOf('Step 10') - 1);
    expect(components.indexOf('Ébauche')).toBe(components.indexOf('Editable Code Block') - 1);
    expect(components).toEqual([...components].sort(new Intl.Collator('en', { numeric: true, sensitivity: 'base' }).compare));
    // Posts: newest first.
    expect(nav.groups.find((group) => group.label === 'Blog')!.pages.map((link) => link.title).slice(0, 3)).toEqual(['Post 28', 'Post 27', 'Post 26']);
  });
});

describe('pages under their page', () => {
  const paste = () =>
    docsTree({
      'components/index.mdx': page('Components overview'),
      'components/badge/index.mdx': page('Badge - Components'),
      'components/badge/api.mdx': page('Badge - Components'),
      'components/badge/changelog.mdx': page('Badge - Components'),
      'components/account-switcher/index.mdx': page('Account Switcher - Components'),
      'components/account-switcher/api.mdx': page('Account Switcher - API'),
      'components/account-switcher/changelog.mdx': page('Account Switcher - Components'),
      'components/button/index.mdx': page('Button'),
      'components/button/api.mdx': page('Button - API'),
      'components/icon/index.mdx': page('Icon'),
      'components/icon/usage-guidelines/index.mdx': page('Icon usage guidelines'),
      'guides/index.md': page('Guides'),
      'guides/setup.md': page('Setup'),
    });

  it("nests a component's API and changelog pages under it, named by what its title does not say, in reading order", () => {
    const nav = getDocNav(paste(), {});
    const components = nav.groups.find((group) => group.label === 'Components')!.pages;
    expect(components.map((link) => [link.navTitle ?? link.title, link.parent ?? null])).toEqual([
      ['Components overview', null],
      ['Account Switcher', null],
      ['API', '/docs/components/account-switcher'],
      ['Changelog', '/docs/components/account-switcher'],
      ['Badge', null],
      ['API', '/docs/components/badge'],
      ['Changelog', '/docs/components/badge'],
      ['Button', null],
      ['API', '/docs/components/button'],
      ['Icon', null],
      ['Icon usage guidelines', '/docs/components/icon'],
    ]);
    // Titles stay whole where a page is named on its own (llms.txt, MCP, the page's <title>).
    expect(components.find((link) => link.href === '/docs/components/badge/api')?.title).toBe('Badge - Components · API');
    // A section's own index page is the section, no page's parent.
    expect(nav.groups.find((group) => group.label === 'Guides')!.pages.map((link) => [link.title, link.parent ?? null])).toEqual([
      ['Guides', null],
      ['Setup', null],
    ]);
  });

  it("lists a page's own pages only on the way to the page shown", () => {
    const nav = getDocNav(paste(), {});
    const components = (current: string) => tree(toNavLinks(nav.groups, current).find((group) => group.label === 'Components')!.pages);
    expect(components('/')).toEqual(['Components overview', 'Account Switcher', 'Badge', 'Button', 'Icon']);
    expect(components('/docs/components/badge/api')).toEqual(['Components overview', 'Account Switcher', { Badge: ['API', 'Changelog'] }, 'Button', 'Icon']);
    expect(components('/docs/components/badge')).toEqual(['Components overview', 'Account Switcher', { Badge: ['API', 'Changelog'] }, 'Button', 'Icon']);
  });

  it("lists a page in its parent's place when the reader may not read the parent", () => {
    const dir = paste();
    const nav = getDocNav(dir, {});
    const groups = nav.groups.map((group) => ({ ...group, pages: group.pages.map((link) => (link.href === '/docs/components/badge' ? { ...link, audiences: ['staff'] } : link)) }));
    const seen = navForAccess({ groups, pages: groups.flatMap((group) => group.pages) }, PUBLIC_ACCESS);
    const components = tree(toNavLinks(seen.groups, '/').find((group) => group.label === 'Components')!.pages);
    // Named in full: "API" alone would not say whose.
    expect(components).toEqual(['Components overview', 'Account Switcher', 'Badge - Components · API', 'Badge - Components · Changelog', 'Button', 'Icon']);
  });

  it("lists a page's own pages in its item of /docs's generated overview, without the description they share", () => {
    const dir = docsTree({
      'components/badge/index.mdx': page('Badge - Components', 'description: A label.\n'),
      'components/badge/api.mdx': page('Badge - Components', 'description: A label.\n'),
      'components/button/index.mdx': page('Button', 'description: An action.\n'),
    });
    const [, list] = buildDocsOverview(getDocNav(dir, {}).groups);
    expect(list).toEqual({
      type: 'list',
      ordered: false,
      start: 1,
      items: [
        [
          { type: 'paragraph', children: [{ type: 'link', href: '/docs/components/badge', children: [{ type: 'text', value: 'Badge' }] }, { type: 'text', value: ' — A label.' }] },
          { type: 'list', ordered: false, start: 1, items: [[{ type: 'paragraph', children: [{ type: 'link', href: '/docs/components/badge/api', children: [{ type: 'text', value: 'API' }] }] }]] },
        ],
        [{ type: 'paragraph', children: [{ type: 'link', href: '/docs/components/button', children: [{ type: 'text', value: 'Button' }] }, { type: 'text', value: ' — An action.' }] }],
      ],
    });
  });
});
