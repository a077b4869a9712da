// Whether a word is spelt right in English: Hunspell's en_US dictionary (dictionary-en) read by nspell, which
// applies the dictionary's affix rules, so inflections count ("slides", "spins", "pops"). The search box uses it
// to tell a typo from a plain word the docs happen not to use: "spins" is no typo of "spans", and "chip" none of
// "ship". British spellings are not in it ("grey"), so they are still matched to the docs' "gray".
//
// Building the speller takes about 150 ms of CPU and 20 MB once per process (half a second for the first query
// that needed it, measured on `next start`), so the server builds it in the background at start
// (lib/app.ts), as it does the ranking index. Kept on globalThis: Next bundles each route separately, and the
// route that searches must find the speller start-up built.

export type TIsEnglishWord = (word: string) => boolean;

const SPELLER = Symbol.for('paste-assistant.english-spelling');
const scope = globalThis as { [SPELLER]?: Promise<TIsEnglishWord> };

async function buildSpeller(): Promise<TIsEnglishWord> {
  const [{ default: dictionary }, { default: nspell }] = await Promise.all([import('dictionary-en'), import('nspell')]);
  // dictionary-en reads its files into Buffers but types them as Uint8Array; nspell's types ask for Buffers.
  const spell = nspell({ aff: Buffer.from(dictionary.aff), dic: Buffer.from(dictionary.dic) });
  return (word) => spell.correct(word);
}

/** The English spelling check, built once. A failed build is not kept: the next call tries again. */
export function englishSpelling(): Promise<TIsEnglishWord> {
  return (scope[SPELLER] ??= buildSpeller().catch((error: unknown) => {
    delete scope[SPELLER];
    throw error;
  }));
}
