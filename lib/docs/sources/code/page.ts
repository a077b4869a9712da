import { createHash } from 'node:crypto';
import { CODE_PATH_PREFIX, type TCodeMeta } from '../../../shared/docs';
import { INDEX_VERSION, type TDocument } from '../../index/documents';
import { parseScript, type TParseCode } from './parse';
import type { TCodeSymbol } from './symbols';
import { identifierWords, wordsOfIdentifiers } from './words';

// A source file as a page of the index: one section per symbol (./symbols.ts), anchored by its lines (`L48-L61`, the
// anchor GitHub's blob pages open), so that a citation opens exactly those lines. A section says, in prose, what the
// symbol is and where (its kind, name, file, package, whether it is exported), its doc comment, its identifiers in
// readers' words (./words.ts) and the defaults it sets; then its code, fenced with its language. A symbol longer than
// MAX_SECTION_LINES is cut into parts, each with its own lines, so that nothing is too long to quote or rank and no
// line is left out. The page's URL is the file on GitHub at the indexed commit, else the site's own source page.

export const CODE_KIND = 'code';

/** A section's code is at most this many lines: a long component is cut into parts, each its own section. */
export const MAX_SECTION_LINES = 60;

/** The language a fence names, by the file's extension (null: a file the kind does not parse). */
export function languageOf(file: string): string | null {
  const extension = /\.([a-z]+)$/i.exec(file)?.[1]?.toLowerCase() ?? '';
  const byExtension: Record<string, string> = { ts: 'ts', mts: 'ts', cts: 'ts', tsx: 'tsx', js: 'js', mjs: 'js', cjs: 'js', jsx: 'jsx', py: 'python', go: 'go', rs: 'rust' };
  return byExtension[extension] ?? null;
}

/** Where a source's files are read: on GitHub at a commit, or on the site's own source page. */
export type TCodeOrigin = {
  /** The index paths' prefix and the site's source page's: `owner/name`, or the checkout's folder name. */
  name: string;
  repo: { owner: string; name: string } | null;
  /** The commit (or ref) links name; null: the site's own page. */
  commit: string | null;
};

/** A file's index path: `code:<source>/<file>`. */
export function codePagePath(origin: Pick<TCodeOrigin, 'name'>, file: string): string {
  return `${CODE_PATH_PREFIX}${origin.name}/${file}`;
}

/** Where a reader reads the file: GitHub's page of it at the commit, else the site's own source page. */
export function codePageSlug(origin: TCodeOrigin, file: string): string {
  const encoded = file.split('/').map(encodeURIComponent).join('/');
  if (origin.repo && origin.commit) return `https://github.com/${origin.repo.owner}/${origin.repo.name}/blob/${encodeURIComponent(origin.commit)}/${encoded}`;
  return `source/${origin.name.split('/').map(encodeURIComponent).join('/')}/${encoded}`;
}

/** `L48-L61`: GitHub's anchor of a range of lines, and the site's source page's. */
export function linesAnchor(from: number, to: number): string {
  return from === to ? `L${from}` : `L${from}-L${to}`;
}

/** A file's checksum: its text, where it links, the index's version. */
export function codeChecksum(text: string, origin: TCodeOrigin, packageName: string | null): string {
  return createHash('sha256')
    .update(`${INDEX_VERSION}\0code:1\0`)
    .update(`${origin.name}\0${origin.repo ? `${origin.repo.owner}/${origin.repo.name}` : ''}\0${origin.commit ?? ''}\0${packageName ?? ''}\0`)
    .update(text)
    .digest('hex');
}

const KIND_WORDS: Record<TCodeSymbol['kind'], string> = {
  component: 'React component',
  hook: 'React hook',
  function: 'function',
  method: 'method',
  class: 'class',
  struct: 'struct',
  trait: 'trait',
  impl: 'impl block',
  macro: 'macro',
  type: 'type',
  interface: 'interface',
  enum: 'enum',
  constant: 'constant',
  variable: 'variable',
  defaults: 'default props',
  imports: 'imports',
};

/**
 * The file as a page: its symbols as sections. `parse` reads its language (./parse.ts): by default TypeScript and
 * JavaScript only, whose parser needs nothing loaded.
 */
