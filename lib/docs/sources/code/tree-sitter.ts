import path from 'node:path';
import type { Language, Node, Parser } from 'web-tree-sitter';

// tree-sitter's WebAssembly build (web-tree-sitter) and the grammars the code kind parses Python, Go and Rust with:
// the .wasm files @vscode/tree-sitter-wasm ships (built with tree-sitter 0.25, language ABI 15, which web-tree-sitter
// 0.27 reads). Both are packages on disk: nothing is downloaded, and next.config.mjs keeps them external and traces
// their .wasm files. Loaded once, on the first file that needs a grammar; parsing is synchronous after that.

export type TTreeLanguage = 'python' | 'go' | 'rust';

const GRAMMAR_FILES: Record<TTreeLanguage, string> = {
  python: 'tree-sitter-python.wasm',
  go: 'tree-sitter-go.wasm',
  rust: 'tree-sitter-rust.wasm',
};

/**
 * A grammar's .wasm, by path in its package's folder, resolved by Node at run time. The bundler rewrites what it
 * recognises as a require (`createRequire(import.meta.url).resolve(…)` gives a module's number in a build) and compiles
 * a requested .wasm as a module of its own: Node's own createRequire, taken by process.getBuiltinModule, it leaves alone.
 */
function grammarPath(language: TTreeLanguage): string {
  const { createRequire } = process.getBuiltinModule('node:module');
  const folder = path.dirname(createRequire(import.meta.url).resolve('@vscode/tree-sitter-wasm/package.json'));
  return path.join(/* turbopackIgnore: true */ folder, 'wasm', GRAMMAR_FILES[language]);
}

/** Parses one language's text into a syntax tree, handing its root to `read` and freeing the tree after. */
export type TTreeParse = <T>(text: string, read: (root: Node) => T) => T;

let runtime: Promise<typeof import('web-tree-sitter')> | null = null;
const languages = new Map<TTreeLanguage, Promise<Language>>();

async function loadRuntime(): Promise<typeof import('web-tree-sitter')> {
  const treeSitter = await import('web-tree-sitter');
  // An external package: it finds its own web-tree-sitter.wasm beside its module.
  await treeSitter.Parser.init();
  return treeSitter;
}

const parsers = new Map<TTreeLanguage, TTreeParse>();

/** A parser of `language`, its runtime and grammar loaded: one per language and process (a sync reuses it). */
export async function treeParser(language: TTreeLanguage): Promise<TTreeParse> {
  const known = parsers.get(language);
  if (known) return known;
  runtime ??= loadRuntime().catch((error: unknown) => {
    runtime = null;
    throw error;
  });
  const treeSitter = await runtime;
  let grammar = languages.get(language);
  if (!grammar) {
    grammar = treeSitter.Language.load(grammarPath(language));
    languages.set(language, grammar);
    grammar.catch(() => languages.delete(language));
  }
  const loaded = await grammar;
  const existing = parsers.get(language);
  if (existing) return existing;
  const parser: Parser = new treeSitter.Parser();
  parser.setLanguage(loaded);
  const parse: TTreeParse = (text, read) => {
    const tree = parser.parse(text);
    if (!tree) throw new Error(`tree-sitter could not parse this ${language} file`);
    try {
      return read(tree.rootNode);
    } finally {
      tree.delete();
    }
  };
  parsers.set(language, parse);
  return parse;
}
