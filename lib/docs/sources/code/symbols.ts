import ts from 'typescript';

// A TypeScript or JavaScript file's symbols, read by TypeScript's own parser (the compiler API's syntax tree, no type
// checking): each top-level component, hook, function, class, type, interface, enum and constant, with its doc
// comment, its signature, its lines, whether the file exports it, and the defaults it sets (default parameters,
// destructuring defaults, `X.defaultProps = {…}`, a constant's value), so that "what is the default …" finds the
// symbol that sets it. A file's imports are one block of their own: which library a component is built on is there.
// Pure: text in, symbols out; a file TypeScript cannot make sense of still yields what it could parse.

export type TCodeSymbolKind =
  | 'component'
  | 'hook'
  | 'function'
  | 'method'
  | 'class'
  | 'struct'
  | 'trait'
  | 'impl'
  | 'macro'
  | 'type'
  | 'interface'
  | 'enum'
  | 'constant'
  | 'variable'
  | 'defaults'
  | 'imports';

export type TCodeSymbol = {
  name: string;
  kind: TCodeSymbolKind;
  /** 1-based, inclusive; its doc comment included. */
  startLine: number;
  endLine: number;
  /** Its doc comment's text (JSDoc's `/** … *\/`), without the comment's stars; '' when it has none. */
  doc: string;
  /** Its declaration up to its body (`export const useToaster = (): …`), on one line, bounded. */
  signature: string;
  isExported: boolean;
  /** What it defaults: `dismissAfter = 5000`, `size = "icon_size_70"` (bounded). */
  defaults: string[];
  /** The identifiers its code uses, each once, in order: their words become the section's (./words.ts). */
  identifiers: string[];
};

export type TParsedCode = {
  symbols: TCodeSymbol[];
  /** The names the file exports (`default` for a default export; `*` from re-exports is not followed). */
  exports: string[];
};

export const MAX_SIGNATURE_CHARS = 240;
export const MAX_DEFAULT_CHARS = 80;
export const MAX_DEFAULTS = 24;
export const MAX_IDENTIFIERS = 80;

/** The script kind TypeScript parses a file by, from its extension. */
function scriptKindOf(fileName: string): ts.ScriptKind {
  if (/\.tsx$/i.test(fileName)) return ts.ScriptKind.TSX;
  if (/\.jsx$/i.test(fileName)) return ts.ScriptKind.JSX;
  if (/\.[cm]?js$/i.test(fileName)) return ts.ScriptKind.JS;
  return ts.ScriptKind.TS;
}

