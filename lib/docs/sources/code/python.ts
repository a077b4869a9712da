import type { Node } from 'web-tree-sitter';
import type { TCodeSymbol, TParsedCode } from './symbols';
import { commentsAbove, firstLine, importsSymbol, lastLine, lastLineBefore, shortValue, signatureOf, stripCommentMarkers, symbolOf } from './syntax';

// A Python file's symbols, read from tree-sitter-python's syntax tree (./tree-sitter.ts): each top-level function,
// class (its header: its docstring and fields, up to its first method) and method (`Class.method`), type alias and
// module constant (an UPPER_CASE name, or one annotated TypeAlias), with its docstring (else the `#` comments right
// above it), its signature, its lines (decorators included), its defaults (default parameters, a class's field
// defaults, a constant's value) and whether the module exports it (`__all__`, else a name without a leading `_`).
// The imports are one block. Pure: a syntax tree in, symbols out.

const isConstantName = (name: string) => /^_*[A-Z][A-Z\d_]*$/.test(name);

export function parsePython(source: string, root: Node): TParsedCode {
  const lines = source.split('\n');
  const symbols: TCodeSymbol[] = [];
  const imports: Node[] = [];
  const declared: string[] = [];
  let dunderAll: string[] | null = null;
  const isPublic = (name: string) => (dunderAll ? dunderAll.includes(name) : !name.startsWith('_'));
  const pending: { symbol: TCodeSymbol; name: string }[] = [];

  for (const statement of root.namedChildren) {
    const definition = statement.type === 'decorated_definition' ? statement.childForFieldName('definition') : statement;
    if (!definition) continue;
    if (statement.type === 'import_statement' || statement.type === 'import_from_statement' || statement.type === 'future_import_statement') {
      imports.push(statement);
    } else if (definition.type === 'function_definition') {
      const name = definition.childForFieldName('name')?.text ?? '';
      declared.push(name);
      pending.push({ name, symbol: functionSymbol(source, statement, definition, name, 'function', true) });
    } else if (definition.type === 'class_definition') {
      const name = definition.childForFieldName('name')?.text ?? '';
      declared.push(name);
      const [header, ...methods] = classSymbols(source, lines, statement, definition, name);
      if (header) pending.push({ name, symbol: header });
      for (const method of methods) pending.push({ name, symbol: method });
    } else if (statement.type === 'type_alias_statement') {
      const name = statement.namedChildren[0]?.text.replace(/\[.*$/s, '') ?? '';
      declared.push(name);
      pending.push({ name, symbol: symbolOf({ name, kind: 'type', node: statement, ...docAbove(statement), signature: signatureOf(source, statement, null, ''), isExported: true }) });
    } else if (statement.type === 'expression_statement') {
      const assignment = statement.namedChildren[0];
      if (assignment?.type !== 'assignment') continue;
      const left = assignment.childForFieldName('left');
      const right = assignment.childForFieldName('right');
      const annotation = assignment.childForFieldName('type')?.text ?? '';
      if (left?.type !== 'identifier') continue;
      const name = left.text;
      if (name === '__all__' && right) {
        dunderAll = right.descendantsOfType('string_content').map((content) => content.text);
        continue;
      }
      const isAlias = /\bTypeAlias\b/.test(annotation);
      if (!isConstantName(name) && !isAlias) continue;
      declared.push(name);
      pending.push({
        name,
        symbol: symbolOf({
          name,
          kind: isAlias ? 'type' : 'constant',
          node: statement,
          ...docAbove(statement),
          signature: signatureOf(source, statement, null, ''),
          isExported: true,
          defaults: right && !isAlias ? [`${name} = ${shortValue(right.text)}`] : [],
        }),
      });
    }
  }
  // Whether each is exported is known once `__all__` (anywhere in the module) is.
  for (const { name, symbol } of pending) {
    symbol.isExported = isPublic(name) && (symbol.kind !== 'method' || isPublicMember(symbol.name));
    symbols.push(symbol);
  }
  const importBlock = importsSymbol(imports);
  return { symbols: importBlock ? [importBlock, ...symbols] : symbols, exports: dunderAll ?? declared.filter((name) => !name.startsWith('_')) };
}

/** A method is public unless its name starts with `_` (dunders, `__init__` among them, are public). */
const isPublicMember = (qualified: string) => {
  const name = qualified.slice(qualified.lastIndexOf('.') + 1);
  return !name.startsWith('_') || /^__\w+__$/.test(name);
};

function docAbove(node: Node): { doc: string; docLine?: number } {
  const comments = commentsAbove(node, ['comment'], stripCommentMarkers);
  return comments ? { doc: comments.text, docLine: comments.line } : { doc: '' };
}

/** A body's docstring: its first statement when that is a string, its quotes and indentation stripped. */
function docstringOf(body: Node | null): string {
  const first = body?.namedChildren[0];
  const string = first?.type === 'expression_statement' ? first.namedChildren[0] : null;
  if (string?.type !== 'string') return '';
  const content = string.descendantsOfType('string_content').map((part) => part.text).join('');
  return content
    .split('\n')
    .map((line) => line.trim())
    .join('\n')
    .trim();
}

/** `outer` is the statement (with its decorators), `definition` the `def` itself. */
function functionSymbol(source: string, outer: Node, definition: Node, name: string, kind: 'function' | 'method', isExported: boolean): TCodeSymbol {
  const body = definition.childForFieldName('body');
  const docstring = docstringOf(body);
  const defaults: string[] = [];
  for (const parameter of definition.childForFieldName('parameters')?.namedChildren ?? []) {
    if (parameter.type !== 'default_parameter' && parameter.type !== 'typed_default_parameter') continue;
    const parameterName = parameter.childForFieldName('name')?.text;
    const value = parameter.childForFieldName('value')?.text;
    if (parameterName && value !== undefined) defaults.push(`${parameterName} = ${shortValue(value)}`);
  }
  return symbolOf({
    name,
    kind,
    node: outer,
    ...(docstring ? { doc: docstring } : docAbove(outer)),
    signature: signatureOf(source, outer, body, '…'),
    isExported,
    defaults,
  });
}

/** A class's header (its lines up to its first method, its field defaults) and each method as `Class.method`. */
function classSymbols(source: string, lines: readonly string[], outer: Node, definition: Node, name: string): TCodeSymbol[] {
  const body = definition.childForFieldName('body');
  const members = body?.namedChildren ?? [];
  const methods: TCodeSymbol[] = [];
  const defaults: string[] = [];
  let firstMethodLine: number | null = null;
  for (const member of members) {
    const inner = member.type === 'decorated_definition' ? member.childForFieldName('definition') : member;
    if (inner?.type === 'function_definition') {
      const method = functionSymbol(source, member, inner, `${name}.${inner.childForFieldName('name')?.text ?? ''}`, 'method', true);
      firstMethodLine ??= method.startLine;
      methods.push(method);
    } else if (member.type === 'expression_statement' && firstMethodLine === null) {
      // Fields with defaults (dataclasses, pydantic models, class attributes): `timeout: float = 5.0`.
      const assignment = member.namedChildren[0];
      const field = assignment?.type === 'assignment' ? assignment.childForFieldName('left') : null;
      const value = assignment?.childForFieldName('right');
      if (field?.type === 'identifier' && value) defaults.push(`${field.text} = ${shortValue(value.text)}`);
    }
  }
  const docstring = docstringOf(body);
  const headerEnd = firstMethodLine === null ? lastLine(outer) : lastLineBefore(lines, firstMethodLine, firstLine(definition));
  const header = symbolOf({
    name,
    kind: 'class',
    node: outer,
    ...(docstring ? { doc: docstring } : docAbove(outer)),
    endLine: headerEnd,
    signature: signatureOf(source, outer, body, '…'),
    isExported: true,
    defaults,
  });
  return [header, ...methods];
}
