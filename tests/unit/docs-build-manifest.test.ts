import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkDocsBuild } from '@/lib/boot';
import { parseConfig } from '@/lib/config';
import {
  compareDocsBuild,
  DOCS_BUILD_FILE,
  describeDocsMismatch,
  fingerprintDocs,
  readDocsBuildManifest,
  reasonToRebuild,
  writeDocsBuildManifest,
  audienceRulesOf,
  type TDocsComparison,
} from '@/lib/docs/site/build-manifest.mjs';
import { resolveDocsDir } from '@/lib/docs/folder/files.mjs';
import { makeTempDir } from '@/scripts/lib/temp-dir';

// What a production build records about its docs, and what `npm start` (rebuild or not) and the server (serve
// or refuse) decide from it.

const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDir(prefix: string): string {
  const dir = makeTempDir(prefix);
  made.push(dir);
  return dir;
}

/** A docs folder holding `files` (relative path → text). */
function buildDocsDir(files: Record<string, string>, dir = tempDir('pa-docs-')): string {
  for (const [relativePath, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, relativePath)), { recursive: true });
    writeFileSync(path.join(dir, relativePath), text);
  }
  return dir;
}

/** A build folder as `next build` leaves it: a BUILD_ID and, unless `docsDir` is null, the docs record. */
function buildBuildDir(docsDir: string | null): string {
  const dir = tempDir('pa-build-');
  writeFileSync(path.join(dir, 'BUILD_ID'), 'test-build');
  if (docsDir !== null) writeDocsBuildManifest({ distDir: dir, docs: fingerprintDocs(docsDir) });
  return dir;
}

const PAGES = { 'index.mdx': '# Home\n', 'guides/slack.mdx': '# Slack\n\nSet it up.\n' };

describe('fingerprintDocs', () => {
  it('checksums each page and fingerprints paths and contents, whatever the order files were written in', () => {
    const a = fingerprintDocs(buildDocsDir(PAGES));
    const b = fingerprintDocs(buildDocsDir({ 'guides/slack.mdx': PAGES['guides/slack.mdx'], 'index.mdx': PAGES['index.mdx'] }));
    expect(Object.keys(a.files)).toEqual(['guides/slack.mdx', 'index.mdx']);
    expect(a.files['index.mdx']).toMatch(/^[0-9a-f]{64}$/);
    expect(b.fingerprint).toBe(a.fingerprint);
  });

  it('changes when a page changes, is renamed, is added or is removed', () => {
    const base = fingerprintDocs(buildDocsDir(PAGES)).fingerprint;
    const variants: Record<string, string>[] = [
      { ...PAGES, 'index.mdx': '# Home!\n' },
      { 'index.mdx': PAGES['index.mdx'], 'guides/slack-setup.mdx': PAGES['guides/slack.mdx'] },
      { ...PAGES, 'faq.md': '# FAQ\n' },
      { 'index.mdx': PAGES['index.mdx'] },
    ];
    const fingerprints = variants.map((files) => fingerprintDocs(buildDocsDir(files)).fingerprint);
    expect(new Set([base, ...fingerprints]).size).toBe(5);
  });

  it('changes when site.config.json is added or changes, since it names the site in every built page', () => {
    const base = fingerprintDocs(buildDocsDir(PAGES)).fingerprint;
    const named = fingerprintDocs(buildDocsDir({ ...PAGES, 'site.config.json': '{"name":"Acme"}' }));
    const renamed = fingerprintDocs(buildDocsDir({ ...PAGES, 'site.config.json': '{"name":"Acme UI"}' }));
    expect(Object.keys(named.files)).toContain('site.config.json');
    expect(new Set([base, named.fingerprint, renamed.fingerprint]).size).toBe(3);
  });

  it('changes when a partial a page imports changes, since the page shows its text (lib/docs/folder/partials.ts)', () => {
    const withPartial = { ...PAGES, 'guides/_shared.mdx': '## Shared\n\nOne text.\n' };
    const base = fingerprintDocs(buildDocsDir(withPartial));
    const edited = fingerprintDocs(buildDocsDir({ ...withPartial, 'guides/_shared.mdx': '## Shared\n\nAnother text.\n' }));
    expect(Object.keys(base.files)).toContain('guides/_shared.mdx');
    expect(edited.fingerprint).not.toBe(base.fingerprint);
  });

  it('changes when a folder\'s _meta.json is added or changes, since it shapes the navigation of every built page', () => {
    const base = fingerprintDocs(buildDocsDir(PAGES));
    const nested = Object.keys(PAGES).find((file) => file.includes('/')) as string;
    const folder = path.dirname(nested);
    const rootMeta = fingerprintDocs(buildDocsDir({ ...PAGES, '_meta.json': '{"pages":["x"]}' }));
    const folderMeta = fingerprintDocs(buildDocsDir({ ...PAGES, [`${folder}/_meta.json`]: '{"title":"Guides"}' }));
    const retitled = fingerprintDocs(buildDocsDir({ ...PAGES, [`${folder}/_meta.json`]: '{"title":"How-to"}' }));
    expect(Object.keys(rootMeta.files)).toContain('_meta.json');
    expect(Object.keys(folderMeta.files)).toContain(`${folder}/_meta.json`);
    expect(new Set([base.fingerprint, rootMeta.fingerprint, folderMeta.fingerprint, retitled.fingerprint]).size).toBe(4);
    // A _meta.json in a folder without pages shapes nothing.
    expect(fingerprintDocs(buildDocsDir({ ...PAGES, 'empty/_meta.json': '{"title":"Nothing"}' })).fingerprint).toBe(base.fingerprint);
  });

  it('counts only the pages the site serves: not other files, dot folders or node_modules', () => {
    const base = fingerprintDocs(buildDocsDir(PAGES)).fingerprint;
    const withOthers = buildDocsDir({ ...PAGES, 'logo.png': 'png', '.drafts/wip.mdx': '# WIP', 'node_modules/x/readme.md': '# x' });
    expect(fingerprintDocs(withOthers).fingerprint).toBe(base);
  });

  it('finds no pages in a folder that does not exist', () => {
    const missing = path.join(tempDir('pa-docs-'), 'nope');
    expect(fingerprintDocs(missing).files).toEqual({});
  });
});

