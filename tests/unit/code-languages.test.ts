import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { listCodeFiles, packageNames, readCheckoutFile } from '@/lib/docs/sources/code/files';
import { buildCodePage, languageOf } from '@/lib/docs/sources/code/page';
import { codeParser, parseScript, type TParseCode } from '@/lib/docs/sources/code/parse';
import { DEFAULT_CODE_EXCLUDE, DEFAULT_CODE_INCLUDE } from '@/lib/docs/sources/code/settings';
import type { TCodeSymbol } from '@/lib/docs/sources/code/symbols';
import { makeTempDir } from '@/scripts/lib/temp-dir';
import { GO, PYTHON, RUST } from '../helpers/code-fixtures';

// Python, Go and Rust files as the code kind reads them (issue 70): tree-sitter's WebAssembly build with the grammars'
// .wasm files from npm, each file's functions, classes, methods, structs, traits, impls, types and constants with their
// doc comments, signatures, lines and defaults; whether they are exported; the package each belongs to (pyproject.toml,
// go.mod, Cargo.toml); which files a checkout yields.

let parse: TParseCode;
beforeAll(async () => {
  parse = await codeParser(['python', 'go', 'rust', 'ts']);
});

const rows = (symbols: TCodeSymbol[]) => symbols.map((symbol) => [symbol.name, symbol.kind, symbol.startLine, symbol.endLine, symbol.isExported]);
const named = (symbols: TCodeSymbol[], name: string) => symbols.find((symbol) => symbol.name === name)!;

describe('Python', () => {
  it('finds functions, classes (their header) and methods, constants, with lines and what __all__ exports', () => {
    const parsed = parse('toast/toaster.py', PYTHON, 'python');
    expect(rows(parsed.symbols)).toEqual([
      ['imports', 'imports', 2, 3, false],
      ['DEFAULT_DISMISS_AFTER', 'constant', 7, 8, true],
      ['Toaster', 'class', 12, 17, true],
      ['Toaster.push', 'method', 19, 21, true],
      ['Toaster._expire', 'method', 23, 24, false],
      ['make_toaster', 'function', 27, 28, true],
    ]);
    expect(parsed.exports).toEqual(['Toaster', 'DEFAULT_DISMISS_AFTER', 'make_toaster']);
  });

  it('keeps docstrings, comments above, signatures and defaults', () => {
    const { symbols } = parse('toast/toaster.py', PYTHON, 'python');
    expect(named(symbols, 'DEFAULT_DISMISS_AFTER')).toMatchObject({ doc: 'How long a toast stays up, in seconds.', defaults: ['DEFAULT_DISMISS_AFTER = 5.0'] });
    expect(named(symbols, 'Toaster')).toMatchObject({ doc: 'Pushes and pops toasts.', defaults: ['limit = 3', 'variant = "neutral"'] });
    expect(named(symbols, 'Toaster.push')).toMatchObject({
      doc: 'Shows a toast for dismiss_after seconds.',
      signature: 'def push(self, message, dismiss_after=DEFAULT_DISMISS_AFTER): …',
      defaults: ['dismiss_after = DEFAULT_DISMISS_AFTER'],
    });
    expect(named(symbols, 'make_toaster').defaults).toEqual(['limit = 3', 'variant = "neutral"']);
    expect(named(symbols, 'make_toaster').signature).toBe('def make_toaster(limit: int = 3, *, variant: str = "neutral") -> Toaster: …');
  });
});

describe('Go', () => {
  it('finds functions, methods on their receiver, structs, interfaces and each constant of a group, exported by case', () => {
    const parsed = parse('toast/toaster.go', GO, 'go');
    expect(rows(parsed.symbols)).toEqual([
      ['imports', 'imports', 3, 6, false],
      ['DefaultDismissAfter', 'constant', 8, 9, true],
      ['MaxToasts', 'constant', 12, 13, true],
      ['minGap', 'constant', 14, 14, false],
      ['Toaster', 'struct', 17, 21, true],
      ['Notifier', 'interface', 23, 26, true],
      ['NewToaster', 'function', 28, 31, true],
      ['Toaster.Push', 'method', 33, 36, true],
    ]);
    expect(parsed.exports).toEqual(['DefaultDismissAfter', 'MaxToasts', 'Toaster', 'Notifier', 'NewToaster', 'Toaster.Push']);
    const { symbols } = parsed;
    expect(named(symbols, 'DefaultDismissAfter')).toMatchObject({ doc: 'DefaultDismissAfter is how long a toast stays up.', defaults: ['DefaultDismissAfter = 5 * time.Second'] });
    expect(named(symbols, 'NewToaster')).toMatchObject({ doc: 'NewToaster makes a toaster that keeps limit toasts.', signature: 'func NewToaster(limit int) *Toaster { … }' });
    expect(named(symbols, 'Toaster.Push').signature).toBe('func (t *Toaster) Push(message string) { … }');
  });
});

