import type { Node } from 'web-tree-sitter';
import type { TCodeSymbol, TCodeSymbolKind, TParsedCode } from './symbols';
import { commentsAbove, importsSymbol, shortValue, signatureOf, stripCommentMarkers, symbolOf } from './syntax';

// A Go file's symbols, read from tree-sitter-go's syntax tree (./tree-sitter.ts): each function, method
// (`Receiver.Method`), struct, interface and other type, constant and variable, with the `//` comments right above it
// (Go's doc comments), its signature, its lines, a constant's or variable's value as its default, and whether the
// package exports it (a name starting with a capital letter). A group (`const ( … )`) gives a symbol per name. The
// imports are one block. Pure: a syntax tree in, symbols out.

const isExportedName = (name: string) => /^\p{Lu}/u.test(name);

function docAbove(node: Node): { doc: string; docLine?: number } {
  const comments = commentsAbove(node, ['comment'], stripCommentMarkers);
  return comments ? { doc: comments.text, docLine: comments.line } : { doc: '' };
}

/** `func (t *Toaster[T]) Push(…)`: Toaster. */
function receiverName(method: Node): string {
  const receiver = method.childForFieldName('receiver')?.namedChildren.find((child) => child.type === 'parameter_declaration');
  const type = receiver?.childForFieldName('type')?.text ?? '';
  return type.replace(/^\*/, '').replace(/\[.*$/s, '').trim();
}

function typeKind(type: Node | null): TCodeSymbolKind {
  if (type?.type === 'struct_type') return 'struct';
  if (type?.type === 'interface_type') return 'interface';
  return 'type';
}

export function parseGo(source: string, root: Node): TParsedCode {
  const symbols: TCodeSymbol[] = [];
  const imports: Node[] = [];
  const exports: string[] = [];
  const add = (symbol: TCodeSymbol, exportedName: string) => {
    symbols.push(symbol);
    if (symbol.isExported) exports.push(exportedName);
  };

  for (const declaration of root.namedChildren) {
    if (declaration.type === 'import_declaration') {
      imports.push(declaration);
    } else if (declaration.type === 'function_declaration' || declaration.type === 'method_declaration') {
      const name = declaration.childForFieldName('name')?.text ?? '';
      const isMethod = declaration.type === 'method_declaration';
      const receiver = isMethod ? receiverName(declaration) : '';
      const qualified = isMethod ? `${receiver}.${name}` : name;
      add(
        symbolOf({
          name: qualified,
          kind: isMethod ? 'method' : 'function',
          node: declaration,
          ...docAbove(declaration),
          signature: signatureOf(source, declaration, declaration.childForFieldName('body'), '{ … }'),
          isExported: isExportedName(name) && (!isMethod || isExportedName(receiver)),
        }),
        qualified,
      );
    } else if (declaration.type === 'type_declaration') {
      const specs = declaration.namedChildren.filter((child) => child.type === 'type_spec' || child.type === 'type_alias');
      for (const spec of specs) {
        // One spec: the declaration's lines, its comment and `type` with it; in a group, the spec's own.
        const node = specs.length === 1 ? declaration : spec;
        const name = spec.childForFieldName('name')?.text ?? '';
        add(symbolOf({ name, kind: typeKind(spec.childForFieldName('type')), node, ...docAbove(node), signature: signatureOf(source, node, null, ''), isExported: isExportedName(name) }), name);
      }
    } else if (declaration.type === 'const_declaration' || declaration.type === 'var_declaration') {
      const specType = declaration.type === 'const_declaration' ? 'const_spec' : 'var_spec';
      const specs = declaration.namedChildren.filter((child) => child.type === specType || child.type === 'var_spec_list');
      const flat = specs.flatMap((spec) => (spec.type === 'var_spec_list' ? spec.namedChildren.filter((child) => child.type === 'var_spec') : [spec]));
      for (const spec of flat) {
        const names = spec.childrenForFieldName('name').map((name) => name.text);
        const values = spec.childForFieldName('value')?.namedChildren ?? [];
        const name = names[0] ?? '';
        const node = flat.length === 1 ? declaration : spec;
        const defaults = names.flatMap((each, at) => (values[at] ? [`${each} = ${shortValue(values[at].text)}`] : []));
        add(
          symbolOf({
            name,
            kind: declaration.type === 'const_declaration' ? 'constant' : 'variable',
            node,
            ...docAbove(node),
            signature: signatureOf(source, node, null, ''),
            isExported: isExportedName(name),
            defaults,
          }),
          name,
        );
        for (const other of names.slice(1)) if (isExportedName(other)) exports.push(other);
      }
    }
  }
  const importBlock = importsSymbol(imports);
  return { symbols: importBlock ? [importBlock, ...symbols] : symbols, exports };
}
