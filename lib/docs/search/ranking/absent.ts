import { deletionKeys, isLiveSection, ownTf, FIELDS, type TRankIndex } from './build';
import type { TIsEnglishWord } from '../english';
import { foldAccents } from '../languages';
import { stem } from '../../../relevance/stem';
import { isStopWord, tokenize } from './text';

// Names a question uses that the docs never do. "Can the assistant answer in a Microsoft Teams channel as well as
// Slack?" finds two Slack sections, and an answer that quotes them as "the sections that answer your question"
// claims what the docs do not say: nothing in them mentions Microsoft. A name here is what a reader capitalises
// mid-sentence (a product, a company, a browser: "Microsoft Teams", "Safari") or writes as code (`useToaster`,
// `Next.js`): words that name one thing, so that the docs either mention it or do not. A plain word a reader
// chose where the docs use another ("connect" for "set up") is no name, and is left to the ranking.

/**
 * A run of capitalised words on one line, or one code-like word (camelCase, dotted, with @ or /; a part may hold
 * hyphens, as a package's name does: `@scope/pdf-stamp` whole, never cut to `@scope/pdf`).
 */
const NAME = /(?:\b\p{Lu}[\p{L}\p{N}]*(?:[.'’-][\p{L}\p{N}]+)*(?:[^\S\n]+\p{Lu}[\p{L}\p{N}]*(?:[.'’-][\p{L}\p{N}]+)*)*)|(?:@?\b[\p{L}\p{N}]+(?:-[\p{L}\p{N}]+)*(?:[./][\p{L}\p{N}]+(?:-[\p{L}\p{N}]+)*)+\b)|(?:\b\p{Ll}+\p{Lu}[\p{L}\p{N}]*\b)/gu;

/** One word in capitals, maybe plural: an acronym ("PC", "PCs", "VPN"). */
const ACRONYM = /^\p{Lu}{2,}s?$/u;

/**
 * Where a sentence starts: its first word is capitalised by grammar, not because it is a name. A line's Markdown
 * marks (a heading's hashes, emphasis, a bullet, a numbered step, a checkbox) come before a line's first word.
 */
