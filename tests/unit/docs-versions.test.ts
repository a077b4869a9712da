import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '@/lib/config';
import { listDocFiles } from '@/lib/docs/folder/load';
import { publishedUrl } from '@/lib/docs/folder/published';
import { detectFolderVersions, folderVersionOf, publishedPlaceInVersion } from '@/lib/docs/folder/versions';
import { captureGroupCount, compareVersionsNewestFirst, pickCurrentVersion, versionFromUrl } from '@/lib/docs/parse/versions';
import { makeTempDir } from '@/scripts/lib/temp-dir';
import { copyVersionedDocsFixture } from '../helpers/versioned-docs';

// Versions of the docs from their three shapes (issue 38): Docusaurus's versioned folders, folders named by
// version, and URLs that carry the version (DOCS_VERSION_PATTERN). tests/integration/docs-versions.test.ts searches them.

const DOCUSAURUS = copyVersionedDocsFixture();

function folderOf(files: Record<string, string>, folders: string[] = []): string {
  const root = makeTempDir('paste-versions-');
  for (const folder of folders) mkdirSync(path.join(root, folder), { recursive: true });
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  }
  return root;
}

const detect = (docsDir: string, configuredCurrent: string | null = null) => detectFolderVersions({ docsDir, files: listDocFiles(docsDir), configuredCurrent });

describe('Docusaurus versioned folders', () => {
  it('docs/ is the current version, versions.json lists the released ones; the rest belongs to no version', () => {
    const versions = detect(DOCUSAURUS);
    expect(versions.shape).toBe('docusaurus');
    expect(versions.versions.map((version) => [version.name, version.prefix, version.pages])).toEqual([
      ['current', 'docs/', 3],
      ['1.x', 'versioned_docs/version-1.x/', 3],
    ]);
    expect(versions.current).toBe('current');
    expect(versions.problems).toEqual([]);
    expect(folderVersionOf(versions, 'versioned_docs/version-1.x/guides/export.md')?.name).toBe('1.x');
    expect(folderVersionOf(versions, 'docs/guides/export.md')?.name).toBe('current');
    expect(folderVersionOf(versions, 'blog/community-call.md')).toBeNull();
  });

  it('publishes the current version at the docs root and the others under their names, as Docusaurus serves them', () => {
    const site = { baseUrl: 'https://quill.example/docs', suffix: '' as const };
    const url = (versions: ReturnType<typeof detect>, file: string, meta = {}) => {
      const place = publishedPlaceInVersion(versions, file);
      return publishedUrl(site, place.path, meta, place.versionPrefix);
    };
    const versions = detect(DOCUSAURUS);
    expect(url(versions, 'docs/guides/export.md')).toBe('https://quill.example/docs/guides/export');
    expect(url(versions, 'versioned_docs/version-1.x/guides/export.md')).toBe('https://quill.example/docs/1.x/guides/export');
    // A front matter slug from the root is the version's root; number prefixes go, the version's name stays.
    expect(url(versions, 'versioned_docs/version-1.x/02-setup.md', { slug: '/start' })).toBe('https://quill.example/docs/1.x/start');
    expect(url(versions, 'versioned_docs/version-1.x/02-setup.md')).toBe('https://quill.example/docs/1.x/setup');
    // DOCS_CURRENT_VERSION=1.x (Docusaurus's lastVersion): 1.x at the root, docs/ under next/.
    const released = detect(DOCUSAURUS, '1.x');
    expect(released.current).toBe('1.x');
    expect(url(released, 'versioned_docs/version-1.x/intro.md')).toBe('https://quill.example/docs/intro');
    expect(url(released, 'docs/intro.md')).toBe('https://quill.example/docs/next/intro');
  });

  it('a version folder without pages is a problem, and so is a listed version with no folder; the others are kept', () => {
    const docsDir = folderOf(
      { 'versions.json': '["2.x", "1.x", "0.9"]', 'docs/a.md': '# A', 'versioned_docs/version-2.x/a.md': '# A' },
      ['versioned_docs/version-1.x/images'],
    );
    const versions = detect(docsDir);
    expect(versions.versions.map((version) => version.name)).toEqual(['current', '2.x']);
    expect(versions.problems).toEqual([
      'version 1.x: versioned_docs/version-1.x/ has no pages',
      'version 0.9: versioned_docs/version-0.9/ has no pages (versions.json lists it; the folder is missing)',
    ]);
  });

  it('an unreadable versions.json is a problem; versioned_docs/ still gives the versions', () => {
    const docsDir = folderOf({ 'versions.json': '{"not": "a list"}', 'docs/a.md': '# A', 'versioned_docs/version-3.0/a.md': '# A' });
    const versions = detect(docsDir);
    expect(versions.versions.map((version) => version.name)).toEqual(['current', '3.0']);
    expect(versions.problems).toEqual(['versions.json is not a list of version names; its versions are read from versioned_docs/ alone']);
  });
});

