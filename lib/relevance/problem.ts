import { fencedLines } from './fences';

// Whether a question brings a problem rather than asks how: a reader asks "is this a bug", says something "doesn't
// work", pastes an error message or a stack trace, or names the version they run. Such a question is best answered by
// the thread where the same problem was reported and settled, beside the docs' sections: the docs describe how things
// should work, a thread what went wrong and what fixed it. Pure: general English and the shapes of errors, no
// project's words.

const PROBLEM_WORDS =
  /\b(?:bugs?|buggy|broken|breaks?|regression|crash(?:es|ed|ing)?|errors?|exceptions?|fail(?:s|ed|ing|ure)?|(?:(?:does|do|did|is|are|was|were|can|wo)n['’]?t|not|cannot) (?:work|show|render|clos|open|updat|fire|trigger|display|appear|import|load|compil)\w*|mistakes?|typos?|misspel\w*|incorrect(?:ly)?|stopped working|no longer|unexpected(?:ly)?|wrong|glitch\w*|flicker\w*|erratic\w*)\b/i;
/** A stack frame, `at fn (file.js:12:3)`: where the program was when it failed (its runtime's files, its libraries'). */
const STACK_FRAME = /^\s*at \S+ \(?\S+:\d+:\d+\)?\s*$/;
/** An error as a program prints it: `TypeError: …`, `Uncaught …`, `Warning: …`, or a stack frame. */
const ERROR_TEXT = new RegExp(`\\b[A-Z]\\w*(?:Error|Exception|Warning)\\b|\\bUncaught\\b|${STACK_FRAME.source}`, 'm');
/** A version a reader runs: `20.20.0`, `v6.3`, "version 13". */
const VERSION = /\bv?\d+\.\d+(?:\.\d+)?\b|\bversion \d+(?:\.\d+)*\b/i;

export function isProblemQuestion(question: string): boolean {
  return PROBLEM_WORDS.test(question) || ERROR_TEXT.test(question) || VERSION.test(question);
}

/** A question longer than this (in words) is a report, searched by what distinguishes it. */
export const LONG_REPORT_WORDS = 60;
/**
 * A word written as code: PascalCase or camelCase (`FileUploaderDropzone`, `acceptedMimeTypes`), dotted, or scoped.
 * Each part after a dot holds a letter: "taken place._" is the end of an italic sentence, not code.
 */
const CODE_WORD = /@?\b[\p{L}_$][\p{L}\p{N}_$]*(?:[./][\p{L}_$]*\p{L}[\p{L}\p{N}_$]*)+\b|\b\p{Lu}\p{Ll}+\p{Lu}[\p{L}\p{N}]*\b|\b\p{Ll}+\p{Lu}[\p{L}\p{N}]*\b/gu;

const LINK = /\b(?:https?:\/\/|www\.)\S+/gi;
/** "e.g", "i.e": letters and dots, not code. */
const ABBREVIATION = /^(?:\p{L}\.)+\p{L}?\.?$/u;

/** A line that is a template's heading: Markdown's hashes, or a bold phrase alone on its line. */
const REPORT_HEADING = /^[ \t]*(?:#{1,6}[ \t]+\S.*|\*\*[^*\n]+\*\*:?|__[^_\n]+__:?)[ \t]*$/;

/**
 * The heading of the section where a report's reader says what goes wrong, whatever the form: "Describe the bug",
 * "Bug description", "What happened?", "Current behavior". Not the expected behaviour, the steps or the environment.
 */
const DESCRIPTION_HEADING = /\b(?:describ\w*|description|what happened|(?:current|actual|observed) behaviou?r)\b/i;
/** A line that is the form's, not the reader's prose: a checkbox, a collapsed block's tags, an empty field's answer. */
const FORM_LINE = /^\s*(?:[-*+]\s*\[[ xX]?\]|<\/?(?:details|summary)\b|_?No response_?\s*$)/i;
const CODE_SPAN = /``([^`]*)``|`([^`]*)`/g;
/** What a code span may name that the docs could: a command, a setting, a function (`define: {…}`, `npm run dev`). */
const CODE_NAME = /^[\p{L}_$][\p{L}\p{N}_$]+(?=[\s:(=]|$)/u;

/**
 * A code span in a report's prose, cut to the word it opens with when that word names a command, a setting or a function
 * (`define: { __APP_VERSION__: '2.4.1' }` → define, `npm run dev` → npm); nothing when it opens with a path, a package, a
 * file name or a value (`C:\Users\pat\shop`, `@lime/sdk@5.8.0`, `store.ts`): the reader's sample values, which no page
 * names, while their common words (src, features, store) pull the search to whatever page shares them.
 */
function codeNamesOnly(line: string): string {
  return line.replace(CODE_SPAN, (_span, double: string | undefined, single: string | undefined) => {
    const name = CODE_NAME.exec((double ?? single ?? '').trim());
    return name ? ` ${name[0]} ` : ' ';
  });
}

/**
 * What a report pasted in its template (a heading line below its first line) is searched by: its title (its first line
 * that is no heading), what its reader wrote under the heading that asks what goes wrong (DESCRIPTION_HEADING: the
 * prose, its code spans cut to the names they open with, no link, fenced block or checkbox) and the lines that hold an
 * error as a program prints it, stack frames left out. The same problem asked in one line finds the page that answers
 * (issue 69: a report in its template should find the same first page as its one-line twin), and what the form asked
 * for besides (steps with sample values, versions, environment listings, logs, checklists) pulled the search to other
 * pages. On the dev reports of evals/bug-reports/vite-pnpm.json the report found its twin's first page for 3 of 16
 * searched by what distinguishes it (distinguishingQuery), 7 of 16 without its listings, logs and checklists, 11 of 16
 * by its title and error lines, 12 of 16 without the stack frames (a frame's runtime paths, node:internal/modules/cjs,
 * met the docs' pages on modules), 14 of 16 with the description's prose (11 of 16 with its code spans whole: their
 * paths and sample values pulled elsewhere); on the test reports, judged once at the end, 4 of 8 (5 of 8 by its title
 * and error lines). Any other text as it is.
 */
export function reportWords(text: string): string {
  const lines = text.split('\n');
  if (!lines.slice(1).some((line) => REPORT_HEADING.test(line))) return text;
  const title = lines.find((line) => line.trim() !== '' && !REPORT_HEADING.test(line)) ?? '';
  const described: string[] = [];
  const errors: string[] = [];
  let isDescription = false;
  const reads = fencedLines(lines);
  for (const [at, line] of lines.entries()) {
    if (reads[at]!.isFence) continue;
    const isFenced = reads[at]!.fence !== null;
    if (!isFenced && REPORT_HEADING.test(line)) {
      isDescription = DESCRIPTION_HEADING.test(line);
      continue;
    }
    if (line === title) continue;
    if (ERROR_TEXT.test(line)) {
      if (!STACK_FRAME.test(line)) errors.push(line);
    } else if (isDescription && !isFenced && line.trim() !== '' && !FORM_LINE.test(line)) {
      described.push(codeNamesOnly(line.replace(LINK, ' ')).replace(/\s+/g, ' ').trim());
    }
  }
  return [title, ...described, ...errors].filter((line) => line !== '').join('\n');
}

/**
 * What a long report is searched by: its first line (a title, or what is wrong), the lines that hold an error as a
 * program prints it, the words it writes as code (components, props, functions) and the versions it names, each once,
 * in the order written. Every other word of a long report (steps, context, what the reader tried) pulls the search
 * toward whatever page shares the most common words. A question up to LONG_REPORT_WORDS words is searched whole.
 */
export function distinguishingQuery(text: string): string {
  if ((text.match(/\S+/g) ?? []).length <= LONG_REPORT_WORDS) return text;
  const lines = text.split('\n').map((line) => line.trim()).filter((line) => line !== '');
  const parts: string[] = [];
  // Each once: a word the first line or an error line already holds is not added again.
  const add = (part: string) => {
    if (part !== '' && !parts.some((kept) => kept.includes(part))) parts.push(part);
  };
  add(lines[0] ?? '');
  for (const line of lines.slice(1)) if (ERROR_TEXT.test(line)) add(line.length > 200 ? line.slice(0, 200) : line);
  // A link's host and path are where a reproduction lives (a sandbox's address), not what the report is about.
  for (const match of text.replace(LINK, ' ').matchAll(CODE_WORD)) if (!ABBREVIATION.test(match[0])) add(match[0]);
  for (const match of text.matchAll(new RegExp(VERSION.source, 'gi'))) add(match[0]);
  return parts.join(' ');
}
