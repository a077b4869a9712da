import type { Node } from 'web-tree-sitter';
import type { TCodeSymbol, TCodeSymbolKind, TParsedCode } from './symbols';
import { commentsAbove, firstLine, importsSymbol, lastLineBefore, shortValue, signatureOf, stripCommentMarkers, symbolOf } from './syntax';

// A Rust file's symbols, read from tree-sitter-rust's syntax tree (./tree-sitter.ts): each function, struct, union,
// enum, trait and impl (its header, up to its first function) with their functions (`Type::method`), type alias,
// constant, static and macro, inline modules' items under `module::`, with the `///` (or `//`) comments right above
// it, its attributes, its signature, its lines, a constant's value and an `impl Default`'s field values as defaults,
// and whether it is `pub`. The `use` declarations are one block. Pure: a syntax tree in, symbols out.

const COMMENT_TYPES = ['line_comment', 'block_comment'];

const ITEM_KINDS: Record<string, TCodeSymbolKind> = {
  function_item: 'function',
  struct_item: 'struct',
  union_item: 'struct',
  enum_item: 'enum',
  type_item: 'type',
  const_item: 'constant',
  static_item: 'variable',
  macro_definition: 'macro',
};

function docAbove(node: Node): { doc: string; docLine?: number } {
  const comments = commentsAbove(node, COMMENT_TYPES, stripCommentMarkers, ['attribute_item']);
  return comments ? { doc: comments.text, docLine: comments.line } : { doc: '' };
}

/** An item's first line: its attributes (`#[derive(…)]`) are its own. */
function attributesAbove(node: Node): number | undefined {
  let line: number | undefined;
  for (let sibling = node.previousSibling; sibling?.type === 'attribute_item'; sibling = sibling.previousSibling) line = firstLine(sibling);
  return line;
}

const isPub = (node: Node) => node.namedChildren.some((child) => child.type === 'visibility_modifier');

export function parseRust(source: string, root: Node): TParsedCode {
  const lines = source.split('\n');
  const symbols: TCodeSymbol[] = [];
  const imports: Node[] = [];
  const exports: string[] = [];

  const docOf = (node: Node) => {
    const above = docAbove(node);
    const attributes = attributesAbove(node);
    return { doc: above.doc, docLine: Math.min(above.docLine ?? Infinity, attributes ?? Infinity) };
  };

  const walk = (items: readonly Node[], prefix: string, isVisible: boolean) => {
    for (const item of items) {
      const name = item.childForFieldName('name')?.text ?? '';
      const qualified = `${prefix}${name}`;
      const docs = docOf(item);
      const docLine = Number.isFinite(docs.docLine) ? docs.docLine : undefined;
      if (item.type === 'use_declaration' || item.type === 'extern_crate_declaration') {
        imports.push(item);
      } else if (item.type === 'mod_item') {
        const body = item.childForFieldName('body');
        if (body) walk(body.namedChildren, `${qualified}::`, isVisible && isPub(item));
      } else if (item.type in ITEM_KINDS) {
        const kind = ITEM_KINDS[item.type]!;
        const body = item.type === 'function_item' ? item.childForFieldName('body') : null;
        const value = item.childForFieldName('value');
        const isExported = isVisible && (isPub(item) || item.type === 'macro_definition');
        symbols.push(
          symbolOf({
            name: qualified,
            kind,
            node: item,
            doc: docs.doc,
            ...(docLine ? { docLine } : {}),
            signature: signatureOf(source, item, body, '{ … }'),
            isExported,
            defaults: value && (kind === 'constant' || kind === 'variable') ? [`${name} = ${shortValue(value.text)}`] : [],
          }),
        );
        if (isExported) exports.push(qualified);
      } else if (item.type === 'trait_item' || item.type === 'impl_item') {
        const isTrait = item.type === 'trait_item';
        const type = item.childForFieldName('type')?.text ?? '';
        const trait = item.childForFieldName('trait')?.text ?? '';
        const owner = isTrait ? qualified : `${prefix}${type.replace(/<.*$/s, '')}`;
        const headerName = isTrait ? qualified : trait ? `impl ${trait} for ${owner}` : `impl ${owner}`;
        const body = item.childForFieldName('body');
        const functions = (body?.namedChildren ?? []).filter((member) => member.type === 'function_item' || member.type === 'function_signature_item');
        const methods = functions.map((member) => {
          const memberDocs = docOf(member);
          const methodName = `${owner}::${member.childForFieldName('name')?.text ?? ''}`;
          const memberBody = member.childForFieldName('body');
          // A trait impl's and a trait's functions are as visible as the trait; an inherent impl's, by their `pub`.
          const isMethodExported = isVisible && (isTrait ? isPub(item) : trait !== '' || isPub(member));
          return symbolOf({
            name: methodName,
            kind: 'method',
            node: member,
            doc: memberDocs.doc,
            ...(Number.isFinite(memberDocs.docLine) ? { docLine: memberDocs.docLine } : {}),
            signature: signatureOf(source, member, memberBody, '{ … }'),
            isExported: isMethodExported,
            // `impl Default for Config { fn default() -> Self { Self { retries: 3, … } } }`: the type's defaults.
            defaults: trait === 'Default' && memberBody ? fieldValues(memberBody) : [],
          });
        });
        const firstMethod = methods[0];
        const isHeaderExported = isVisible && (isTrait ? isPub(item) : true);
        symbols.push(
          symbolOf({
            name: headerName,
            kind: isTrait ? 'trait' : 'impl',
            node: item,
            doc: docs.doc,
            ...(docLine ? { docLine } : {}),
            ...(firstMethod ? { endLine: lastLineBefore(lines, firstMethod.startLine, firstLine(item)) } : {}),
            signature: signatureOf(source, item, body, '{ … }'),
            isExported: isHeaderExported,
            defaults: trait === 'Default' ? methods.flatMap((method) => method.defaults) : [],
          }),
          ...methods,
        );
        if (isTrait && isHeaderExported) exports.push(qualified);
      }
    }
  };
  walk(root.namedChildren, '', true);
  // A header whose first function starts on its own first line ends there too, never before it starts.
  for (const symbol of symbols) symbol.endLine = Math.max(symbol.endLine, symbol.startLine);
  const importBlock = importsSymbol(imports);
  return { symbols: importBlock ? [importBlock, ...symbols] : symbols, exports };
}

/** `Self { retries: 3, timeout: Duration::from_secs(5) }`: `retries = 3`, `timeout = Duration::from_secs(5)`. */
function fieldValues(body: Node): string[] {
  return body.descendantsOfType('field_initializer').flatMap((field) => {
    const name = field.childForFieldName('field')?.text;
    const value = field.childForFieldName('value')?.text;
    return name && value !== undefined ? [`${name} = ${shortValue(value)}`] : [];
  });
}
