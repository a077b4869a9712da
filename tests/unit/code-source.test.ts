import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { gitHeadOf, listCodeFiles, packageNames, readCheckoutFile } from '@/lib/docs/sources/code/files';
import { buildCodePage, codePageSlug, linesAnchor } from '@/lib/docs/sources/code/page';
import { codeSettings, DEFAULT_CODE_EXCLUDE, DEFAULT_CODE_INCLUDE, hasCodeSource } from '@/lib/docs/sources/code/settings';
import { parseTypeScript } from '@/lib/docs/sources/code/symbols';
import { identifierWords, wordsOfIdentifiers } from '@/lib/docs/sources/code/words';
import { makeTempDir } from '@/scripts/lib/temp-dir';

// The code kind's pieces (issue 70): identifiers in words, symbols read by TypeScript's parser with their lines,
// doc comments and defaults, a file as a page of sections anchored by their lines, the files a checkout yields, its
// commit from .git, and its settings.

const TOASTER = `import * as React from 'react';
import { useUID } from '@twilio-paste/uid-library';

const DEFAULT_DISMISS_AFTER = 5000;

/** Pushes and pops toasts. */
export const useToaster = ({ dismissAfter = DEFAULT_DISMISS_AFTER, limit = 3 }: { dismissAfter?: number; limit?: number } = {}) => {
  const [toasts, setToasts] = React.useState<string[]>([]);
  const push = (toast: string) => {
    if (Number.isInteger(dismissAfter)) window.setTimeout(() => setToasts([]), dismissAfter);
    setToasts([...toasts, toast].slice(-limit));
  };
  return { toasts, push };
};

export function Toast({ variant = 'neutral' }: { variant?: string }) {
  return <div data-variant={variant} />;
}
Toast.defaultProps = { role: 'status' };

export type ToastVariants = 'neutral' | 'error';
interface Internal { id: string }
export { Internal };
`;

describe('identifier words', () => {
  it('splits camelCase, PascalCase, snake case and acronyms into readers’ words', () => {
    expect(identifierWords('useToaster')).toEqual(['use', 'toaster']);
    expect(identifierWords('dismissAfter')).toEqual(['dismiss', 'after']);
    expect(identifierWords('DEFAULT_Z_INDEX')).toEqual(['default', 'z', 'index']);
    expect(identifierWords('HTMLInputElement')).toEqual(['html', 'input', 'element']);
    expect(wordsOfIdentifiers(['push', 'useToaster', 'use_toaster', 'dismissAfter'])).toEqual(['use toaster', 'dismiss after']);
  });
});