export function parseTypeScript(fileName: string, text: string): TParsedCode {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, scriptKindOf(fileName));
  const symbols: TCodeSymbol[] = [];
  const exports = new Set<string>();
  const lineOf = (position: number) => source.getLineAndCharacterOfPosition(position).line + 1;
  const imports: ts.Statement[] = [];

  const symbolOf = (node: ts.Node, name: string, kind: TCodeSymbolKind, isExported: boolean, body?: ts.Node): TCodeSymbol => {
    const doc = docCommentOf(text, node);
    const start = doc ? doc.pos : node.getStart(source);
    return {
      name,
      kind,
      startLine: lineOf(start),
      endLine: lineOf(node.getEnd()),
      doc: doc?.text ?? '',
      signature: signatureOf(source, node, body),
      isExported,
      defaults: defaultsOf(source, node),
      identifiers: identifiersOf(node),
    };
  };

  for (const statement of source.statements) {
    const isExported = hasExport(statement);
    const isDefault = hasModifier(statement, ts.SyntaxKind.DefaultKeyword);
    if (ts.isImportDeclaration(statement) || ts.isImportEqualsDeclaration(statement)) {
      imports.push(statement);
    } else if (ts.isFunctionDeclaration(statement)) {
      const name = statement.name?.text ?? 'default';
      if (isExported) exports.add(isDefault ? 'default' : name);
      if (statement.body) symbols.push(symbolOf(statement, name, functionKind(name, statement), isExported, statement.body));
    } else if (ts.isClassDeclaration(statement)) {
      const name = statement.name?.text ?? 'default';
      if (isExported) exports.add(isDefault ? 'default' : name);
      symbols.push(symbolOf(statement, name, 'class', isExported, statement.members.pos ? statement : undefined));
    } else if (ts.isInterfaceDeclaration(statement)) {
      if (isExported) exports.add(statement.name.text);
      symbols.push(symbolOf(statement, statement.name.text, 'interface', isExported));
    } else if (ts.isTypeAliasDeclaration(statement)) {
      if (isExported) exports.add(statement.name.text);
      symbols.push(symbolOf(statement, statement.name.text, 'type', isExported));
    } else if (ts.isEnumDeclaration(statement)) {
      if (isExported) exports.add(statement.name.text);
      symbols.push(symbolOf(statement, statement.name.text, 'enum', isExported));
    } else if (ts.isVariableStatement(statement)) {
      const declarations = statement.declarationList.declarations;
      for (const declaration of declarations) {
        if (!ts.isIdentifier(declaration.name)) continue;
        const name = declaration.name.text;
        if (isExported) exports.add(name);
        // One declaration per statement (the usual case): the statement's lines, its doc comment and `export` with it.
        const node = declarations.length === 1 ? statement : declaration;
        symbols.push(symbolOf(node, name, variableKind(name, declaration.initializer), isExported, functionBodyOf(declaration.initializer)));
      }
    } else if (ts.isExpressionStatement(statement)) {
      // `Button.defaultProps = {…}`: the component's defaults, where the file sets them.
      const target = defaultsTarget(statement.expression);
      if (target) symbols.push(symbolOf(statement, `${target}.defaultProps`, 'defaults', false));
    } else if (ts.isExportDeclaration(statement) && statement.exportClause && ts.isNamedExports(statement.exportClause)) {
      for (const element of statement.exportClause.elements) exports.add(element.name.text);
    } else if (ts.isExportAssignment(statement)) {
      exports.add('default');
    }
  }
  if (imports.length > 0) {
    const first = imports[0]!;
    const last = imports[imports.length - 1]!;
    symbols.unshift({
      name: 'imports',
      kind: 'imports',
      startLine: lineOf(first.getStart(source)),
      endLine: lineOf(last.getEnd()),
      doc: '',
      signature: '',
      isExported: false,
      defaults: [],
      identifiers: imports.flatMap((statement) => identifiersOf(statement)),
    });
  }
  // Exported names that were declared before `export { … }` named them.
  for (const symbol of symbols) if (exports.has(symbol.name)) symbol.isExported = true;
  return { symbols, exports: [...exports] };
}

function hasModifier(node: ts.Node, kind: ts.SyntaxKind): boolean {
  return ts.canHaveModifiers(node) && (ts.getModifiers(node)?.some((modifier) => modifier.kind === kind) ?? false);
}

function hasExport(node: ts.Node): boolean {
  return hasModifier(node, ts.SyntaxKind.ExportKeyword);
}

const isHookName = (name: string) => /^use[A-Z\d]/.test(name);
const isComponentName = (name: string) => /^[A-Z][A-Za-z\d]*$/.test(name) && /[a-z]/.test(name);

function functionKind(name: string, node: ts.Node): TCodeSymbolKind {
  if (isHookName(name)) return 'hook';
  if (isComponentName(name) && rendersJsx(node)) return 'component';
  return 'function';
}

/** The function a variable holds, through the wrappers components are made with (`forwardRef(…)`, `memo(…)`). */
function functionOf(initializer: ts.Expression | undefined): ts.FunctionLikeDeclaration | null {
  let expression = initializer;
  while (expression && (ts.isAsExpression(expression) || ts.isParenthesizedExpression(expression) || ts.isSatisfiesExpression(expression))) expression = expression.expression;
  if (!expression) return null;
  if (ts.isArrowFunction(expression) || ts.isFunctionExpression(expression)) return expression;
  if (ts.isCallExpression(expression)) {
    for (const argument of expression.arguments) {
      const inner = functionOf(argument);
      if (inner) return inner;
    }
  }
  return null;
}

function functionBodyOf(initializer: ts.Expression | undefined): ts.Node | undefined {
  return functionOf(initializer)?.body;
}

function variableKind(name: string, initializer: ts.Expression | undefined): TCodeSymbolKind {
  const fn = functionOf(initializer);
  if (fn) {
    if (isHookName(name)) return 'hook';
    if (isComponentName(name)) return 'component';
    return 'function';
  }
  // `styled.div(…)`, `React.forwardRef<…>(…)` of a component defined elsewhere, a context: a PascalCase value is one of the
  // component's parts; anything else is a constant (named defaults among them).
  if (initializer && ts.isCallExpression(initializer) && isComponentName(name)) return 'component';
  return 'constant';
}