describe('the build record', () => {
  it('is written into the build folder and read back', () => {
    const docsDir = buildDocsDir(PAGES);
    const buildDir = buildBuildDir(docsDir);
    const manifest = readDocsBuildManifest(buildDir);
    expect(manifest).toMatchObject({ version: 1, docsDir, fingerprint: fingerprintDocs(docsDir).fingerprint });
    expect(Object.keys(manifest?.files ?? {})).toEqual(['guides/slack.mdx', 'index.mdx']);
  });

  it('is absent from a build made before builds recorded their docs, or when unreadable', () => {
    const buildDir = buildBuildDir(null);
    expect(readDocsBuildManifest(buildDir)).toBeNull();
    writeFileSync(path.join(buildDir, DOCS_BUILD_FILE), '{"version":1,"docsDir":');
    expect(readDocsBuildManifest(buildDir)).toBeNull();
  });
});

describe('compareDocsBuild', () => {
  const compare = (builtFrom: string, now: string) =>
    compareDocsBuild(readDocsBuildManifest(buildBuildDir(builtFrom)), fingerprintDocs(now));

  it('finds the same docs in the same folder', () => {
    const docsDir = buildDocsDir(PAGES);
    expect(compare(docsDir, docsDir)).toEqual({ kind: 'same', isMoved: false });
  });

  it('finds the same docs when the folder was copied or moved', () => {
    const docsDir = buildDocsDir(PAGES);
    const copy = tempDir('pa-docs-copy-');
    cpSync(docsDir, copy, { recursive: true });
    expect(compare(docsDir, copy)).toEqual({ kind: 'same', isMoved: true });
  });

  it('tells another folder with other pages apart from changes in the same folder', () => {
    const built = buildDocsDir(PAGES);
    const other = buildDocsDir({ 'button.mdx': '# Button\n' });
    expect(compare(built, other)).toEqual({ kind: 'other-folder', builtFrom: built, given: other });
  });

  it('lists the pages added, changed and removed in the same folder', () => {
    const docsDir = buildDocsDir({ ...PAGES, 'old.mdx': '# Old\n' });
    const buildDir = buildBuildDir(docsDir);
    rmSync(path.join(docsDir, 'old.mdx'));
    buildDocsDir({ 'index.mdx': '# Home, edited\n', 'new/page.mdx': '# New\n' }, docsDir);
    expect(compareDocsBuild(readDocsBuildManifest(buildDir), fingerprintDocs(docsDir))).toEqual({
      kind: 'changed',
      docsDir,
      added: ['new/page.mdx'],
      changed: ['index.mdx'],
      removed: ['old.mdx'],
    });
  });

  it('cannot compare with a build that recorded nothing', () => {
    expect(compareDocsBuild(null, fingerprintDocs(buildDocsDir(PAGES)))).toEqual({ kind: 'unrecorded' });
  });
});

