// The part of a question in which the reader names what they ask about, for the names the docs never mention
// (lib/docs/search/ranking/absent.ts). An answer that opens "The docs don't mention Banana." because a pasted bug
// report's steps import a sample component of that name misleads (issue 69, item 2): sample values, code, logs and a
// template's fields are the reader's case, not what they ask the docs about. Pure: Markdown's shapes and GitHub's
// issue forms' marks, no project's or template's words.

/** A fenced code block (``` or ~~~), a <details> block (logs), an HTML comment: never the reader's own sentences. */
const BLOCKS = /(^|\n)[ \t]*(```|~~~)[^\n]*\n[\s\S]*?(?:\n[ \t]*\2[^\n]*(?=\n|$)|$)|<details\b[\s\S]*?(?:<\/details>|$)|<!--[\s\S]*?(?:-->|$)/gi;
/** Inline code that is a snippet (spaces, quotes, brackets, operators: `import Banana from '@fruitstand/ui'`), not one identifier. */
const SNIPPET = /`([^`\n]*)`/g;
/** A value in quotes: "Banana", “Banana”, 'Banana' (an apostrophe inside a word, "don't", is no quote). */
const QUOTED = /"[^"\n]*"|“[^”\n]*”|(?<![\p{L}\p{N}])'[^'\n]*'(?![\p{L}\p{N}])/gu;
/** A line that is a template's heading: Markdown's hashes, or a bold phrase alone on its line. */
const HEADING_LINE = /^[ \t]*(?:#{1,6}[ \t]+\S.*|\*\*[^*\n]+\*\*:?|__[^_\n]+__:?)[ \t]*$/;

/**
 * The text in which a question names things: without code blocks, logs, comments, snippets of code and quoted values.
 * A report pasted in its template (a heading line below its first line) names what it is about in its opening line
 * only: its title, or the first line of prose under the template's first heading; steps, versions, environments and
 * the template's fields below are the reader's case. A single identifier in backticks (`useToaster`) is kept: the
 * reader names it.
 */
export function namingText(question: string): string {
  const text = question
    .replace(BLOCKS, '$1')
    .replace(SNIPPET, (whole, code: string) => (/^[@\p{L}\p{N}_$][\p{L}\p{N}_$./@-]*$/u.test(code) ? whole : ' '))
    .replace(QUOTED, ' ');
  const lines = text.split('\n');
  const isTemplate = lines.slice(1).some((line) => HEADING_LINE.test(line));
  if (!isTemplate) return text;
  return lines.find((line) => line.trim() !== '' && !HEADING_LINE.test(line))?.trim() ?? '';
}
