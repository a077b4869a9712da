import { searchStopWordsOf } from '../../../relevance/language';
import { singular } from '../../../relevance/stem';

// What else a spec calls its resources, learnt from the spec's own text (issue 56, item 3). A path names a resource
// once ("Messages"); its descriptions name the kinds of it in passing: "an outbound text message", "the SMS message",
// "an MMS message". A developer names the kind alone ("send an SMS", "text a photo to a customer"). A word that the
// spec writes again and again right before a resource's head noun, and mostly before that one, names that resource
// too. No API's own list of words: the spec says them, and a spec that never writes "text message" learns nothing.

const STOP_WORDS = searchStopWordsOf('en');
/** How often a word must stand before a resource's head noun, and what share of its places before any head. */
const MIN_COUNT = 3;
const MIN_SHARE = 0.5;
/** And what share of all its places in the text: a verb ("send messages", "make calls") stands elsewhere too. */
const MIN_WORD_SHARE = 0.25;
/** Words that say which one or whose, not what kind (stop words say neither). */
const NOT_KINDS = new Set('new same given specified other each every any one first last single specific particular existing following previous current related associated corresponding'.split(' '));

/** A section's prose: without its code (curl, examples, field names in backticks) and links, which name no kinds. */
const proseOf = (markdown: string) => markdown.replace(/```[\s\S]*?```/g, ' ').replace(/`[^`\n]*`/g, ' ').replace(/https?:\/\/\S+/g, ' ');

/** A resource's head noun, singular: the last word of its plain name ("incoming phone numbers" → number). */
const headOf = (plural: string) => singular(plural.split(/\s+/).at(-1) ?? '');

/**
 * For each resource (by its plain plural name, as pathResources gives it) the other words the spec's text calls it
 * by: words seen at least MIN_COUNT times right before its head noun, at least MIN_SHARE of their places before any
 * resource's head, that are no resource's own name word ("call recording" does not make "call" a recording: a call
 * is a resource of its own) nor a stop word or a word of which-one. Resources without any are left out.
 */
export function resourceAliases(texts: readonly string[], resources: Iterable<string>): Map<string, string[]> {
  const plurals = [...new Set(resources)];
  const heads = new Map(plurals.map((plural) => [plural, headOf(plural)]));
  const headSet = new Set(heads.values());
  const nameWords = new Set(plurals.flatMap((plural) => plural.split(/\s+/).flatMap((word) => [word, singular(word)])));
  const before = new Map<string, Map<string, number>>();
  const seen = new Map<string, number>();
  for (const text of texts) {
    const words = proseOf(text).toLowerCase().match(/[a-z]+/g) ?? [];
    for (const word of words) seen.set(word, (seen.get(word) ?? 0) + 1);
    for (let at = 1; at < words.length; at += 1) {
      const head = singular(words[at]!);
      if (!headSet.has(head)) continue;
      const word = words[at - 1]!;
      if (word.length < 2 || nameWords.has(word) || STOP_WORDS.has(word) || NOT_KINDS.has(word)) continue;
      const counts = before.get(word) ?? new Map<string, number>();
      counts.set(head, (counts.get(head) ?? 0) + 1);
      before.set(word, counts);
    }
  }
  const aliasesByHead = new Map<string, string[]>();
  for (const [word, counts] of before) {
    const total = [...counts.values()].reduce((sum, count) => sum + count, 0);
    for (const [head, count] of counts) {
      if (count >= MIN_COUNT && count >= MIN_SHARE * total && count >= MIN_WORD_SHARE * (seen.get(word) ?? 0)) aliasesByHead.set(head, [...(aliasesByHead.get(head) ?? []), word]);
    }
  }
  const aliases = new Map<string, string[]>();
  for (const [plural, head] of heads) {
    const words = aliasesByHead.get(head);
    if (words) aliases.set(plural, [...words].sort());
  }
  return aliases;
}