describe('describeDocsMismatch (the line a refusing server prints)', () => {
  const mismatches: TDocsComparison[] = [
    { kind: 'unrecorded' },
    { kind: 'other-folder', builtFrom: '/app/content/docs', given: '/srv/paste-docs' },
    { kind: 'changed', docsDir: '/app/content/docs', added: ['a.mdx'], changed: ['b.mdx', 'c.mdx', 'd.mdx', 'e.mdx'], removed: [] },
  ];

  it('is one line that says what to run', () => {
    for (const comparison of mismatches) {
      const line = describeDocsMismatch(comparison);
      expect(line).not.toContain('\n');
      expect(line).toContain('`npm run build`');
      expect(line).toContain('`npm start`');
    }
  });

  it('names the DOCS_DIR given and the folder the build was made from', () => {
    expect(describeDocsMismatch(mismatches[1]!)).toMatch(/DOCS_DIR is \/srv\/paste-docs but this build was made from \/app\/content\/docs\./);
    expect(describeDocsMismatch(mismatches[1]!, { folderExists: false })).toContain('/srv/paste-docs (which does not exist)');
  });

  it('says which pages changed, a few by name', () => {
    expect(describeDocsMismatch(mismatches[2]!)).toContain(
      'the pages in DOCS_DIR /app/content/docs changed since this build: 4 changed (b.mdx, c.mdx, d.mdx and 1 more), 1 added (a.mdx).',
    );
  });

  it('lets the same pages be served, from the same folder or a moved one', () => {
    expect(describeDocsMismatch({ kind: 'same', isMoved: false })).toBeNull();
    expect(describeDocsMismatch({ kind: 'same', isMoved: true })).toBeNull();
  });
});

describe('reasonToRebuild (npm start)', () => {
  const same = { kind: 'same', isMoved: false } as const;

  it('builds when there is no build or the sources are newer', () => {
    expect(reasonToRebuild({ hasBuild: false, changedSources: [], comparison: { kind: 'unrecorded' } })).toBe('No production build yet');
    expect(reasonToRebuild({ hasBuild: true, changedSources: ['lib', 'pages'], comparison: same })).toBe('Sources changed since the last build (lib, pages)');
  });

  it('rebuilds for other docs, changed docs, a build that recorded none, and the same docs in another folder', () => {
    expect(reasonToRebuild({ hasBuild: true, changedSources: [], comparison: { kind: 'other-folder', builtFrom: '/a', given: '/b' } })).toBe(
      'DOCS_DIR is /b but the last build was made from /a',
    );
    expect(
      reasonToRebuild({ hasBuild: true, changedSources: [], comparison: { kind: 'changed', docsDir: '/a', added: [], changed: ['x.mdx'], removed: [] } }),
    ).toBe('The docs changed since the last build: 1 changed (x.mdx)');
    expect(reasonToRebuild({ hasBuild: true, changedSources: [], comparison: { kind: 'unrecorded' } })).toMatch(/does not record/);
    expect(reasonToRebuild({ hasBuild: true, changedSources: [], comparison: { kind: 'same', isMoved: true } })).toMatch(/another folder/);
  });

  it('serves the build as it is when nothing changed', () => {
    expect(reasonToRebuild({ hasBuild: true, changedSources: [], comparison: same })).toBeNull();
  });
});

