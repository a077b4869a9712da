// Identifiers in readers' words: a symbol's section says its names split into the words a reader would type
// (`useToaster` → "use toaster", `dismissAfter` → "dismiss after", `DEFAULT_Z_INDEX` → "default z index",
// `SideModalContainer` → "side modal container"), so that a question in plain words meets code that never writes
// them apart. The ranker's tokenizer splits identifiers too (lib/docs/search/ranking/text.ts); these words are the
// section's prose, which counts as prose where code counts less, and what an embedding reads. Pure.

/** An identifier's words, lower-cased: camelCase, PascalCase, snake_case, kebab-case, digits and acronyms apart. */
export function identifierWords(identifier: string): string[] {
  return identifier
    .replace(/([a-z\d])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[^A-Za-z\d]+/)
    .filter((word) => word !== '')
    .map((word) => word.toLowerCase());
}

/** Whether an identifier splits into more than one word (worth saying apart). */
export function isCompound(identifier: string): boolean {
  return identifierWords(identifier).length > 1;
}

/** The identifiers of a text in their words, each once, in order of first appearance (at most `limit`). */
export function wordsOfIdentifiers(identifiers: Iterable<string>, limit = 40): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const identifier of identifiers) {
    if (!isCompound(identifier)) continue;
    const words = identifierWords(identifier).join(' ');
    if (seen.has(words)) continue;
    seen.add(words);
    out.push(words);
    if (out.length >= limit) break;
  }
  return out;
}