describe('Rust', () => {
  it('finds items, impl blocks (their header) with their functions, traits, and what is pub', () => {
    const parsed = parse('src/lib.rs', RUST, 'rust');
    expect(rows(parsed.symbols)).toEqual([
      ['imports', 'imports', 1, 1, false],
      ['DEFAULT_DISMISS_AFTER', 'constant', 3, 4, true],
      ['Toaster', 'struct', 6, 11, true],
      ['impl Default for Toaster', 'impl', 13, 13, true],
      ['Toaster::default', 'method', 14, 16, true],
      ['impl Toaster', 'impl', 19, 19, true],
      ['Toaster::push', 'method', 20, 23, true],
      ['Toaster::expire', 'method', 25, 25, false],
      ['Notifier', 'trait', 28, 29, true],
      ['Notifier::notify', 'method', 30, 30, true],
      ['Queue', 'type', 33, 33, false],
      ['internal::helper', 'function', 36, 38, false],
    ]);
    expect(parsed.exports).toEqual(['DEFAULT_DISMISS_AFTER', 'Toaster', 'Notifier']);
    const { symbols } = parsed;
    expect(named(symbols, 'Toaster')).toMatchObject({ doc: 'Pushes and pops toasts.' });
    expect(named(symbols, 'DEFAULT_DISMISS_AFTER').defaults).toEqual(['DEFAULT_DISMISS_AFTER = Duration::from_secs(5)']);
    expect(named(symbols, 'impl Default for Toaster').defaults).toEqual(['limit = 3', 'queue = Vec::new()']);
    expect(named(symbols, 'Toaster::push')).toMatchObject({ doc: 'Shows a toast.', signature: 'pub fn push(&mut self, message: &str) { … }' });
  });
});

describe('a page of another language', () => {
  it('is fenced in its language, its sections cited by their lines, its identifiers in words', () => {
    const page = buildCodePage({ file: 'toast/toaster.py', text: PYTHON, origin: { name: 'acme/toast', repo: { owner: 'acme', name: 'toast' }, commit: 'abc' }, packageName: 'toast', checksum: 'x', parse });
    const push = page.sections.find((section) => section.heading === 'Toaster.push')!;
    expect(push.anchor).toBe('L19-L21');
    expect(push.content).toContain('**Toaster.push**: method in `toast/toaster.py` (toast), lines 19–21, exported.');
    expect(push.content).toContain('In words: toaster push, dismiss after');
    expect(push.content).toContain('```python\n    def push(self, message, dismiss_after=DEFAULT_DISMISS_AFTER):');
    expect(page.meta?.code).toMatchObject({ language: 'python', exports: ['Toaster', 'DEFAULT_DISMISS_AFTER', 'make_toaster'] });
    expect([languageOf('a.go'), languageOf('a.rs'), languageOf('a.py'), languageOf('a.rb')]).toEqual(['go', 'rust', 'python', null]);
  });

  it('is not parsed without its grammar loaded', () => {
    expect(() => parseScript('a.py', PYTHON, 'python')).toThrow(/no python parser is loaded/);
  });
});

describe('a checkout in several languages', () => {
  it('yields Python, Go and Rust sources, not their tests or build output, each in its package', () => {
    const dir = makeTempDir('code-langs-');
    const files: Record<string, string> = {
      'py/pyproject.toml': '[project]\nname = "toaster"\nversion = "1.0"\n',
      'py/toaster/core.py': PYTHON,
      'py/toaster/test_core.py': 'def test_it(): pass\n',
      'py/tests/conftest.py': '',
      'py/toaster/__pycache__/core.py': '',
      'poetry/pyproject.toml': '[tool.poetry]\nname = "poetic"\n',
      'poetry/a.py': '',
      'go/go.mod': 'module github.com/acme/toast\n\ngo 1.22\n',
      'go/toast.go': GO,
      'go/toast_test.go': 'package toast\n',
      'go/testdata/x.go': '',
      'rs/Cargo.toml': '[workspace]\nmembers = ["toaster"]\n',
      'rs/toaster/Cargo.toml': '[package]\nname = "toaster-rs"\nversion = "0.1.0"\n',
      'rs/toaster/src/lib.rs': RUST,
      'rs/toaster/target/debug/build.rs': '',
      'rs/toaster/benches/b.rs': '',
      'rs/other/src/main.rs': 'fn main() {}\n',
    };
    for (const [file, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      writeFileSync(path.join(dir, file), text);
    }
    expect(listCodeFiles(dir, DEFAULT_CODE_INCLUDE, DEFAULT_CODE_EXCLUDE)).toEqual(['go/toast.go', 'poetry/a.py', 'py/toaster/core.py', 'rs/other/src/main.rs', 'rs/toaster/src/lib.rs']);
    const packageOf = packageNames((relative) => readCheckoutFile(dir, relative));
    expect(['go/toast.go', 'poetry/a.py', 'py/toaster/core.py', 'rs/other/src/main.rs', 'rs/toaster/src/lib.rs'].map(packageOf)).toEqual(['github.com/acme/toast', 'poetic', 'toaster', null, 'toaster-rs']);
  });
});