describe('folders named by version', () => {
  it('1.x/, v2/ and 2.0/ are versions, newest first; the highest is current unless DOCS_CURRENT_VERSION names one', () => {
    const docsDir = folderOf({ '1.x/a.md': '# A', 'v2/a.md': '# A', '2.0/a.md': '# A', 'guides/b.md': '# B', 'index.md': '# Home' });
    const versions = detect(docsDir);
    expect(versions.shape).toBe('folders');
    expect(versions.versions.map((version) => version.name)).toEqual(['v2', '2.0', '1.x']);
    expect(versions.current).toBe('v2');
    expect(folderVersionOf(versions, 'guides/b.md')).toBeNull();
    expect(publishedPlaceInVersion(versions, '1.x/a.md')).toEqual({ path: 'a.md', versionPrefix: '1.x/' });
    expect(detect(docsDir, '1.x').current).toBe('1.x');
    expect(detect(docsDir, '9.x').problems).toEqual(['DOCS_CURRENT_VERSION names 9.x, which is not a version of the docs folder; the current version is v2']);
  });

  it('a version folder without pages is reported; a folder of unversioned docs has no versions at all', () => {
    const docsDir = folderOf({ '1.x/a.md': '# A' }, ['2.x/img']);
    expect(detect(docsDir)).toMatchObject({ current: '1.x', problems: ['version 2.x: 2.x/ has no pages'] });
    expect(detect(path.resolve('content/docs'))).toEqual({ shape: 'none', versions: [], current: null, problems: [] });
  });

  it('a folder named by a bare number (404/, 2024/) is pages, unless bare numbers are all the versions there are', () => {
    const none = { shape: 'none', versions: [], current: null, problems: [] };
    expect(detect(folderOf({ '404/index.mdx': '# Not found', 'guides/a.md': '# A' }))).toEqual(none);
    expect(detect(folderOf({ '2024/post.md': '# Post', 'index.md': '# Home' }))).toEqual(none);
    expect(detect(folderOf({ '1/a.md': '# A', '2/a.md': '# A' }))).toMatchObject({ shape: 'folders', current: '2' });
    expect(detect(folderOf({ '404/index.mdx': '# Not found', 'v2/a.md': '# A' })).versions.map((version) => version.name)).toEqual(['v2']);
  });
});

describe('versions in URLs (DOCS_VERSION_PATTERN)', () => {
  it('reads the one capture group; no match, no version', () => {
    const pattern = '/docs/(\\d+\\.x|next)/';
    expect(versionFromUrl(pattern, 'https://quill.example/docs/1.x/configuration')).toBe('1.x');
    expect(versionFromUrl(pattern, 'https://quill.example/docs/next/intro')).toBe('next');
    expect(versionFromUrl(pattern, 'https://quill.example/blog/launch')).toBeNull();
    expect(versionFromUrl(null, 'https://quill.example/docs/1.x/configuration')).toBeNull();
  });

  it('the config accepts a pattern with one capture group and refuses the others, in one line', () => {
    expect(parseConfig({ DOCS_VERSION_PATTERN: '/v(\\d+)/', DOCS_CURRENT_VERSION: '3' }).docsSources.versions).toEqual({ pattern: '/v(\\d+)/', current: '3' });
    expect(parseConfig({}).docsSources.versions).toBeUndefined();
    expect(() => parseConfig({ DOCS_VERSION_PATTERN: '/docs/(\\d+/' })).toThrow(/^DOCS_VERSION_PATTERN: not a regular expression/);
    expect(() => parseConfig({ DOCS_VERSION_PATTERN: '/docs/\\d+/' })).toThrow(/^DOCS_VERSION_PATTERN: must have exactly one capture group, the version \(it has 0\)/);
    expect(() => parseConfig({ DOCS_VERSION_PATTERN: '/(docs)/(\\d+)/' })).toThrow(ConfigError);
    expect(captureGroupCount(/(?<version>\d+)(?:\.x)?/)).toBe(1);
  });
});

describe('ordering versions', () => {
  it('newest first: Docusaurus current, then numbers (x above every number), then other names', () => {
    expect(['1.2', 'legacy', '1.x', '10.0', 'current', 'v2', '2.0.1'].sort(compareVersionsNewestFirst)).toEqual(['current', '10.0', 'v2', '2.0.1', '1.x', '1.2', 'legacy']);
    expect(pickCurrentVersion(['1.x', '2.x'], null)).toBe('2.x');
    expect(pickCurrentVersion(['1.x', '2.x'], '1.x')).toBe('1.x');
    expect(pickCurrentVersion([], '1.x')).toBeNull();
  });
});
