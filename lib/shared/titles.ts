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

/** The offline title: the question's first line, as a title. */
export function titleFromQuestion(question: string): string {
  return cleanTitle(question.split('\n')[0] ?? '');
}
