// A reference section named by an identifier says what it is in its first sentence: pnpm's "### storeDir" opens
// "The location where all the packages are saved on the disk.", Vite's "## server.proxy" "Configure custom proxy
// rules for the dev server.", a CLI's "### --filter <pattern>" what the flag selects. A reader asks in those words
// ("change the store location"), never in the identifier's, so the ranker counts that sentence with the section's
// heading (build.ts): it names the section as much as the identifier does. A heading in words ("Loading",
// "Why this is needed") already says what the section is about, and its first sentence stays body text only.

/** The first word of a heading, backticks dropped: what a reference section is named by. */
function headingName(heading: string): string {
  return heading.replace(/`/g, '').trim().split(/\s+/)[0] ?? '';
}

/**
 * Whether a heading is an identifier rather than words: a flag (`--filter`, `-C`), camelCase (`storeDir`) or a dotted
 * path (`server.proxy`, `dependenciesMeta.*.injected`). Not an upper-case code (`ERR_PNPM_NO_LOCKFILE`, `DOCS_DIR`):
 * counting their first sentences as names lost two of this site's dev questions and found none.
 */
export function isIdentifierHeading(heading: string | null | undefined): boolean {
  const name = headingName(heading ?? '');
  return (
    /^--?[A-Za-z]/.test(name) ||
    /^[A-Za-z$][\w$]*[a-z][A-Z]/.test(name) ||
    /^[A-Za-z$][\w$-]*(?:\.[\w$<>-]*[A-Za-z*][\w$<>-]*)+$/.test(name)
  );
}

/** A paragraph that is not the section's prose: a list, a table, a quotation, an admonition, markup, or a "**Type:**" field. */
const NOT_PROSE = /^(?:[-*+][ \t]|\d+[.)][ \t]|[|>:<#!\\[]|\*\*[^*\n]+:\*\*|\*\*[^*\n]+\*\*:)/;

/** A definition longer than this is no sentence but a paragraph the splitter could not cut: it is left out. */
const MAX_DEFINITION_WORDS = 40;

/** The first sentence of a section's first paragraph of prose (its code already taken out); '' when it has none. */
export function definitionSentence(prose: string): string {
  for (const paragraph of prose.split(/\n[ \t]*\n/)) {
    const text = paragraph.trim();
    if (text === '' || NOT_PROSE.test(text) || !/^[\p{L}`*_"'(]/u.test(text)) continue;
    const sentence = text.split(/(?<=[.!?])\s+(?=[\p{Lu}`*_"'(])/u)[0]!;
    return sentence.split(/\s+/).length <= MAX_DEFINITION_WORDS ? sentence : '';
  }
  return '';
}

/** What the ranker counts as a section's name besides its heading path: its definition, for an identifier's section. */
export function definitionOf(heading: string | null | undefined, prose: string): string {
  return isIdentifierHeading(heading) ? definitionSentence(prose) : '';
}
