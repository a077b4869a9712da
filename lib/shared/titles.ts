// A thread's title, the same rule on the server (the model's title cleaned, or the offline title) and in the
// browser (the title it falls back to when the title request is refused).

/** A title's length at most, in characters: the thread list shows about this much on one line. */
const MAX_TITLE_CHARS = 60;

// Words a cut title does not end on: a title that stops at "without an" or "for the" reads as cut mid-thought.
const DANGLING_WORDS = new Set(
  'a an the and or but nor so of to for in on at by with without from into onto about as than that which who whose my your our their its this these those is are was were be can could do does did will would should'.split(' '),
);

/**
 * A thread title: the text's words, without quotes or trailing punctuation, whole when it fits in MAX_TITLE_CHARS;
 * otherwise cut between words (never inside one, nor inside a mask of personal data), not on a word that leaves
 * the thought open, and marked as cut with "…".
 */
export function cleanTitle(text: string): string {
  const words =
    text
      .replace(/["'“”‘’`]/g, '')
      .replace(/\s+/g, ' ')
      .trim()
      // A mask of personal data ("[email removed]", lib/privacy) counts as one word: a title never cuts one in two.
      .match(/\[[a-z][a-z ]*removed\]\S*|\S+/g) ?? [];
  const kept: string[] = [];
  let length = 0;
  for (const word of words) {
    const next = length + (kept.length > 0 ? 1 : 0) + word.length;
    if (next > MAX_TITLE_CHARS) break;
    kept.push(word);
    length = next;
  }
  const isCut = kept.length < words.length;
  if (isCut) {
    while (kept.length > 1 && DANGLING_WORDS.has((kept.at(-1) ?? '').toLowerCase().replace(/[^\p{L}]/gu, ''))) kept.pop();
    // One word longer than a title: its start.
    if (kept.length === 0 && words[0]) kept.push(words[0].slice(0, MAX_TITLE_CHARS - 1));
  }
  const title = kept.join(' ').replace(/[\s.,;:!?…-]+$/u, '');
  if (title === '') return 'New thread';
  return `${title.charAt(0).toUpperCase()}${title.slice(1)}${isCut ? '…' : ''}`;
}

/** A label line has at most this many words: "### Description", "**Steps to reproduce**", "### Paste Core Version". */
const LABEL_WORDS = 4;

/**
 * A line that only labels what follows, as an issue template's are ("### Description", "**To Reproduce**"), or that
 * holds no words (a rule, a fence, a checkbox alone). The same marks lib/relevance/boilerplate.ts drops from a line
 * (that module learns which whole lines a repository's templates share; titles are made in the browser too, which
 * may import only lib/shared, and know no repository).
 */
function isLabelLine(line: string): boolean {
  const text = line.trim();
  if (!/\p{L}/u.test(text) || text.startsWith('```')) return true;
  const words = (text.match(/\p{L}[\p{L}\p{N}'’-]*/gu) ?? []).length;
  return words <= LABEL_WORDS && (/^#{1,6}\s/.test(text) || /^(\*\*|__)[^*_]+(\*\*|__):?$/.test(text));
}

/** Markdown's marks around a line: heading hashes, quote marks, bullets, checkboxes, emphasis. */
function withoutMarks(line: string): string {
  return line
    .replace(/^[\s#>*+\-_]*(?:\[[ xX]?\]\s*)?/, '')
    .replace(/(\*\*|__|~~)/g, '')
    .trim();
}

/**
 * The offline title: the question's first line that says something, as a title. A bug report pasted as it would be
 * filed opens with its template's headings ("### Description"): the title is the first line of the reader's own words.
 */
export function titleFromQuestion(question: string): string {
  const lines = question.replace(/<!--[\s\S]*?(?:-->|$)/g, '\n').split('\n');
  const line = lines.find((entry) => !isLabelLine(entry)) ?? lines.find((entry) => entry.trim() !== '') ?? '';
  return cleanTitle(withoutMarks(line));
}