function isSentenceStart(text: string, at: number): boolean {
  return /(^|[.!?:]\s+|\n|["“(]\s*)(?:[^\S\n]*(?:#+|[*_]+|[-+>]|\d+[.)]|\[[ xX]?\]))*[^\S\n]*$/.test(text.slice(0, at));
}

/**
 * A heading line of ordinary words ("**To Reproduce**", "### Expected Behavior"): the line has only this run of
 * capitalised words (Markdown marks and a colon aside), each a lower-case English word. Title Case, not a name.
 */
function isPlainHeading(text: string, at: number, run: string, isEnglishWord: TIsEnglishWord): boolean {
  const start = text.lastIndexOf('\n', at - 1) + 1;
  const end = text.indexOf('\n', at);
  const line = text.slice(start, end < 0 ? text.length : end).replace(/[#*_>:\-[\]\s]+/g, ' ').trim();
  return line === run && run.split(/\s+/).every((word) => isStopWord(word.toLowerCase()) || isEnglishWord(word.toLowerCase()));
}

/**
 * A name without the function words at its ends: "When I" or "To" is a capitalised ordinary word, never a name (the
 * index keeps no stop word, so the docs would never seem to mention it); '' when nothing is left.
 */
function withoutFunctionWords(name: string): string {
  const words = name.split(/[^\S\n]+/);
  while (words.length > 0 && isStopWord(words[0]!.toLowerCase().replace(/['’].*$/, ''))) words.shift();
  while (words.length > 0 && isStopWord(words[words.length - 1]!.toLowerCase().replace(/['’].*$/, ''))) words.pop();
  return words.join(' ');
}

/** A word the docs have, as written or as a stem, or within one edit of one of theirs (a typo of a name they use). */
function docsHave(index: TRankIndex, word: string, kept: TKept): boolean {
  // The index's words have their accents folded (languages.ts): "Größe" is looked up as grosse.
  const lower = foldAccents(word).toLowerCase();
  if (hasTerm(index, lower, kept) || hasTerm(index, stem(lower), kept)) return true;
  if (lower.length < 5) return false;
  if (!kept) return deletionKeys(lower).some((key) => index.wordsByDeletion.has(key));
  return deletionKeys(lower).some((key) => (index.wordsByDeletion.get(key) ?? []).some((near) => hasTerm(index, near, kept) || hasTerm(index, stem(near), kept)));
}

/**
 * Which sections the reader may see (rank.ts keptSections for their access, lib/audiences); null: every one. A word
 * only a page the reader may not see has is no docs word for them: it is named as missing, as any other, so that the
 * answer's note tells no one what a hidden page says.
 */
type TKept = Uint8Array | null;

/** Whether a term (a stem, or a word as indexed) occurs in a section the reader may see. */
function hasTerm(index: TRankIndex, term: string, kept: TKept): boolean {
  const list = index.postings.get(term);
  if (!list) return false;
  if (!kept) return true;
  for (let at = 0; at < list.sections.length; at += 1) if (kept[list.sections[at]!] === 1) return true;
  return false;
}

/** The text of sections by id (the index holds none: build.ts); a section no longer stored is absent. */
export type TReadSectionContents = (ids: number[]) => Promise<Map<number, string>>;

/** How many sections a phrase is looked for in: those whose words have it, in index order. */
const PHRASE_SECTIONS = 200;

/**
 * The sections whose own text (not their page's context) has every word of `words` (stop words, which the index
 * does not keep, aside): where a phrase of them could be written whole. Their posting lists intersected.
 */
function sectionsWithEvery(index: TRankIndex, words: string[], kept: TKept): number[] {
  let candidates: number[] | null = null;
  for (const word of words) {
    // A word as the index tokenizes it: its first token is the word whole (a code word's parts follow it).
    const token = tokenize(word)[0];
    if (!token) continue;
    const list = index.postings.get(token.stem);
    if (!list) return [];
    const has = new Set<number>();
    for (let at = 0; at < list.sections.length; at += 1) {
      if (ownTf(list.tf, at * FIELDS.length) > 0 && isLiveSection(index, list.sections[at]!) && (!kept || kept[list.sections[at]!] === 1)) has.add(list.sections[at]!);
    }
    // In index order: a posting list's sections are ascending.
    candidates = candidates === null ? [...has] : candidates.filter((section) => has.has(section));
    if (candidates.length === 0) return [];
  }
  return candidates ?? [];
}

/**
 * A name of several words is mentioned only where the docs write it whole: Paste's docs name "Microsoft" (HAX) and
 * "teams", never "Microsoft Teams". Looked for in the text of the sections that have each of its words (read from the
 * database, the first PHRASE_SECTIONS of them), lower-cased, its words joined by single spaces.
 */
async function docsSay(index: TRankIndex, words: string[], readContents: TReadSectionContents, kept: TKept): Promise<boolean> {
  const candidates = sectionsWithEvery(index, words, kept).slice(0, PHRASE_SECTIONS);
  if (candidates.length === 0) return false;
  const contents = await readContents(candidates.map((section) => index.sections[section]!.id));
  const phrase = ` ${words.join(' ').toLowerCase()} `;
  return candidates.some((section) => {
    const head = index.sections[section]!;
    const content = contents.get(head.id);
    if (content === undefined) return false;
    const text = `${head.title} ${head.heading} ${content}`.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ');
    return ` ${text} `.includes(phrase);
  });
}

/** A code-like name's parts: `remixRouter` → remix, router; `@acme/widgets` → acme, widgets. */
function codeParts(name: string): string[] {
  return name
    .replace(/([\p{Ll}])(\p{Lu})/gu, '$1 $2')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((part) => part.length > 1);
}

/**
 * The names the question uses that the docs never mention, as the reader wrote them ("Microsoft Teams"):
 * - a capitalised name is absent when one of its words is nowhere in the docs, or, for a proper name of several
 *   words (one of them no lower-case English word: "Microsoft"), when the docs never write it whole;
 * - a name written as code is absent when none of its parts is a docs word (`remixRouter`, not `AnchorProps`);
 * - a name with a digit (a version, an error code, `borderWidth40`) is never taken for one: the docs need not
 *   mention every version to answer about it.
 * A capitalised word that only opens a sentence is not taken for a name ("Tooltips flicker" asks about tooltips)
 * unless a capitalised word follows it, and a title in Title Case is checked word by word, never as a phrase.
 */
export async function namesNotInDocs(index: TRankIndex, question: string, isEnglishWord: TIsEnglishWord, readContents: TReadSectionContents, kept: TKept = null): Promise<string[]> {
  const names: string[] = [];
  // A link's words are an address (a sandbox, a page), never a name the reader uses: blanked, places kept.
  const text = question.replace(/\b(?:https?:\/\/|www\.)\S+/gi, (link) => ' '.repeat(link.length));
  for (const match of text.matchAll(NAME)) {
    let name = match[0];
    // "e.g", "i.e": an abbreviation, not a name.
    if (/^(?:\p{L}\.)+\p{L}?\.?$/u.test(name)) continue;
    if (isPlainHeading(text, match.index, name, isEnglishWord)) continue;
    const isTitleCase = isSentenceStart(text, match.index) && /^\p{Lu}/u.test(name);
    if (isTitleCase) {
      const rest = name.match(/^\S+\s+(.*)$/su);
      if (!rest) continue;
      name = rest[1] as string;
    }
    name = withoutFunctionWords(name);
    if (name === '' || /\p{N}/u.test(name) || names.includes(name)) continue;
    const isCode = /[./@]/.test(name) || /\p{Ll}\p{Lu}/u.test(name);
    if (isCode) {
      if (codeParts(name).every((part) => !docsHave(index, part, kept))) names.push(name);
      continue;
    }
    // An acronym the dictionary lists as written ("PCs", "URL", "CPU") is a common noun, not one thing's name.
    if (ACRONYM.test(name) && isEnglishWord(name)) continue;
    const words = name.split(/[^\p{L}\p{N}]+/u).filter((word) => word.length > 1);
    if (words.length === 0) continue;
    const isProperPhrase = words.length > 1 && !isTitleCase && words.some((word) => !isEnglishWord(word.toLowerCase()));
    if (words.some((word) => !docsHave(index, word, kept)) || (isProperPhrase && !(await docsSay(index, words, readContents, kept)))) names.push(name);
  }
  return names;
}
