import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

// Comments that name a file send the reader there: a comment naming lib/…, components/… or supabase/… that does
// not exist (the file moved, was renamed or removed) sends them nowhere. Every comment in lib/, pages/,
// components/ and scripts/ is read with TypeScript's parser (so nothing inside a string or a template counts), and
// each such path must exist now, as written or as a module (with an extension, or a folder's index). The tree is
// read when the test runs, so files moved by a merge are checked against where they are after it. The SQL
// functions' comments (supabase/schemas) and the docs (README.md, CODE_STYLE.md, content/docs) are read the same way.

const ROOT = process.cwd();
const SCANNED = ['lib', 'pages', 'components', 'scripts'];
const SOURCE = /\.(ts|tsx|mts|mjs|js|cjs)$/;
// A module named without its extension, or a folder by its index.
const RESOLUTIONS = ['', '.ts', '.tsx', '.mts', '.mjs', '.js', '.d.mts', '/index.ts', '/index.tsx'];
// A path in a comment: from the project's root (lib/, components/, supabase/ and the other top folders, also as the
// `@/` import alias), or relative to the file (./x.ts, ../y/z.ts), not in the middle of another path or a URL. It
// ends at whitespace, a quote, a bracket or punctuation that ends a sentence.
const PATH = /(?<![\w./@-])(?:@\/)?((?:lib|components|supabase|pages|scripts|tests|evals|content|styles|\.\.?)\/(?:\{[^}\s]*\}|[^\s'"`()<>,;{])*)/g;
// A relative path is checked when it names a file (`./sweeper.ts`), not in an example of a link (`./api`) or a folder
// beside the project (`../shared/corpora/paste-docs`).
const FILE = /\.(ts|tsx|mts|mjs|js|cjs|sql|json|md|mdx|css)$/;

/** Paths a comment may name without their existing, each with the reason. */
const PASTE_DOCS_PAGE = "a page of Paste's docs (a docs path, as the corpus names it), not this project's components/";
const ALLOWED: Record<string, string> = {
  'components/button/index.mdx': PASTE_DOCS_PAGE,
  'components/select/index.mdx': PASTE_DOCS_PAGE,
  'components/select': PASTE_DOCS_PAGE,
  'components/popover': PASTE_DOCS_PAGE,
  'components/button/api.mdx': PASTE_DOCS_PAGE,
  'components/button/changelog.mdx': PASTE_DOCS_PAGE,
  // How to add a kind or a door (CODE_STYLE.md, content/docs/architecture.mdx): the files a newcomer would write.
  'lib/docs/sources/notion/': 'an example: the folder of a source kind a newcomer adds',
  'lib/chat-doors/doors/teams/': 'an example: the folder of a chat door a newcomer adds',
  'pages/api/teams/messages.ts': 'an example: the route of a chat door a newcomer adds',
  'evals/eval-cases.jsonl': 'an example: the file a team downloads its eval cases to (content/docs/guides/answer-grades.mdx)',
};

function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const relative = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sourceFiles(relative);
    return SOURCE.test(entry.name) ? [relative] : [];
  });
}

/** The SQL files of a folder. */
function sqlFiles(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir)).filter((name) => name.endsWith('.sql')).map((name) => path.join(dir, name));
}

/** The docs a newcomer reads: the README, the code style, and the site's own docs pages. */
const DOCS = ['README.md', 'CODE_STYLE.md', ...docsPages('content/docs')];

function docsPages(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const relative = path.join(dir, entry.name);
    if (entry.isDirectory()) return docsPages(relative);
    return /\.(md|mdx)$/.test(entry.name) ? [relative] : [];
  });
}

/** Every comment of a file (line and block), with its line number. */
function commentsOf(file: string, text: string): { line: number; text: string }[] {
  const kind = file.endsWith('x') ? ts.ScriptKind.TSX : file.endsWith('.js') || file.endsWith('.mjs') || file.endsWith('.cjs') ? ts.ScriptKind.JS : ts.ScriptKind.TS;
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, kind);
  const seen = new Map<number, { line: number; text: string }>();
  const collect = (ranges: ts.CommentRange[] | undefined) => {
    for (const range of ranges ?? []) {
      if (!seen.has(range.pos)) seen.set(range.pos, { line: source.getLineAndCharacterOfPosition(range.pos).line + 1, text: text.slice(range.pos, range.end) });
    }
  };
  // Every node and token (getChildren includes the tokens, whose leading trivia holds the comments before a `}`).
  const visit = (node: ts.Node) => {
    collect(ts.getLeadingCommentRanges(text, node.pos));
    collect(ts.getTrailingCommentRanges(text, node.end));
    for (const child of node.getChildren(source)) visit(child);
  };
  visit(source);
  return [...seen.values()].sort((a, b) => a.line - b.line);
}