describe('the audience rules (DOCS_AUDIENCES) in the build record', () => {
  const same = { kind: 'same', isMoved: false } as const;

  it('records the rules the build was made with, trimmed, and reads them back', () => {
    const docsDir = buildDocsDir(PAGES);
    const dir = tempDir('pa-build-');
    writeDocsBuildManifest({ distDir: dir, docs: fingerprintDocs(docsDir), audienceRules: audienceRulesOf({ DOCS_AUDIENCES: ' staff=internal/** ' }) });
    expect(readDocsBuildManifest(dir)?.audienceRules).toBe('staff=internal/**');
    expect(audienceRulesOf({})).toBe('');
  });

  it('npm start rebuilds when the rules changed, or the build recorded none; not when they are the same', () => {
    const rules = (builtWith: string | undefined, given: string) => reasonToRebuild({ hasBuild: true, changedSources: [], comparison: same, audienceRules: { builtWith, given } });
    expect(rules('', 'staff=internal/**')).toBe('DOCS_AUDIENCES changed since the last build');
    expect(rules('staff=internal/**', 'staff=internal/**|ops/**')).toBe('DOCS_AUDIENCES changed since the last build');
    expect(rules('staff=internal/**', '')).toBe('DOCS_AUDIENCES changed since the last build');
    expect(rules(undefined, '')).toMatch(/does not record the audience rules/);
    expect(rules('staff=internal/**', 'staff=internal/**')).toBeNull();
    expect(rules('', '')).toBeNull();
  });

  it('the rules are not part of the pages\' fingerprint: the server serves a build made with other rules', () => {
    const docsDir = buildDocsDir(PAGES);
    const dir = tempDir('pa-build-');
    writeDocsBuildManifest({ distDir: dir, docs: fingerprintDocs(docsDir), audienceRules: 'staff=internal/**' });
    expect(compareDocsBuild(readDocsBuildManifest(dir), fingerprintDocs(docsDir))).toEqual(same);
  });
});

describe('resolveDocsDir', () => {
  it('resolves DOCS_DIR exactly as the server configuration does', () => {
    for (const value of [undefined, '', '  ', 'content/docs', '../shared/corpora/paste-docs', '/srv/docs']) {
      const env = value === undefined ? {} : { DOCS_DIR: value };
      expect(resolveDocsDir(value, '/srv/app')).toBe(parseConfig(env, '/srv/app').docsDir);
    }
    expect(resolveDocsDir(undefined, '/srv/app')).toBe(path.resolve('/srv/app/content/docs'));
  });
});

describe('checkDocsBuild (lib/boot.ts, before the server starts)', () => {
  const configFor = (docsDir: string, NODE_ENV = 'production') => parseConfig({ NODE_ENV, DOCS_DIR: docsDir });

  it('refuses a build of other docs with the one line', () => {
    const built = buildDocsDir(PAGES);
    const other = buildDocsDir({ 'button.mdx': '# Button\n' });
    expect(checkDocsBuild({ config: configFor(other), buildDir: buildBuildDir(built) })).toBe(
      describeDocsMismatch({ kind: 'other-folder', builtFrom: built, given: other }),
    );
  });

  it('refuses a build whose docs changed since, and one that recorded none', () => {
    const docsDir = buildDocsDir(PAGES);
    const buildDir = buildBuildDir(docsDir);
    writeFileSync(path.join(docsDir, 'index.mdx'), '# Home, edited\n');
    expect(checkDocsBuild({ config: configFor(docsDir), buildDir })).toMatch(/changed since this build: 1 changed \(index\.mdx\)/);
    expect(checkDocsBuild({ config: configFor(docsDir), buildDir: buildBuildDir(null) })).toMatch(/does not record which docs/);
  });

  it('serves a build of the same docs', () => {
    const docsDir = buildDocsDir(PAGES);
    expect(checkDocsBuild({ config: configFor(docsDir), buildDir: buildBuildDir(docsDir) })).toBeNull();
  });

  it('checks nothing under next dev, which renders DOCS_DIR on each request, nor without a build folder', () => {
    const other = buildDocsDir({ 'button.mdx': '# Button\n' });
    const buildDir = buildBuildDir(buildDocsDir(PAGES));
    expect(checkDocsBuild({ config: configFor(other), buildDir })).not.toBeNull();
    expect(checkDocsBuild({ config: configFor(other, 'development'), buildDir })).toBeNull();
    expect(checkDocsBuild({ config: configFor(other), buildDir: tempDir('pa-no-build-') })).toBeNull();
  });
});
