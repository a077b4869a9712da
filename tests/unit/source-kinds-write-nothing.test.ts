import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

// A source kind only yields documents (issue 68, item 3): the one write pipeline (lib/docs/index/pipeline.ts) writes
// the index, stamps audiences and embeds. This test reads every file of every kind's folder (lib/docs/sources/<kind>/)
// and fails on one that could do any of that itself: an import of the pipeline, of the audience stamping
// (lib/docs/index/audiences.ts) or of the runner that hands documents to the pipeline (lib/docs/sources/source.ts:
// the registry does that); a use of a database call that changes what search reads (the index's writes, and every
// lib/db call wrapped in afterDocsChange), of the embeddings; or a word of DOCS_AUDIENCES' rules, which a kind never
// reads (its pages honour them without a line about them). Imports are read as TypeScript reads them (static,
// type-only, dynamic, require); names as identifiers, so a comment may name what it likes.

const ROOT = path.resolve(__dirname, '../..');
const KINDS = 'lib/docs/sources';

/** Modules a kind may not import at all. */
const FORBIDDEN_MODULES = ['lib/docs/index/pipeline.ts', 'lib/docs/index/audiences.ts', 'lib/docs/sources/source.ts'];

/** lib/db calls that change the docs search reads: wrapped in afterDocsChange (lib/db/docs-changes.ts), and the index's other writes. */
function docsWrites(): string[] {
  const names = new Set(['markDocsPageFailedByPath', 'setDocsSectionEmbeddings']);
  for (const file of readdirSync(path.join(ROOT, 'lib/db')).filter((name) => name.endsWith('.ts') && name !== 'docs-changes.ts')) {
    const source = ts.createSourceFile(file, readFileSync(path.join(ROOT, 'lib/db', file), 'utf8'), ts.ScriptTarget.Latest, true);
    source.forEachChild((node) => {
      if (ts.isFunctionDeclaration(node) && node.name && node.body?.getText(source).includes('afterDocsChange(')) names.add(node.name.text);
    });
  }
  return [...names];
}

/** Names a kind may not use: the docs' writes, what the stamping and the pipeline export, the embeddings, the rules. */
function forbiddenNames(): Set<string> {
  const exported = (file: string) => {
    const source = ts.createSourceFile(file, readFileSync(path.join(ROOT, file), 'utf8'), ts.ScriptTarget.Latest, true);
    const names: string[] = [];
    source.forEachChild((node) => {
      const isExported = ts.canHaveModifiers(node) && ts.getModifiers(node)?.some((modifier) => modifier.kind === ts.SyntaxKind.ExportKeyword);
      if (isExported && ts.isFunctionDeclaration(node) && node.name) names.push(node.name.text);
    });
    return names;
  };
  return new Set([
    ...docsWrites(),
    ...exported('lib/docs/index/audiences.ts'),
    ...exported('lib/docs/index/pipeline.ts'),
    ...exported('lib/docs/sources/source.ts'),
    'embedMissingSections',
    'embedder',
    'audienceRules',
    'audiencesOfPath',
    'parseAudienceRules',
    'DOCS_AUDIENCES',
  ]);
}

/** Every file of a kind's folder, relative to the project. */
function kindFiles(): string[] {
  const walk = (folder: string): string[] =>
    readdirSync(path.join(ROOT, folder), { withFileTypes: true }).flatMap((entry) =>
      entry.isDirectory() ? walk(`${folder}/${entry.name}`) : /\.(ts|tsx|mts)$/.test(entry.name) ? [`${folder}/${entry.name}`] : [],
    );
  return readdirSync(path.join(ROOT, KINDS)).filter((name) => statSync(path.join(ROOT, KINDS, name)).isDirectory()).flatMap((name) => walk(`${KINDS}/${name}`));
}

/** The project file a relative specifier names from `file` (with its extension), else the specifier. */
function resolved(file: string, specifier: string): string {
  if (!specifier.startsWith('.') && !specifier.startsWith('@/')) return specifier;
  const base = specifier.startsWith('@/') ? specifier.slice(2) : path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier));
  for (const candidate of [base, `${base}.ts`, `${base}/index.ts`]) {
    try {
      if (statSync(path.join(ROOT, candidate)).isFile()) return candidate;
    } catch {
      // not this one
    }
  }
  return base;
}

/** What in a kind's file writes, stamps or embeds: `file` names it, `text` is its source. */
export function violationsOf(file: string, text: string, names: ReadonlySet<string>): string[] {
  const found: string[] = [];
  for (const specifier of ts.preProcessFile(text, true, true).importedFiles.map((entry) => entry.fileName)) {
    const target = resolved(file, specifier);
    if (FORBIDDEN_MODULES.includes(target)) found.push(`${file} imports ${target}`);
  }
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const visit = (node: ts.Node) => {
    if (ts.isIdentifier(node) && names.has(node.text)) found.push(`${file} uses ${node.text}`);
    // The configuration's rules, however they are reached: docsSources.audiences, config.docsSources['audiences'].
    if ((ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node)) && /docsSources\s*(\.|\[\s*['"])audiences\b/.test(node.getText(source))) {
      found.push(`${file} reads ${node.getText(source)}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return [...new Set(found)];
}

describe('a source kind writes nothing: it yields documents to the one pipeline', () => {
  const names = forbiddenNames();

  it('finds a kind that writes the index, stamps audiences, embeds or reads the rules', () => {
    // The names it looks for are the ones the code has: the index's writes and the stamping's exports.
    expect([...names]).toEqual(expect.arrayContaining(['upsertDocsPagesByPath', 'deleteDocsPagesByPaths', 'deleteDocsPagesOfOtherKinds', 'checksumWithAudiences', 'stampedPage', 'writeDocuments', 'toDocsSource']));
    const file = 'lib/docs/sources/notion/index.ts';
    const text = [
      "import { upsertDocsPagesByPath, type TPageInput } from '../../../db/docs-index';",
      "import { checksumWithAudiences } from '../../index/audiences';",
      "const pipeline = await import('@/lib/docs/index/pipeline');",
      "import type { TDocsSource } from '../types';",
      '// upsertDocsPagesByPath in a comment is no use of it',
      'export const notion = (config, deps) => deps.embedder?.embed([config.docsSources.audiences]);',
    ].join('\n');
    expect(violationsOf(file, text, names).sort()).toEqual(
      [
        `${file} imports lib/docs/index/audiences.ts`,
        `${file} imports lib/docs/index/pipeline.ts`,
        `${file} uses upsertDocsPagesByPath`,
        `${file} uses checksumWithAudiences`,
        `${file} uses embedder`,
        `${file} reads config.docsSources.audiences`,
      ].sort(),
    );
    // Types and reads of the index are a kind's to use.
    expect(violationsOf(file, "import type { TPageInput } from '../../../db/docs-index';\nimport { listDocsPageChecksumsByKind } from '../../../db/docs-sources';", names)).toEqual([]);
  });

  it("no kind's folder writes the index, stamps audiences, embeds or reads DOCS_AUDIENCES", () => {
    const files = kindFiles();
    // Every kind's folder is read: the registry's five kinds at least.
    for (const kind of ['folder', 'crawl', 'github', 'openapi', 'answers']) expect(files.some((file) => file.startsWith(`${KINDS}/${kind}/`))).toBe(true);
    expect(files.flatMap((file) => violationsOf(file, readFileSync(path.join(ROOT, file), 'utf8'), names))).toEqual([]);
  });
});