/** The lib/…, components/… and supabase/… paths a comment names, as written (trailing punctuation and `:line` cut). */
function pathsIn(comment: string): string[] {
  const found: string[] = [];
  for (const match of comment.matchAll(PATH)) {
    const named = match[1]!.replace(/#.*$/, '').replace(/:\d+.*$/, '').replace(/[.:!?*}]+$/, '');
    // A closing bracket belongs to the path only when it opened one (pages/api/[id].ts, not `(see lib/x.ts]`).
    const trimmed = named.includes('[') ? named : named.replace(/\]+$/, '');
    // `lib/…`, `components/*`: a pattern, not a file.
    if (/[…*]/.test(trimmed) || /^[a-z]+\/?$/.test(trimmed)) continue;
    if (trimmed.startsWith('.') && !FILE.test(trimmed)) continue;
    // `lib/docs/sources/{folder,crawl}`: each alternative.
    const braces = /^(.*)\{([^}]*)\}(.*)$/.exec(trimmed);
    if (braces) found.push(...braces[2]!.split(',').map((choice) => `${braces[1]}${choice.trim()}${braces[3]}`));
    else found.push(trimmed);
  }
  return found;
}

/** `named` as the project has it: a relative path resolved from the folder of the file whose comment names it. */
function fromRoot(named: string, file: string): string {
  return named.startsWith('.') ? path.join(path.dirname(file), named) : named;
}

function exists(named: string): boolean {
  const bare = named.replace(/\/$/, '');
  return RESOLUTIONS.some((suffix) => existsSync(path.join(ROOT, bare + suffix)) && (suffix !== '' || statSync(path.join(ROOT, bare)).isFile() || statSync(path.join(ROOT, bare)).isDirectory()));
}

describe('comments that name a path', () => {
  it('finds the paths in comments, not in strings or templates', () => {
    const text = [
      `// lib/db/limits.ts (supabase/schemas/70_limits.sql), and @/lib/shared/runs.`,
      `const url = 'lib/not/a/comment.ts'; /* components/assistant/{Composer,Messages}.tsx */`,
      'const template = `${1} // lib/inside/a/template.ts`;',
      `function f() {`,
      `  return 1;`,
      `  // lib/before/a/brace.ts, lib/… and lib/docs/search/search.ts:68; ./x.ts, not ./api (see ../y/z.mjs).`,
      `}`,
    ].join('\n');
    const named = commentsOf('x.ts', text).flatMap((comment) => pathsIn(comment.text));
    expect(named).toEqual([
      'lib/db/limits.ts',
      'supabase/schemas/70_limits.sql',
      'lib/shared/runs',
      'components/assistant/Composer.tsx',
      'components/assistant/Messages.tsx',
      'lib/before/a/brace.ts',
      'lib/docs/search/search.ts',
      './x.ts',
      '../y/z.mjs',
    ]);
  });

  it('in lib/, pages/, components/ and scripts/ exist', () => {
    const missing: string[] = [];
    let checked = 0;
    for (const file of SCANNED.flatMap(sourceFiles)) {
      for (const comment of commentsOf(file, readFileSync(path.join(ROOT, file), 'utf8'))) {
        for (const named of pathsIn(comment.text)) {
          checked += 1;
          if (!(named in ALLOWED) && !exists(fromRoot(named, file))) missing.push(`${file}:${comment.line} names ${named}`);
        }
      }
    }
    expect(checked).toBeGreaterThan(100);
    expect(missing).toEqual([]);
  });

  it('in the SQL functions (supabase/schemas) and the docs (README.md, CODE_STYLE.md, content/docs) exist', () => {
    const missing: string[] = [];
    let checked = 0;
    for (const file of [...sqlFiles('supabase/schemas'), ...DOCS]) {
      const lines = readFileSync(path.join(ROOT, file), 'utf8').split('\n');
      lines.forEach((line, index) => {
        // SQL: its comments (`--` to the end of the line); the docs: every line (paths are named in prose and code).
        const text = file.endsWith('.sql') ? (/--(.*)$/.exec(line)?.[1] ?? '') : line;
        for (const named of pathsIn(text)) {
          // A relative path in the docs is a link (./guides/x), not a file of the project.
          if (named.startsWith('.') && !file.endsWith('.sql')) continue;
          checked += 1;
          if (!(named in ALLOWED) && !exists(fromRoot(named, file))) missing.push(`${file}:${index + 1} names ${named}`);
        }
      });
    }
    expect(checked).toBeGreaterThan(100);
    expect(missing).toEqual([]);
  });

  it('allowed to be missing are missing still (an allowance that is no longer needed goes)', () => {
    for (const named of Object.keys(ALLOWED)) expect(exists(named), named).toBe(false);
  });
});
