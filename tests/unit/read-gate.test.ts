import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

// The one door to the docs (lib/docs/gate, issue 68): the reads that hand out pages, sections, titles or words of the
// docs are imported by the gate alone, which makes each take the reader's access. A surface added later reaches the
// docs through the gate or not at all: importing one of these reads anywhere else fails here, naming the file.
// The ranking store's own module (lib/docs/search/ranking) may use its reads itself; tests and scripts are not read.

const ROOT = path.resolve(import.meta.dirname, '../..');

/** The gated reads, by the file that defines them (relative to the root, without extension). */
const GATED: Record<string, string[]> = {
  'lib/docs/search/ranking/store': ['rankDocsSections', 'leadSectionsOf', 'isPageVisible', 'isSitePageVisible', 'isCitedPageHidden', 'namesMissingFromDocs', 'getRankIndex'],
  'lib/db/docs-reference': ['listDocsPagesUnderPath', 'getDocsPageBySectionAnchor', 'listDocsPagesByKind'],
  'lib/db/docs-index': ['listDocsSectionsByPath', 'listDocsSectionContents', 'listDocsComparisonHeadings'],
  'lib/db/maintainer-answers': ['getApprovedMaintainerAnswerById'],
  'lib/db/docs-site-pages': ['listDocsSitePages'],
  // The docs folder's whole navigation, every page with its audiences: a reader's is readFolderNav's.
  'lib/docs/gate/folder-nav': ['getDocNav', 'navForAccess'],
};

/**
 * Where a gated read may be imported outside the gate, each with why: the ranking store's own module, the index's
 * writers (they read what they write), and the composition root, which keeps the index warm (no reader sees it).
 */
const ALLOWED: { file: RegExp; names: string[]; why: string }[] = [
  { file: /^lib\/docs\/gate\//, names: Object.values(GATED).flat(), why: 'the gate' },
  { file: /^lib\/docs\/search\/ranking\//, names: Object.values(GATED).flat(), why: "the ranking store's own module" },
  { file: /^lib\/db\//, names: Object.values(GATED).flat(), why: 'the typed database calls themselves' },
  { file: /^lib\/app\.ts$/, names: ['getRankIndex'], why: 'the composition root warms the index at start' },
];

const READ = ['lib', 'pages', 'components'];

function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir)).flatMap((name) => {
    const relative = `${dir}/${name}`;
    if (statSync(path.join(ROOT, relative)).isDirectory()) return sourceFiles(relative);
    return /\.(ts|tsx|mts)$/.test(name) && !name.endsWith('.d.ts') && !name.endsWith('.d.mts') ? [relative] : [];
  });
}

/** The file an import specifier names, relative to the root and without extension (null: a package). */
function resolved(from: string, specifier: string): string | null {
  if (specifier.startsWith('@/')) return path.posix.normalize(specifier.slice(2)).replace(/\.(ts|tsx|mjs|js)$/, '');
  if (!specifier.startsWith('.')) return null;
  return path.posix.normalize(path.posix.join(path.posix.dirname(from), specifier)).replace(/\.(ts|tsx|mjs|js)$/, '');
}

/** Every name a file imports (or re-exports) from each file, static imports and `export … from` alike. */
function importedNames(file: string): { target: string; name: string }[] {
  const source = ts.createSourceFile(file, readFileSync(path.join(ROOT, file), 'utf8'), ts.ScriptTarget.Latest, true);
  const found: { target: string; name: string }[] = [];
  const visit = (node: ts.Node) => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      const target = resolved(file, node.moduleSpecifier.text);
      if (target) {
        const bindings = ts.isImportDeclaration(node) ? node.importClause?.namedBindings : node.exportClause;
        if (bindings && (ts.isNamedImports(bindings) || ts.isNamedExports(bindings))) {
          for (const element of bindings.elements) found.push({ target, name: (element.propertyName ?? element.name).text });
        } else {
          // `import * as x` or `export *`: every name of the file.
          found.push({ target, name: '*' });
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('the read gate (lib/docs/gate): the docs are read through it alone', () => {
  it('no file outside the gate imports a read that hands out pages, sections or words of the docs', () => {
    const wrong: string[] = [];
    for (const file of READ.flatMap(sourceFiles)) {
      for (const { target, name } of importedNames(file)) {
        const gated = GATED[target];
        if (!gated) continue;
        const names = name === '*' ? gated : gated.filter((candidate) => candidate === name);
        for (const read of names) {
          if (!ALLOWED.some((allowed) => allowed.file.test(file) && allowed.names.includes(read))) wrong.push(`${file} imports ${read} from ${target}: read it through lib/docs/gate`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  it('every read the gate hands out takes the reader’s access as a required argument', () => {
    const source = ts.createSourceFile('gate', readFileSync(path.join(ROOT, 'lib/docs/gate/page-reads.ts'), 'utf8') + readFileSync(path.join(ROOT, 'lib/docs/gate/index-reads.ts'), 'utf8'), ts.ScriptTarget.Latest, true);
    const missing: string[] = [];
    source.forEachChild((node) => {
      if (!ts.isFunctionDeclaration(node) || !node.name || !node.modifiers?.some((modifier) => modifier.kind === ts.SyntaxKind.ExportKeyword)) return;
      const parameter = node.parameters[0];
      // `{ …, access }`, or an intersection holding it (`{ …, access } & ({ slug } | { path })`).
      const parts = !parameter?.type ? [] : ts.isIntersectionTypeNode(parameter.type) ? parameter.type.types : [parameter.type];
      const members = parts.flatMap((part) => (ts.isTypeLiteralNode(part) ? [...part.members] : []));
      const access = members.find((member) => member.name && ts.isIdentifier(member.name) && member.name.text === 'access');
      if (!access || (ts.isPropertySignature(access) && access.questionToken)) missing.push(node.name.text);
    });
    expect(missing).toEqual([]);
  });

  it('names only reads that exist', () => {
    for (const [file, names] of Object.entries(GATED)) {
      const text = readFileSync(path.join(ROOT, `${file}.ts`), 'utf8');
      for (const name of names) expect(text, `${file} defines ${name}`).toMatch(new RegExp(`export (async )?function\\*? ?${name}\\b`));
    }
  });
});