function rendersJsx(node: ts.Node): boolean {
  let isJsx = false;
  const visit = (child: ts.Node): void => {
    if (isJsx) return;
    if (ts.isJsxElement(child) || ts.isJsxSelfClosingElement(child) || ts.isJsxFragment(child)) isJsx = true;
    else child.forEachChild(visit);
  };
  node.forEachChild(visit);
  return isJsx;
}

/** `X.defaultProps = …`: X. */
function defaultsTarget(expression: ts.Expression): string | null {
  if (!ts.isBinaryExpression(expression) || expression.operatorToken.kind !== ts.SyntaxKind.EqualsToken) return null;
  const left = expression.left;
  if (ts.isPropertyAccessExpression(left) && left.name.text === 'defaultProps' && ts.isIdentifier(left.expression)) return left.expression.text;
  return null;
}

/** The doc comment (`/** … *\/`) right before a node, its position and its text without the stars. */
function docCommentOf(text: string, node: ts.Node): { pos: number; text: string } | null {
  const ranges = ts.getLeadingCommentRanges(text, node.getFullStart()) ?? [];
  const last = ranges.filter((range) => range.kind === ts.SyntaxKind.MultiLineCommentTrivia && text.startsWith('/**', range.pos)).pop();
  if (!last) return null;
  const body = text
    .slice(last.pos + 3, last.end - 2)
    .split('\n')
    .map((line) => line.replace(/^\s*\*\s?/, '').trimEnd())
    .join('\n')
    .trim();
  return { pos: last.pos, text: body };
}

/** The declaration up to its body, on one line. */
function signatureOf(source: ts.SourceFile, node: ts.Node, body?: ts.Node): string {
  const start = node.getStart(source);
  const end = body ? body.getStart(source) : node.getEnd();
  let signature = source.text.slice(start, end).replace(/\s+/g, ' ').trim();
  if (body && signature.endsWith('=>')) signature = `${signature} …`;
  else if (body) signature = `${signature} { … }`;
  return signature.length > MAX_SIGNATURE_CHARS ? `${signature.slice(0, MAX_SIGNATURE_CHARS)}…` : signature;
}

function shortText(source: ts.SourceFile, node: ts.Node): string {
  const value = node.getText(source).replace(/\s+/g, ' ');
  return value.length > MAX_DEFAULT_CHARS ? `${value.slice(0, MAX_DEFAULT_CHARS)}…` : value;
}

/**
 * The defaults a symbol sets: parameters' and destructuring's initialisers, a `defaultProps` object's properties, a
 * constant's literal value.
 */
function defaultsOf(source: ts.SourceFile, node: ts.Node): string[] {
  const out: string[] = [];
  const add = (name: string, value: ts.Node) => {
    if (out.length < MAX_DEFAULTS) out.push(`${name} = ${shortText(source, value)}`);
  };
  const visit = (child: ts.Node): void => {
    if ((ts.isParameter(child) || ts.isBindingElement(child)) && child.initializer && ts.isIdentifier(child.name)) add(child.name.text, child.initializer);
    else if (ts.isExpressionStatement(child) && defaultsTarget(child.expression)) {
      const right = (child.expression as ts.BinaryExpression).right;
      if (ts.isObjectLiteralExpression(right)) {
        for (const property of right.properties) if (ts.isPropertyAssignment(property) && ts.isIdentifier(property.name)) add(property.name.text, property.initializer);
      }
    }
    child.forEachChild(visit);
  };
  visit(node);
  // A named constant is a default of its own: `const DEFAULT_DELAY = 250`.
  if (ts.isVariableStatement(node)) {
    for (const declaration of node.declarationList.declarations) {
      const value = declaration.initializer;
      if (ts.isIdentifier(declaration.name) && value && (ts.isNumericLiteral(value) || ts.isStringLiteral(value) || ts.isNoSubstitutionTemplateLiteral(value) || value.kind === ts.SyntaxKind.TrueKeyword || value.kind === ts.SyntaxKind.FalseKeyword)) {
        add(declaration.name.text, value);
      }
    }
  }
  return out;
}

function identifiersOf(node: ts.Node): string[] {
  const seen = new Set<string>();
  const visit = (child: ts.Node): void => {
    if (seen.size >= MAX_IDENTIFIERS) return;
    if (ts.isIdentifier(child)) seen.add(child.text);
    else if (ts.isJsxAttribute(child) && ts.isIdentifier(child.name)) seen.add(child.name.text);
    child.forEachChild(visit);
  };
  visit(node);
  return [...seen];
}
