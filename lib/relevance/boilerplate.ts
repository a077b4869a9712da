// A repository's issue and pull-request templates, learnt from its threads: the lines many threads' bodies share
// ("### Description", "**To Reproduce**", "- [ ] macOS", "Thanks for helping make Paste better!") are the template's,
// not what one report is about. Learnt, not listed: a line is template text when it recurs, as a whole line, in the
// bodies of several threads of one repository, whatever its words. A reader who pastes a report as they would file it
// brings those lines along; they are neither searched nor taken for names the docs do not mention. Pure.

/** A set of template lines, each in its normal form (normalLine). */
export type TBoilerplate = ReadonlySet<string>;

/** A line is the template's when this many threads' bodies have it, at least. */
export const MIN_THREADS = 3;
/** …and at least this share of the repository's threads (a big repository's coincidences are not its template). */
export const MIN_SHARE = 0.01;

/**
 * A line as it is compared: Markdown's marks around it (heading hashes, emphasis, list bullets, checkboxes, quote
 * marks, a trailing colon) dropped, lower-cased, spaces collapsed; '' for a line with no letter (a version, a rule,
 * a fence), which is never template text: "20.20.0" says which release a report is about.
 */
export function normalLine(line: string): string {
  const text = line
    .replace(/^[\s#>*+\-_]*(?:\[[ xX]?\]\s*)?/, '')
    .replace(/[*_`]+/g, '')
    .replace(/[\s:]+$/, '')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
  return /\p{L}/u.test(text) ? text : '';
}

/** HTML comments: a template's instructions to whoever files the report, never shown on GitHub. */
const HTML_COMMENT = /<!--[\s\S]*?(?:-->|$)/g;

/** Each body's distinct lines (normal form). */
function linesOf(body: string): Set<string> {
  const lines = new Set<string>();
  for (const line of body.replace(HTML_COMMENT, '\n').split('\n')) {
    const normal = normalLine(line);
    if (normal) lines.add(normal);
  }
  return lines;
}

/**
 * The template lines of one repository's threads, from their bodies (issues', pull requests' and discussions'
 * descriptions): each line that MIN_THREADS bodies, and MIN_SHARE of them, have as a whole line.
 */
export function learnBoilerplate(bodies: Iterable<string | null | undefined>): Set<string> {
  const counts = new Map<string, number>();
  let threads = 0;
  for (const body of bodies) {
    threads += 1;
    for (const line of linesOf(body ?? '')) counts.set(line, (counts.get(line) ?? 0) + 1);
  }
  const floor = Math.max(MIN_THREADS, Math.ceil(threads * MIN_SHARE));
  return new Set([...counts].filter(([, count]) => count >= floor).map(([line]) => line));
}

/** Several repositories' templates as one: a reader's question does not say which repository it is about. */
export function mergeBoilerplate(sets: Iterable<TBoilerplate>): Set<string> {
  const merged = new Set<string>();
  for (const set of sets) for (const line of set) merged.add(line);
  return merged;
}

/**
 * A template's prompt that any issue form has, whatever the repository and however few of its threads kept it: a line
 * that ends in a bracketed example for whoever files the report ("- OS: [e.g. iOS]", "- Version [e.g. 22]", GitHub's
 * default bug template), or a field's answer that says nothing ("N/A", "None"). Never what one report is about.
 */
const TEMPLATE_PROMPT = /[[(]\s*(?:e\.\s?g\.?|for example|example|ex\.)[^\])\n]*[\])]\s*$/i;
const EMPTY_ANSWER = new Set(['n/a', 'na', 'none', 'n.a', 'tbd', '-']);

export function isTemplatePrompt(line: string): boolean {
  return TEMPLATE_PROMPT.test(line) || EMPTY_ANSWER.has(line.replace(/^[\s#>*+\-_]*/, '').replace(/[\s.:]+$/, '').trim().toLowerCase());
}

/** Whether `text` brings template lines along: a report pasted as it was filed. */
export function hasTemplateLines(text: string, boilerplate: TBoilerplate): boolean {
  return text.split('\n').some((line) => boilerplate.has(normalLine(line)) || isTemplatePrompt(line));
}

/**
 * The text without its template: its HTML comments, every line that is one of `boilerplate`'s and every template
 * prompt (isTemplatePrompt); the other lines as written, in order (a report's own words, error text and versions are
 * kept). Runs of blank lines left behind shrink to one.
 */
export function stripBoilerplate(text: string, boilerplate: TBoilerplate): string {
  if (boilerplate.size === 0 && !text.includes('<!--') && !text.split('\n').some(isTemplatePrompt)) return text;
  return text
    .replace(HTML_COMMENT, '\n')
    .split('\n')
    .filter((line) => !boilerplate.has(normalLine(line)) && !isTemplatePrompt(line))
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
