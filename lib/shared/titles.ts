// A thread's title, the same rule on the server (the model's title cleaned, or the offline title) and in the
// browser (the title it falls back to when the title request is refused).

const MAX_TITLE_WORDS = 6;

/** A thread title: at most six words, no quotes, no trailing punctuation. */
export function cleanTitle(text: string): string {
  const words = text
    .replace(/["'“”‘’`]/g, '')
    .replace(/\s+/g, ' ')
    .trim()
    // A mask of personal data ("[email removed]", lib/privacy) counts as one word: a title never cuts one in two.
    .match(/\[[a-z][a-z ]*removed\]\S*|\S+/g)
    ?.slice(0, MAX_TITLE_WORDS) ?? [];
  const title = words.join(' ').replace(/[\s.,;:!?…-]+$/u, '');
  return title === '' ? 'New thread' : title.charAt(0).toUpperCase() + title.slice(1);
}

/** The offline title: the question's first words. */
export function titleFromQuestion(question: string): string {
  return cleanTitle(question.split('\n')[0] ?? '');
}
