import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { audienceNamesOf } from '../../audiences';
import { fencedLines } from '../../relevance/fences';
import { isPartialFile } from './files.mjs';

// Partials: a page that imports a Markdown or MDX file of the docs folder and writes its tag on a line of its own
// shows that file's text there (Docusaurus: ScriptShell imported from the partial _scriptShell.mdx beside the page,
// then `<ScriptShell />` on a line of its own).
// pnpm's settings pages hold several settings this way. Read as the published site shows them, each page has the
// sections it shows, at the place it shows them, and no partial is a page of its own (files.mjs isPartialFile).

/** How deep partials may import partials; deeper tags, and a partial that imports itself, are left as written. */
const MAX_DEPTH = 4;

const FRONT_MATTER = /^---\r?\n[\s\S]*?\r?\n---[^\S\n]*(?:\r?\n|$)/;
/** A default import (a capitalised name) of a Markdown file by a relative path, as Docusaurus pages import partials. */
const IMPORT = /^import\s+([A-Z][\w$]*)\s+from\s+(['"])(\.{1,2}\/[^'"]+)\2;?\s*$/;

/** A file of the docs folder by its relative path ('/'-separated), or null when there is none. */
export type TReadDocsFile = (relativePath: string) => string | null;

export type TWithPartials = {
  source: string;
  /** The partials read into the page (relative paths), each once, in the order first read. */
  includes: string[];
};

/**
 * `spec` imported by the file at `from`, as a path relative to the docs folder; null outside it or no partial. Only a
 * partial is read in: a page has its own audience (lib/audiences), which a page that imported it would not keep.
 */
function resolveImport(from: string, spec: string): string | null {
  const joined = path.posix.normalize(path.posix.join(path.posix.dirname(from), spec));
  if (joined.startsWith('../') || joined === '..' || path.posix.isAbsolute(joined) || !isPartialFile(path.posix.basename(joined))) return null;
  return joined;
}

/**
 * A partial whose front matter names an audience is for those readers only: it is not shown on a page for any other.
 * Read as a page's is (YAML, audienceNamesOf); front matter that does not parse is taken to name one, so that a typo
 * never shows private text.
 */
function namesAudience(text: string): boolean {
  const frontMatter = FRONT_MATTER.exec(text)?.[0];
  if (frontMatter === undefined) return false;
  try {
    const meta: unknown = parseYaml(frontMatter.replace(/^---\r?\n/, '').replace(/\r?\n---[^\S\n]*(?:\r?\n)?$/, ''));
    return typeof meta === 'object' && meta !== null && audienceNamesOf((meta as { audience?: unknown }).audience).length > 0;
  } catch {
    return true;
  }
}

/** Each line with whether it is inside a fenced code block (a fence's own lines count as inside). */
function linesWithFences(source: string): { line: string; isCode: boolean }[] {
  const lines = source.split('\n');
  const reads = fencedLines(lines);
  return lines.map((line, at) => ({ line, isCode: reads[at]!.fence !== null }));
}

function expand(source: string, relativePath: string, read: TReadDocsFile, trail: string[], includes: string[]): string {
  const lines = linesWithFences(source);
  // Each imported name's partial, read once: its path and its text.
  const imported = new Map<string, { target: string; text: string }>();
  const importLines = new Set<number>();
  lines.forEach(({ line, isCode }, at) => {
    const match = isCode ? null : IMPORT.exec(line);
    const target = match ? resolveImport(relativePath, match[3]!) : null;
    if (!match || !target || trail.includes(target) || trail.length > MAX_DEPTH) return;
    const text = read(target);
    if (text === null || namesAudience(text)) return;
    imported.set(match[1]!, { target, text });
    importLines.add(at);
  });
  if (imported.size === 0) return source;
  const out: string[] = [];
  lines.forEach(({ line, isCode }, at) => {
    if (importLines.has(at)) return;
    // Only a tag alone on its line stands for the partial's blocks; one inside a sentence is left as written.
    const tag = isCode ? null : /^\s*<([A-Z][\w$]*)(?:\s[^<>]*)?\/>\s*$/.exec(line);
    const partial = tag ? imported.get(tag[1]!) : undefined;
    if (!partial) {
      out.push(line);
      return;
    }
    if (!includes.includes(partial.target)) includes.push(partial.target);
    out.push('', expand(partial.text.replace(FRONT_MATTER, ''), partial.target, read, [...trail, partial.target], includes).trim(), '');
  });
  return out.join('\n');
}

/**
 * `source` (the page at `relativePath`) with each partial it imports written in place of its tag, partials within
 * partials too, their front matter left out; the import lines of the partials read are gone. An import that leaves the
 * docs folder, names no partial, reads a partial for an audience, or cannot be read is left as written (the parser
 * leaves imports out, and the page shows nothing there).
 */
export function withPartials(source: string, relativePath: string, read: TReadDocsFile): TWithPartials {
  const includes: string[] = [];
  return { source: expand(source, relativePath, read, [relativePath], includes), includes };
}