export function buildCodePage({ file, text, origin, packageName, checksum, parse = parseScript }: { file: string; text: string; origin: TCodeOrigin; packageName: string | null; checksum: string; parse?: TParseCode }): TDocument {
  const language = languageOf(file) ?? 'text';
  const parsed = parse(file, text, language);
  const lines = text.split('\n');
  // A named constant the file defines, by name: a default that names one (`size = DEFAULT_SIZE`) says its value too.
  const constants = new Map<string, string>();
  for (const symbol of parsed.symbols) {
    if (symbol.kind !== 'constant') continue;
    const own = symbol.defaults.find((entry) => entry.startsWith(`${symbol.name} = `));
    if (own) constants.set(symbol.name, own.slice(symbol.name.length + 3));
  }
  const where = `\`${file}\`${packageName ? ` (${packageName})` : ''}`;
  const sections: TDocument['sections'] = [];
  for (const symbol of parsed.symbols) {
    const parts = partsOf(symbol.startLine, Math.min(symbol.endLine, lines.length));
    parts.forEach(([from, to], at) => {
      const heading = at === 0 ? symbol.name : `${symbol.name} (part ${at + 1})`;
      const prose: string[] = [];
      const exported = symbol.isExported ? 'exported' : 'not exported';
      const range = from === to ? `line ${from}` : `lines ${from}–${to}`;
      if (symbol.kind === 'imports') prose.push(`What ${where} imports, ${range}: the libraries and modules it is built on.`);
      else prose.push(`**${symbol.name}**: ${KIND_WORDS[symbol.kind]} in ${where}, ${range}, ${exported}.`);
      if (at === 0 && symbol.doc) prose.push(symbol.doc);
      if (at === 0 && symbol.signature && symbol.kind !== 'constant') prose.push(`Signature: \`${symbol.signature.replace(/`/g, "'")}\``);
      const words = wordsOfIdentifiers([symbol.name, ...symbol.identifiers]);
      if (words.length > 0) prose.push(`In words: ${words.join(', ')}.`);
      if (at === 0 && symbol.defaults.length > 0) {
        const defaults = symbol.defaults.map((entry) => {
          const value = entry.slice(entry.indexOf(' = ') + 3);
          const named = constants.get(value);
          return named !== undefined && !entry.startsWith(`${value} = `) ? `${entry} (${named})` : entry;
        });
        prose.push(`Defaults: ${defaults.map((entry) => `\`${entry.replace(/`/g, "'")}\``).join(', ')}.`);
      }
      const code = lines.slice(from - 1, to).join('\n').replace(/```/g, '`\u200b``');
      sections.push({
        heading,
        heading_path: [file, heading],
        anchor: linesAnchor(from, to),
        content: `${prose.join('\n\n')}\n\n\`\`\`${language}\n${code}\n\`\`\``,
      });
    });
  }
  const exported = parsed.exports.filter((name) => name !== 'default');
  const fileName = file.split('/').pop() ?? file;
  const meta: TCodeMeta = {
    file,
    language,
    ...(packageName ? { package: packageName } : {}),
    ...(origin.repo ? { repo: `${origin.repo.owner}/${origin.repo.name}` } : {}),
    ...(origin.commit ? { commit: origin.commit } : {}),
    exports: parsed.exports.slice(0, 100),
  };
  const fileWords = identifierWords(fileName.replace(/\.[a-z]+$/i, '')).join(' ');
  return {
    path: codePagePath(origin, file),
    slug: codePageSlug(origin, file),
    title: `${fileName}${packageName ? ` · ${packageName}` : ''}`,
    description: `Source of ${packageName ?? origin.name}: ${file} (${fileWords})${exported.length > 0 ? `, exports ${exported.slice(0, 12).join(', ')}` : ''}.`,
    checksum,
    sections,
    meta: { code: meta },
  };
}

/** A symbol's lines cut into parts of at most MAX_SECTION_LINES, the last at least a third as long (else merged). */
function partsOf(from: number, to: number): [number, number][] {
  const parts: [number, number][] = [];
  for (let start = from; start <= to; start += MAX_SECTION_LINES) parts.push([start, Math.min(to, start + MAX_SECTION_LINES - 1)]);
  const last = parts[parts.length - 1];
  if (parts.length > 1 && last && last[1] - last[0] + 1 < MAX_SECTION_LINES / 3) {
    parts.pop();
    parts[parts.length - 1]![1] = last[1];
  }
  return parts;
}