describe('symbols', () => {
  const parsed = parseTypeScript('useToaster.tsx', TOASTER);
  const byName = new Map(parsed.symbols.map((symbol) => [symbol.name, symbol]));

  it('finds each top-level symbol with its kind, lines and whether it is exported', () => {
    expect(parsed.symbols.map((symbol) => [symbol.name, symbol.kind, symbol.startLine, symbol.endLine, symbol.isExported])).toEqual([
      ['imports', 'imports', 1, 2, false],
      ['DEFAULT_DISMISS_AFTER', 'constant', 4, 4, false],
      ['useToaster', 'hook', 6, 14, true],
      ['Toast', 'component', 16, 18, true],
      ['Toast.defaultProps', 'defaults', 19, 19, false],
      ['ToastVariants', 'type', 21, 21, true],
      ['Internal', 'interface', 22, 22, true],
    ]);
    expect(parsed.exports.sort()).toEqual(['Internal', 'Toast', 'ToastVariants', 'useToaster']);
  });

  it('keeps the doc comment, the signature and every default where the symbol sets it', () => {
    const hook = byName.get('useToaster')!;
    expect(hook.doc).toBe('Pushes and pops toasts.');
    expect(hook.signature).toMatch(/^export const useToaster = \(\{ dismissAfter = DEFAULT_DISMISS_AFTER, limit = 3 \}.*=> …$/);
    expect(hook.defaults).toEqual(['dismissAfter = DEFAULT_DISMISS_AFTER', 'limit = 3']);
    expect(byName.get('Toast')!.defaults).toEqual(["variant = 'neutral'"]);
    expect(byName.get('Toast.defaultProps')!.defaults).toEqual(["role = 'status'"]);
    expect(byName.get('DEFAULT_DISMISS_AFTER')!.defaults).toEqual(['DEFAULT_DISMISS_AFTER = 5000']);
  });
});

describe('a file as a page', () => {
  const origin = { name: 'twilio-labs/paste', repo: { owner: 'twilio-labs', name: 'paste' }, commit: 'abc123' };
  const page = buildCodePage({ file: 'packages/toast/src/useToaster.tsx', text: TOASTER, origin, packageName: '@twilio-paste/toast', checksum: 'x' });

  it('is cited on GitHub at the commit, each symbol a section anchored by its lines', () => {
    expect(page.path).toBe('code:twilio-labs/paste/packages/toast/src/useToaster.tsx');
    expect(page.slug).toBe('https://github.com/twilio-labs/paste/blob/abc123/packages/toast/src/useToaster.tsx');
    expect(page.meta).toEqual({ code: { file: 'packages/toast/src/useToaster.tsx', language: 'tsx', package: '@twilio-paste/toast', repo: 'twilio-labs/paste', commit: 'abc123', exports: expect.arrayContaining(['useToaster', 'Toast']) } });
    const hook = page.sections.find((section) => section.heading === 'useToaster')!;
    expect(hook.anchor).toBe('L6-L14');
    expect(hook.content).toContain('In words: use toaster, dismiss after');
    // A default that names a constant of the file says its value.
    expect(hook.content).toContain('`dismissAfter = DEFAULT_DISMISS_AFTER (5000)`');
    expect(hook.content).toMatch(/```tsx\n\/\*\* Pushes and pops toasts\. \*\/\nexport const useToaster[\s\S]*\n};\n```$/);
    expect(page.sections.find((section) => section.heading === 'imports')!.content).toContain("@twilio-paste/uid-library");
  });

  it('cuts a long symbol into parts, each with its own lines, leaving no line out', () => {
    const body = Array.from({ length: 150 }, (_, at) => `  const v${at} = ${at};`).join('\n');
    const long = buildCodePage({ file: 'a.ts', text: `export function big() {\n${body}\n}\n`, origin, packageName: null, checksum: 'x' });
    expect(long.sections.map((section) => section.anchor)).toEqual(['L1-L60', 'L61-L120', 'L121-L152']);
    expect(long.sections[1]!.heading).toBe('big (part 2)');
  });

  it('is cited on the site’s own source page when no repository is known', () => {
    expect(codePageSlug({ name: 'my-app', repo: null, commit: null }, 'src/a b.ts')).toBe('source/my-app/src/a%20b.ts');
    expect(linesAnchor(3, 3)).toBe('L3');
  });
});

describe('a checkout', () => {
  it('yields the source files, not tests, stories, fixtures, build output, declarations or vendored code', () => {
    const dir = makeTempDir('code-files-');
    const files = [
      'src/index.ts',
      'src/Button.tsx',
      'src/Button.test.tsx',
      'src/Button.stories.tsx',
      'src/__tests__/a.ts',
      'src/__fixtures__/b.ts',
      'dist/index.js',
      'node_modules/x/index.js',
      'vendor/lib.js',
      'types/index.d.ts',
      'README.md',
      'scripts/build.mjs',
    ];
    for (const file of files) {
      mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      writeFileSync(path.join(dir, file), 'export const a = 1;\n');
    }
    expect(listCodeFiles(dir, DEFAULT_CODE_INCLUDE, DEFAULT_CODE_EXCLUDE)).toEqual(['scripts/build.mjs', 'src/Button.tsx', 'src/index.ts']);
    expect(listCodeFiles(dir, DEFAULT_CODE_INCLUDE, [...DEFAULT_CODE_EXCLUDE, 'scripts/**'])).toEqual(['src/Button.tsx', 'src/index.ts']);
  });

  it('knows each file’s package and its commit from .git', () => {
    const dir = makeTempDir('code-git-');
    mkdirSync(path.join(dir, 'packages/toast/src'), { recursive: true });
    writeFileSync(path.join(dir, 'package.json'), '{"name":"root"}');
    writeFileSync(path.join(dir, 'packages/toast/package.json'), '{"name":"@twilio-paste/toast"}');
    const packageOf = packageNames((relative) => readCheckoutFile(dir, relative));
    expect(packageOf('packages/toast/src/useToaster.ts')).toBe('@twilio-paste/toast');
    expect(packageOf('scripts/x.ts')).toBe('root');
    expect(gitHeadOf(dir)).toBeNull();
    mkdirSync(path.join(dir, '.git/refs/heads'), { recursive: true });
    writeFileSync(path.join(dir, '.git/HEAD'), 'ref: refs/heads/main\n');
    writeFileSync(path.join(dir, '.git/packed-refs'), `# pack-refs\n${'a'.repeat(40)} refs/heads/main\n`);
    expect(gitHeadOf(dir)).toBe('a'.repeat(40));
    writeFileSync(path.join(dir, '.git/refs/heads/main'), `${'b'.repeat(40)}\n`);
    expect(gitHeadOf(dir)).toBe('b'.repeat(40));
  });
});

describe('settings', () => {
  const parse = (source: Record<string, string>, cwd = process.cwd()) => codeSettings.parse(source, { cwd, source });

  it('is off without DOCS_CODE_DIR, and refuses its other variables alone', () => {
    expect(parse({})).toEqual({ code: null });
    expect(() => parse({ DOCS_CODE_REPO: 'a/b' })).toThrow(/DOCS_CODE_REPO is set but DOCS_CODE_DIR is missing/);
  });

  it('reads the checkout, its globs, repository and ref', () => {
    const dir = makeTempDir('code-settings-');
    const { code } = parse({ DOCS_CODE_DIR: dir, DOCS_CODE_EXCLUDE: 'scripts/**, docs/**', DOCS_CODE_REPO: 'twilio-labs/paste', DOCS_CODE_REF: 'v1.2.3' });
    expect(code).toMatchObject({ dir, include: DEFAULT_CODE_INCLUDE, repo: { owner: 'twilio-labs', name: 'paste' }, ref: 'v1.2.3' });
    expect(code!.exclude.slice(-2)).toEqual(['scripts/**', 'docs/**']);
    expect(() => parse({ DOCS_CODE_DIR: path.join(dir, 'missing') })).toThrow(/is not a folder/);
    expect(() => parse({ DOCS_CODE_DIR: dir, DOCS_CODE_REPO: 'not a repo' })).toThrow(/DOCS_CODE_REPO must be owner\/name/);
  });

  it('reads GITHUB_CODE_REPOS with the GitHub kind’s token, URL, schedule and private rules', () => {
    const { code, codeRepos } = parse({ GITHUB_CODE_REPOS: 'acme/widgets@v2.1.0, acme/tools', GITHUB_TOKEN: 't', GITHUB_SYNC_INTERVAL_MINUTES: '15', GITHUB_INCLUDE_PRIVATE: 'on', GITHUB_PRIVATE_AUDIENCE: 'staff', DOCS_CODE_EXCLUDE: 'docs/**' });
    expect(code).toBeNull();
    expect(codeRepos).toMatchObject({
      repos: [{ owner: 'acme', name: 'widgets', ref: 'v2.1.0' }, { owner: 'acme', name: 'tools', ref: null }],
      token: 't',
      apiUrl: 'https://api.github.com',
      intervalMinutes: 15,
      isPrivateIncluded: true,
      privateAudience: 'staff',
      include: DEFAULT_CODE_INCLUDE,
    });
    expect(codeRepos!.exclude.at(-1)).toBe('docs/**');
    expect(() => parse({ GITHUB_CODE_REPOS: 'acme' })).toThrow(/GITHUB_CODE_REPOS must be owner\/name@ref/);
    expect(() => parse({ GITHUB_CODE_REPOS: 'acme/a@x@y' })).toThrow(/GITHUB_CODE_REPOS must be owner\/name@ref/);
    expect(() => parse({ GITHUB_CODE_REPOS: 'acme/a@main,acme/A@dev' })).toThrow(/names acme\/A twice/);
    expect(() => parse({ GITHUB_CODE_REPOS: 'acme/a', GITHUB_INCLUDE_PRIVATE: 'on' })).toThrow(/GITHUB_TOKEN is missing/);
    const dir = makeTempDir('code-settings-both-');
    expect(() => parse({ DOCS_CODE_DIR: dir, DOCS_CODE_REPO: 'acme/a', GITHUB_CODE_REPOS: 'acme/a@main' })).toThrow(/index it one way/);
    expect(parse({}).codeRepos).toBeUndefined();
  });

  it('has a code source with a checkout or a GitHub repository, and none with neither (read_file is offered only with one)', () => {
    expect(hasCodeSource(parse({}))).toBe(false);
    expect(hasCodeSource(parse({ DOCS_CODE_DIR: makeTempDir('code-settings-has-') }))).toBe(true);
    expect(hasCodeSource(parse({ GITHUB_CODE_REPOS: 'acme/widgets@main' }))).toBe(true);
  });
});
