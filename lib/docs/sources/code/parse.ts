import type { Node } from 'web-tree-sitter';
import { parseGo } from './go';
import { parsePython } from './python';
import { parseRust } from './rust';
import { parseTypeScript, type TParsedCode } from './symbols';
import { treeParser, type TTreeLanguage, type TTreeParse } from './tree-sitter';

// Which parser reads a file, by the language its extension names (./page.ts languageOf): TypeScript's compiler API
// for TypeScript and JavaScript (./symbols.ts), tree-sitter for Python, Go and Rust (./python.ts, ./go.ts, ./rust.ts).
// tree-sitter's grammars load asynchronously, once, and only for the languages a source has; a grammar that cannot
// load fails its language's files (they keep their last sections), never the others.

/** A file's symbols; throws when its language has no parser (or its grammar did not load). */
export type TParseCode = (file: string, text: string, language: string) => TParsedCode;

const TREE_READERS: Record<TTreeLanguage, (source: string, root: Node) => TParsedCode> = {
  python: parsePython,
  go: parseGo,
  rust: parseRust,
};

const isTreeLanguage = (language: string): language is TTreeLanguage => language in TREE_READERS;

/** TypeScript and JavaScript only: what needs no grammar loaded. */
export const parseScript: TParseCode = (file, text, language) => {
  if (isTreeLanguage(language)) throw new Error(`no ${language} parser is loaded`);
  return parseTypeScript(file, text);
};

/** A parser of every language in `languages`, their grammars loaded. */
export async function codeParser(languages: Iterable<string>): Promise<TParseCode> {
  const trees = new Map<TTreeLanguage, { parse: TTreeParse } | { failure: string }>();
  for (const language of new Set(languages)) {
    if (!isTreeLanguage(language)) continue;
    trees.set(
      language,
      await treeParser(language).then(
        (parse) => ({ parse }),
        (error: unknown) => ({ failure: `the ${language} grammar did not load: ${error instanceof Error ? error.message : String(error)}` }),
      ),
    );
  }
  return (file, text, language) => {
    if (!isTreeLanguage(language)) return parseTypeScript(file, text);
    const tree = trees.get(language);
    if (tree === undefined) throw new Error(`no ${language} parser is loaded`);
    if ('failure' in tree) throw new Error(tree.failure);
    return tree.parse(text, (root) => TREE_READERS[language](text, root));
  };
}
