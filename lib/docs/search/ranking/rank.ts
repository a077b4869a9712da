import { accessKey, canSee, pageAudiencesOf, type TReaderAccess } from '../../../audiences';
import { deletionKeys, FIELDS, sectionTermsOf, sortedPosition, type TRankIndex, type TRankSection } from './build';
import type { TPageKind } from '../../../relevance/page-kind';
import { isHowToQuestion } from '../../../relevance/section-shape';
import { queryLanguage } from '../languages';
import { stem } from '../../../relevance/stem';
import { isFillerWord, isStopWord, tokenize, type TToken } from './text';
import { actsOnObject, questionActions, questionObject } from './intent';
import { isAskedOfCode } from './code-questions';
import { relatedWords, type TRelatedWord } from './thesaurus';
import { englishFactor } from './english-frequency';
import { SUBJECT_ENGLISH_HALF, subjectPagesOf } from './subject';
import { isSetupHeadingStems, isSetupQuestion } from '../../../relevance/setup-intent';
import type { TOperationAction } from '../../../shared/docs';
import { termSaturation, type TSaturation } from './saturation';
import { DOCS, isApartFromDocs, kindStats, THREADS } from './kind-stats';
import type { TRankWeights } from './weights';

// Scores the sections of an in-memory index (build.ts) for a question: BM25F over each section's page title,
// heading path and body, with the question's words weighed by salience, page-level evidence, page-kind priors,
// and one round of pseudo-relevance feedback. Pure: the same index, weights and question give the same ranking.

export type TRankHit = {
  /** Index into `index.sections`. */
  section: number;
  score: number;
  /**
   * How strongly the docs answer the question (the same on every hit): the best of its candidate sections, each
   * section's lexical score for the question's own words over the index's largest idf (comparable across docs
   * folders), times the square root of the share of the question its page matches (words the docs do not have
   * count as rare words, so a question about something else scores low), times its page kind's prior. Taken over
   * every candidate, not the hits shown, so that it does not rise or fall with the order of the first few results;
   * and a blog post's aside ("fantasy novels") is weak evidence that the docs answer a question about novels.
   */
  evidence: number;
  /** The share of the question's salient weight the section matches (0–1). */
  coverage: number;
  /** The share of the question's salient weight the section's page matches anywhere (0–1). */
  pageCoverage: number;
};

/** What a site adds to its docs' own words: synonyms (site.config.json `synonyms`), by stem. */
export type TRankVocabulary = { synonyms: Map<string, string[]> };

export const EMPTY_VOCABULARY: TRankVocabulary = { synonyms: new Map() };

/** An index term a question word may match; `fields` (a bit per field of FIELDS), when set, the only fields it counts in. */
/** `isRelated`: a word a general thesaurus relates to the reader's (thesaurus.ts): it ranks, but is no evidence. */
type TTerm = { stem: string; factor: number; fields?: number; isRelated?: boolean };

/** A form of a page name counts where the name is the page's: its title. */
const TITLE_FIELD = 1 << FIELDS.indexOf('title');
/** `isCode`: the reader wrote the word as code (`useToaster`, `@twilio-paste/core/theme`): it meets code at full weight. */
/**
 * `salience`: how much the word counts in the question as the reader wrote it (the evidence, and the relevance floor
 * fitted on it, read this). `weight`: what it counts in the ranking: its salience times how uncommon it is in general
 * English (english-frequency.ts), so that "connect" or "use" weigh less than "Slack" whatever their rarity in the docs;
 * a word written as code, or that a docs page's title has (what that page is about), keeps its salience.
 */
type TGroup = { word: string; stem: string; salience: number; weight: number; terms: TTerm[]; isOwn: boolean; isCode?: boolean };

/** The words that say a question asks for that kind of page; a kind a question does not ask for is ranked lower. */
const KIND_WORDS: Record<Exclude<TPageKind, 'guide'>, string[]> = {
  api: ['api', 'prop', 'props', 'property', 'properties', 'parameter', 'parameters', 'argument', 'arguments'],
  changelog: ['changelog', 'changelogs', 'release', 'releases', 'released', 'breaking', 'changed'],
  blog: ['blog', 'blogs', 'article', 'articles', 'newsletter', 'newsletters', 'announcement', 'announced'],
};
const KIND_STEMS = Object.fromEntries(Object.entries(KIND_WORDS).map(([kind, words]) => [kind, new Set(words.map(stem))])) as Record<
  Exclude<TPageKind, 'guide'>,
  Set<string>
>;

function lowerBound(words: TRankIndex['words'], prefix: string): number {
  let low = 0;
  let high = words.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (words[middle]!.word < prefix) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** The question's words, each with the index terms it may match and how much each counts. */
function analyse(index: TRankIndex, query: string, weights: TRankWeights, vocabulary: TRankVocabulary, subjectPages: ReadonlySet<number>, hasThesaurus = true): TGroup[] {
  const read = queryLanguage(query);
  const tokens = tokenize(read.text, read.stopWords);
  const isTyping = /[\p{L}\p{N}]$/u.test(query);
  const lastPosition = tokens.at(-1)?.position ?? -1;
  const positions = new Set(tokens.map((token) => token.position)).size;
  const repeats = new Map<string, number>();
  for (const token of tokens) repeats.set(token.stem, (repeats.get(token.stem) ?? 0) + 1);
  const groups = new Map<string, TGroup>();
  // An English thesaurus for English questions only (another language's stop words mean another language).
  const related = read.stopWords || !hasThesaurus ? new Map<string, TRelatedWord[]>() : relatedWords(
        read.text,
        (word) => isStopWord(word) || isFillerWord(word),
        (word) => tokenize(word).some((token) => !index.postings.has(token.stem)),
      );
  const compounds = closedCompounds(index, tokens);
  // A question that names the subject of a page (subject.ts) weighs its other words by general English too.
  const englishHalf = weights.englishHalf > 0 ? weights.englishHalf : subjectPages.size > 0 ? SUBJECT_ENGLISH_HALF : 0;
  for (const token of tokens) {
    if (groups.has(token.stem)) continue;
    const salience =
      (token.isCode ? 1.6 : isFillerWord(token.word) ? 0.2 : 1) * (1 + 0.25 * Math.min((repeats.get(token.stem) ?? 1) - 1, 2));
    const terms: TTerm[] = [];
    const isKnown = index.postings.has(token.stem);
    if (isKnown) terms.push({ stem: token.stem, factor: 1 });
    // A word still being typed (the last of a short query, or one the docs do not have) may start a longer word.
    if (token.position === lastPosition && isTyping && token.word.length >= 2 && (!isKnown || positions <= 2)) {
      const found = new Map<string, number>();
      for (let at = lowerBound(index.words, token.word); at < index.words.length; at += 1) {
        const entry = index.words[at]!;
        if (!entry.word.startsWith(token.word)) break;
        if (entry.word !== token.word && entry.stem !== token.stem) found.set(entry.stem, Math.max(found.get(entry.stem) ?? 0, entry.df));
      }
      for (const [prefixStem] of [...found].sort((a, b) => b[1] - a[1]).slice(0, 6)) terms.push({ stem: prefixStem, factor: 0.8 });
    }
    // Typo tolerance for longer words the docs do not have: the most frequent docs words one edit away (a letter
    // added, dropped or changed; found by the deletions the two words share).
    if (terms.length === 0 && token.word.length >= 5 && /^\p{L}+$/u.test(token.word)) {
      const near = new Set(deletionKeys(token.word).flatMap((key) => index.wordsByDeletion.get(key) ?? []));
      const best = [...near].map((word) => index.words[lowerBound(index.words, word)]!).sort((a, b) => b.df - a.df).slice(0, 2);
      for (const entry of best) if (!terms.some((term) => term.stem === entry.stem)) terms.push({ stem: entry.stem, factor: 0.6 });
    }
    // A form of the verb a page or component name is made from ("spinning" for Spinner, "sliding" for Slider).
    if (weights.nameForm > 0) {
      for (const name of index.namesByVerb.get(token.stem) ?? []) terms.push({ stem: name, factor: weights.nameForm, fields: TITLE_FIELD });
    }
    for (const synonym of vocabulary.synonyms.get(token.stem) ?? []) {
      if (index.postings.has(synonym) && !terms.some((term) => term.stem === synonym)) terms.push({ stem: synonym, factor: 0.9 });
    }
    // Words a general thesaurus relates to it (thesaurus.ts), below the word itself: one word each, as the docs have it.
    // A single word's only where the docs never write it: a word they have is matched as itself.
    for (const { word, factor, isOfPhrase } of related.get(token.word) ?? []) {
      if (isKnown && !isOfPhrase) continue;
      const [only, ...more] = tokenize(word);
      if (!only || more.length > 0 || !index.postings.has(only.stem) || terms.some((term) => term.stem === only.stem)) continue;
      terms.push({ stem: only.stem, factor, isRelated: true });
    }
    // Ranked as the reader's word, but no evidence: the relevance floor was fitted on the words as written (search.ts).
    for (const compound of compounds.get(token.position) ?? []) if (!terms.some((term) => term.stem === compound)) terms.push({ stem: compound, factor: 1, isRelated: true });
    // A word written as code names one thing, and a word a page's title names is what that page is about: general
    // English says nothing of how telling they are. Any other word weighs by how common it is in general English.
    const isExempt = token.isCode || englishHalf <= 0 || titleStemsOf(index).has(token.stem);
    const weight = isExempt ? salience : salience * englishFactor(token.stem, englishHalf);
    groups.set(token.stem, { word: token.word, stem: token.stem, salience, weight, terms, isOwn: true, isCode: token.isCode });
  }
  return [...groups.values()];
}

const titleStemsByIndex = new WeakMap<TRankIndex, Set<string>>();

/**
 * Every stem of a docs page's title (what its pages are about), worked out once per index. Not a thread's: its title is
 * a reader's sentence, and names no subject of the docs (as a blog headline names no component).
 */
function titleStemsOf(index: TRankIndex): Set<string> {
  let stems = titleStemsByIndex.get(index);
  if (!stems) {
    stems = new Set();
    for (const page of index.pages) if (!page.isThread) for (const title of page.titleStems) stems.add(title);
    titleStemsByIndex.set(index, stems);
  }
  return stems;
}

/**
 * The docs' closed compounds a question writes open: two words side by side whose joining is a word of a page's title
 * ("tool tip" → Tooltip, "check boxes" → Checkbox, "side bar" → Sidebar). Each of the two words' groups gets the
 * compound as a term of its own: the reader named it with both. By position. Titles only: a joining the docs have only
 * as code ("api key" → apiKey, "current page" → currentPage) moved as many questions down as up.
 */
function closedCompounds(index: TRankIndex, tokens: readonly TToken[]): Map<number, string[]> {
  const found = new Map<number, string[]>();
  const plain = tokens.filter((token) => !token.isCode && /^\p{L}{2,}$/u.test(token.word));
  for (let at = 0; at + 1 < plain.length; at += 1) {
    const [first, second] = [plain[at]!, plain[at + 1]!];
    if (second.position !== first.position + 1) continue;
    const [joined, ...more] = tokenize(first.word + second.word);
    if (!joined || more.length > 0 || !index.postings.has(joined.stem)) continue;
    // A word of the question already ("Sidebar … this side bar"): counted thrice, it outweighed the rest.
    if (tokens.some((token) => token.stem === joined.stem)) continue;
    // Read over the pages each time (a pair the postings have is rare): a change applied in place (delta.ts) renames them.
    if (!index.pages.some((page) => page.titleStems.has(joined.stem))) continue;
    for (const token of [first, second]) found.set(token.position, [...(found.get(token.position) ?? []), joined.stem]);
  }
  return found;
}

/** The sections ranked in full, by lexical score (the rest only count towards their page's evidence). */
export const CANDIDATES = 300;

/** Pseudo-relevance feedback reads this many first results. */
const FEEDBACK_DOCS = 3;

/**
 * A question's word the docs never write weighs, in the evidence, this share of what the rarest docs word weighs
 * (TQuestion.absentWeight). Chosen among 1, 0.75 and 0.5 by the relevance floor's cross-validated verdicts (issue 54;
 * lib/docs/search/search.ts EVIDENCE_FLOOR): at 1, a real question naming a font the docs no longer name ("Whitney")
 * fell below the floor.
 */
const ABSENT_WEIGHT = 0.5;

/**
 * `own`: the question's own words' score from what the section itself says (its title, heading path and body, not
 * its page's context): the relevance floor's evidence, kept on the scale it was set on. `groups`: the question's own
 * word groups it matches, in the question's order.
 */
export type TScored = { section: number; lexical: number; own: number; groups: number[] };

/**
 * A term of a word group as scored: its saturation per posting, and what that is multiplied by (factor · idf), per
 * kind of section (kind-stats.ts: a docs section's by the docs' idf, a thread's by the whole index's).
 */
type TTermList = { saturation: TSaturation; weights: readonly [number, number]; isRelated: boolean };

/** A word group's postings as scored: its terms' lists, and the share of the sections they hold (kind-stats.ts postingShare, summed). */
type TGroupLists = { group: TGroup; terms: TTermList[]; share: number };

function groupListsOf(index: TRankIndex, groups: TGroup[], weights: TRankWeights): TGroupLists[] {
  const stats = kindStats(index);
  return groups.map((group) => {
    const groupWeights = group.isCode ? codeWordWeights(weights) : weights;
    const terms: TTermList[] = [];
    let share = 0;
    for (const term of group.terms) {
      if (!index.postings.has(term.stem)) continue;
      const saturation = termSaturation(index, term.stem, term.fields, groupWeights);
      const [docsIdf, threadsIdf] = stats.idf(term.stem);
      terms.push({ saturation, weights: [term.factor * (docsIdf ?? 0), term.factor * (threadsIdf ?? 0)], isRelated: term.isRelated === true });
      share += stats.postingShare(term.stem);
    }
    return { group, terms, share };
  });
}

/**
 * Lexical scores summed so far, per section, over the word groups accumulated into them: per index, cleared and
 * used again by the next search instead of allocating them per search (ranking is synchronous, so one search at a
 * time uses them; at a hundred times the Paste corpus a search touches a hundred thousand sections, and lists that
 * size made anew each search were garbage enough to stall the server). `isTouched` marks the first `touchedCount`
 * sections of `touched`; `keptTouched` counts those the reader's filter keeps.
 */
type TScoring = {
  lexical: Float64Array;
  isTouched: Uint8Array;
  touched: Int32Array;
  touchedCount: number;
  keptTouched: number;
  /** keptTouched per kind of section (kind-stats.ts: docs, and what is apart from them). */
  keptTouchedByKind: Int32Array;
  /** Scratch: the sections the group being accumulated touches, and each one's best term (0 between groups). */
  groupTouched: Int32Array;
  best: Float64Array;
  /** Scratch: the kept touched sections when a filter leaves some out. */
  kept: Int32Array;
  /** Scratch for selecting among scores: one value per section at most. */
  selection: Float64Array;
};

const scratch = new WeakMap<TRankIndex, TScoring>();

function scoringFor(index: TRankIndex): TScoring {
  let scoring = scratch.get(index);
  if (!scoring) {
    const count = index.sections.length;
    scoring = {
      lexical: new Float64Array(count),
      isTouched: new Uint8Array(count),
      touched: new Int32Array(count),
      touchedCount: 0,
      keptTouched: 0,
      keptTouchedByKind: new Int32Array(2),
      groupTouched: new Int32Array(count),
      best: new Float64Array(count),
      kept: new Int32Array(count),
      selection: new Float64Array(count),
    };
    scratch.set(index, scoring);
  }
  clearScoring(scoring);
  // Zero after every group already, unless a search stopped half-way through one.
  scoring.best.fill(0);
  return scoring;
}

function clearScoring(scoring: TScoring): void {
  for (let at = 0; at < scoring.touchedCount; at += 1) {
    const section = scoring.touched[at]!;
    scoring.lexical[section] = 0;
    scoring.isTouched[section] = 0;
  }
  scoring.touchedCount = 0;
  scoring.keptTouched = 0;
  scoring.keptTouchedByKind.fill(0);
}

const codeWordWeightsOf = new WeakMap<TRankWeights, TRankWeights>();

/**
 * The weights a word the reader wrote as code is scored with: code counts as the body does. Code counts less for
 * words in plain English (an example's strings and text are made up for it), not for an identifier a reader pasted.
 */
function codeWordWeights(weights: TRankWeights): TRankWeights {
  let found = codeWordWeightsOf.get(weights);
  if (!found) codeWordWeightsOf.set(weights, (found = { ...weights, code: Math.max(weights.code, weights.body) }));
  return found;
}

/**
 * BM25F per section over every posting of the groups `which` (each group at its best term), added into `scoring`;
 * for a section of a kind `touchedOnly` marks, only into the sections touched already (the others' postings are
 * skipped).
 */
function accumulate(scoring: TScoring, lists: TGroupLists[], which: readonly number[], keep: Uint8Array | null, kindOf: Uint8Array, touchedOnly: readonly boolean[] = NO_KIND): void {
  const { lexical, isTouched, touched, groupTouched, best } = scoring;
  for (const at of which) {
    const { group, terms } = lists[at]!;
    let groupCount = 0;
    for (const { saturation, weights } of terms) {
      const { sections, all } = saturation;
      for (let position = 0; position < sections.length; position += 1) {
        const value = all[position]!;
        const section = sections[position]!;
        if (value < 0 || (isTouched[section] === 0 && touchedOnly[kindOf[section]!] === true)) continue;
        const weighted = weights[kindOf[section]!]! * value;
        if (best[section] === 0) groupTouched[groupCount++] = section;
        if (weighted > best[section]!) best[section] = weighted;
      }
    }
    for (let entry = 0; entry < groupCount; entry += 1) {
      const section = groupTouched[entry]!;
      lexical[section] = lexical[section]! + group.weight * best[section]!;
      best[section] = 0;
      if (isTouched[section] === 0) {
        isTouched[section] = 1;
        touched[scoring.touchedCount++] = section;
        if (!keep || keep[section] === 1) {
          scoring.keptTouched += 1;
          scoring.keptTouchedByKind[kindOf[section]!]! += 1;
        }
      }
    }
  }
}

const NO_KIND: readonly boolean[] = [false, false];

/** The position of `section` in a term's ascending list of sections, or -1. */
function positionIn(sections: Int32Array, section: number): number {
  const position = sortedPosition(sections, section);
  return sections[position] === section ? position : -1;
}

/** The touched sections the filter keeps, in the order touched (which is kept among ties is mostLexical's to say): a view of scratch. */
function keptOf(scoring: TScoring, keep: Uint8Array | null): Int32Array {
  if (!keep) return scoring.touched.subarray(0, scoring.touchedCount);
  let count = 0;
  for (let at = 0; at < scoring.touchedCount; at += 1) if (keep[scoring.touched[at]!] === 1) scoring.kept[count++] = scoring.touched[at]!;
  return scoring.kept.subarray(0, count);
}

/**
 * A word group is common when its postings are more than this share of the sections (of the docs' or the threads',
 * whichever it is more common in: kind-stats.ts): "use", "component", "paste" in the Paste docs. A share, so that the same words are common at any size of the same docs. At 0.15, npm run
 * eval:search prints the same figures as scoring every posting, on every set; at 0.1 one fold's fitted weights
 * changed (paste-docs cross-validated MRR 0.822 → 0.807) for a third less time per search at a hundred times the
 * Paste corpus.
 */
export const COMMON_SHARE = 0.15;

/** `cutRounds`: ranking rounds (first, feedback) in which the common-terms cut left common words' sections out. */
export type TRankTrace = { cutRounds: number };

/** How a ranking round selects its candidates: rankSections' `isExhaustive` and `trace`. */
type TRankMode = { isExhaustive: boolean; trace?: TRankTrace };

/**
 * The sections the filter keeps that are candidates for the CANDIDATES with the most lexical evidence, with their
 * lexical scores in `scoring.lexical`.
 *
 * Scoring every posting of every word of the question grows with the docs: a common word's list holds a share of
 * all sections, and a reader's question has several. So, as a search engine's common-terms query does, the
 * sections a question's rarer words match are the candidates, and its common words only add to their scores
 * (their lists are read for those sections only: reading a posting is cheap, touching a section is not). Unless
 * the rarer words match fewer than CANDIDATES sections (or the question has only common words): then every posting
 * is scored, as with `isExhaustive`, the ranking the cut is measured against (tests/unit/rank-common-terms.test.ts,
 * tests/corpus/rank-common-terms.test.ts).
 */
function selectCandidates(scoring: TScoring, lists: TGroupLists[], keep: Uint8Array | null, kindOf: Uint8Array, isExhaustive: boolean, trace?: TRankTrace): Int32Array {
  const every = lists.map((_, at) => at);
  if (isExhaustive) {
    accumulate(scoring, lists, every, keep, kindOf);
    return keptOf(scoring, keep);
  }
  accumulate(
    scoring,
    lists,
    every.filter((at) => lists[at]!.share <= COMMON_SHARE),
    keep,
    kindOf,
  );
  const common = every.filter((at) => lists[at]!.share > COMMON_SHARE);
  // Per kind: threads (or code) that a question's rarer words touch by the hundred must not cut the docs' common
  // words short when the docs alone are under CANDIDATES (an own-docs question lost its FAQ section to the cut only
  // when the Paste threads were indexed beside it), as each kind keeps its own statistics (kind-stats.ts).
  const cutKinds = Array.from(scoring.keptTouchedByKind, (count) => count >= CANDIDATES);
  // The common words' postings: for every section, or, with the cut, for the sections the rarer words touched only.
  accumulate(scoring, lists, common, keep, kindOf, cutKinds);
  if (trace && cutKinds.includes(true) && common.length > 0) trace.cutRounds += 1;
  return keptOf(scoring, keep);
}

/** A candidate's exact scores, summed in the question's order of groups (its lists looked up, not accumulated). */
function scoredEntry(lists: TGroupLists[], section: number, kind: number): TScored {
  let lexical = 0;
  let own = 0;
  const groups: number[] = [];
  lists.forEach(({ group, terms }, at) => {
    let isMatched = false;
    let best = 0;
    let bestText = 0;
    for (const { saturation, weights, isRelated } of terms) {
      const weight = weights[kind]!;
      const position = positionIn(saturation.sections, section);
      if (position < 0 || saturation.all[position]! < 0) continue;
      isMatched = true;
      best = Math.max(best, weight * saturation.all[position]!);
      // The evidence (`own`) is what the reader's own words found: a thesaurus's word ranks but proves nothing.
      if (!isRelated) bestText = Math.max(bestText, weight * saturation.text(position));
    }
    if (!isMatched) return;
    lexical += group.weight * best;
    if (group.isOwn) {
      own += group.salience * bestText;
      groups.push(at);
    }
  });
  return { section, lexical, own, groups };
}

/** What a candidate's page multiplies its score by, its page's share of the question, and its page kind's prior. */
/** `evidenceShare`: `share` with the question's words the docs never write counted in (absentWeight). */
type TPageFacts = { factor: number; share: number; evidenceShare: number; prior: number };

/** Page-level BM25 of the question's own words, each page's over the best page's (0–1), by page. */
function scorePages(index: TRankIndex, groups: TGroup[], weights: TRankWeights): Float64Array {
  const scores = new Float64Array(index.pages.length);
  const best = new Float64Array(index.pages.length);
  const stats = kindStats(index);
  const kindOfPage = (page: number) => (isApartFromDocs(index.pages[page]!) ? THREADS : DOCS);
  for (const group of groups) {
    if (!group.isOwn) continue;
    const found: number[] = [];
    for (const term of group.terms) {
      if (term.fields !== undefined) continue;
      const idfs = stats.pageIdf(term.stem);
      const list = index.pagePostings.get(term.stem);
      if (!list) continue;
      for (let at = 0; at < list.pages.length; at += 1) {
        const page = list.pages[at]!;
        const kind = kindOfPage(page);
        const tf = list.tf[at]! / (1 - PAGE_B + (PAGE_B * index.pageLengths[page]!) / stats.averagePageLength[kind]);
        const value = term.factor * (idfs[kind] ?? 0) * (tf / (weights.k1 + tf));
        if (value > best[page]!) {
          if (best[page] === 0) found.push(page);
          best[page] = value;
        }
      }
    }
    for (const page of found) {
      scores[page] = scores[page]! + group.weight * best[page]!;
      best[page] = 0;
    }
  }
  // Each page over the best page of its kind: a long thread does not shrink every docs page's score.
  const top = [0, 0];
  scores.forEach((value, page) => (top[kindOfPage(page)] = Math.max(top[kindOfPage(page)]!, value)));
  for (let page = 0; page < scores.length; page += 1) if (top[kindOfPage(page)]! > 0) scores[page] = scores[page]! / top[kindOfPage(page)]!;
  return scores;
}

/** Page-level length normalisation: BM25's usual b. */
const PAGE_B = 0.75;

/**
 * The kept sections ranked in full: of each kind, the CANDIDATES with the most lexical evidence, in their order in
 * `kept`. Per kind, since each kind's scores are on its own statistics' scale: hundreds of threads matching a
 * question's words do not crowd a docs section out.
 */
function candidatesOf(scoring: TScoring, kept: Int32Array, kindOf: Uint8Array): number[] {
  if (kept.length <= CANDIDATES) return Array.from(kept);
  const [docs, apart] = scoring.keptTouchedByKind;
  if (docs === 0 || apart === 0) return mostLexical(kept, scoring.lexical, CANDIDATES, scoring.selection);
  const byKind: number[][] = [[], []];
  for (const section of kept) byKind[kindOf[section]!]!.push(section);
  const chosen = new Set(byKind.flatMap((list) => (list.length > CANDIDATES ? mostLexical(list, scoring.lexical, CANDIDATES, scoring.selection) : list)));
  return Array.from(kept).filter((section) => chosen.has(section));
}

/**
 * The `count` entries of `order` with the highest `scores[entry]` (ties: the lower entries, section numbers), in
 * their order in `order`: the set a sort by score, then by entry, would keep first. Found by selecting the
 * count-th highest bare score in place instead of sorting the entries: this runs on every search over thousands of
 * sections, and the sort was a fifth of the ranking.
 */
export function mostLexical(order: ArrayLike<number> & Iterable<number>, scores: ArrayLike<number>, count: number, scratch?: Float64Array): number[] {
  // `scratch`: a buffer of at least order.length to select in, reused across searches instead of one per call.
  const values = scratch && scratch.length >= order.length ? scratch.subarray(0, order.length) : new Float64Array(order.length);
  for (let at = 0; at < order.length; at += 1) values[at] = scores[order[at]!]!;
  const threshold = selectNth(values, order.length - count);
  let greater = 0;
  const tied: number[] = [];
  for (const entry of order) {
    if (scores[entry]! > threshold) greater += 1;
    else if (scores[entry] === threshold) tied.push(entry);
  }
  // The ties kept: the lowest entries (usually all of them, or a handful; many at once where pages repeat).
  const tiesKept = count - greater;
  const lastTie = tied.length <= tiesKept ? Infinity : tiesKept <= 0 ? -Infinity : Int32Array.from(tied).sort()[tiesKept - 1]!;
  const out: number[] = [];
  for (const entry of order) {
    const score = scores[entry]!;
    if (score > threshold || (score === threshold && entry <= lastTie)) out.push(entry);
  }
  return out;
}

/** The value that would be at position `nth` if `values` were sorted ascending (Hoare's selection; reorders `values`). */
function selectNth(values: Float64Array, nth: number): number {
  let low = 0;
  let high = values.length - 1;
  while (low < high) {
    const pivot = values[(low + high) >> 1]!;
    let left = low;
    let right = high;
    while (left <= right) {
      while (values[left]! < pivot) left += 1;
      while (values[right]! > pivot) right -= 1;
      if (left <= right) {
        const swap = values[left]!;
        values[left] = values[right]!;
        values[right] = swap;
        left += 1;
        right -= 1;
      }
    }
    if (nth <= right) high = right;
    else if (nth >= left) low = left;
    else return values[nth]!;
  }
  return values[nth]!;
}

/** The group as the reader's own words and what the index makes of them, without a thesaurus's related words. */
function withoutRelated(group: TGroup): TGroup {
  return group.terms.some((term) => term.isRelated) ? { ...group, terms: group.terms.filter((term) => !term.isRelated) } : group;
}

/**
 * What a word group of the question weighs: its best term's idf, by the docs' statistics (kind-stats.ts). A word the
 * docs do not have at all counts as a rare word: a question about Jupiter's moons matches nothing of what it asks,
 * even where "many" occurs everywhere.
 */
function groupWeight(index: TRankIndex, group: TGroup, isEvidence = false): number {
  const stats = kindStats(index);
  // The evidence is measured on the words as the reader wrote them (the relevance floor was fitted so); the ranking
  // weighs them by general English too.
  const salience = isEvidence ? group.salience : group.weight;
  const idfs = group.terms.map((term) => [term.factor, stats.idf(term.stem)[DOCS]] as const).filter(([, idf]) => idf !== undefined);
  if (idfs.length === 0) return group.word.length >= 3 && /^\p{L}+$/u.test(group.word) ? salience * stats.maxIdf[DOCS] : 0;
  return salience * Math.max(...idfs.map(([factor, idf]) => factor * idf!));
}

/** What the rounds of a question's ranking share, worked out once (feedback terms are no words of the question). */
type TQuestion = {
  /** Per word group of the question: its weight if it is one of the question's own words, else 0. */
  groupWeights: number[];
  /** Their sum (at least 0.001). */
  total: number;
  /** groupWeights and total without the words a thesaurus relates (isRelated): what the evidence is measured by. */
  evidenceWeights: number[];
  evidenceTotal: number;
  /**
   * What the question's own words that no docs word matches weigh for the evidence (none in `total`: a word the index
   * lacks has no idf). "What is the capital of France?" is not wholly covered by a page that writes "capitalization".
   */
  absentWeight: number;
  /** How many of the question's salient words a title or heading (its stems) names, each counted once. */
  named: (stems: Set<string>) => number;
  /** The share of the question's own weight (its words, each by its weight) that a title (its stems) names (0–1). */
  weightNamed: (stems: Set<string>) => number;
  /** The kinds of page (API, changelog, blog) the question asks for. */
  askedKinds: Set<TPageKind>;
  /** The pages the question names the subject of (subjectPageOf): each counts its title as wholly named. */
  subjectPages: ReadonlySet<number>;
  /** The question asks how to set something up ("How do I connect the assistant to Slack?"). */
  isSetup: boolean;
  /** scorePages of the question's own words, by page. */
  pageScores: Float64Array;
  /** Page evidence of the pages whose sections were candidates so far. */
  pages: Map<number, TPageFacts>;
  /** How much of each candidate section's heading the question names (0–1). */
  headingCoverage: Map<number, number>;
  /** The question asks how to do something ("How do I add a toast?"): sections that show how rank higher. */
  isHowTo: boolean;
  /** What the question asks to do to an API's resource (intent.ts): the operations that do it rank higher. */
  actions: Set<TOperationAction>;
  /** The thing the question's verb acts on (intent.ts): the operations on that resource rank higher. */
  object: Set<string> | null;
  /** The question is asked of the indexed code (code-questions.ts): source files may take first results ahead of the docs. */
  isAskedOfCode: boolean;
};

function questionOf(index: TRankIndex, query: string, groups: TGroup[], weights: TRankWeights, subjectPages: ReadonlySet<number>, vocabulary: TRankVocabulary = EMPTY_VOCABULARY): TQuestion {
  const ownGroups = groups.filter((group) => group.isOwn);
  const groupWeights = groups.map((group) => (group.isOwn ? groupWeight(index, group) : 0));
  const total = Math.max(
    groupWeights.reduce((sum, value) => sum + value, 0),
    0.001,
  );
  const evidenceWeights = groups.map((group) => (group.isOwn ? groupWeight(index, withoutRelated(group), true) : 0));
  const evidenceTotal = Math.max(
    evidenceWeights.reduce((sum, value) => sum + value, 0),
    0.001,
  );
  // The salient own groups each index term stands for: to count the title and heading words a question names.
  const namingGroups = new Map<string, number[]>();
  groups.forEach((group, groupIndex) => {
    if (!group.isOwn || group.salience < 0.5) return;
    for (const term of group.terms) namingGroups.set(term.stem, [...(namingGroups.get(term.stem) ?? []), groupIndex]);
  });
  // `mark` avoids a Set per call.
  const mark = new Int32Array(groups.length);
  let stamp = 0;
  const named = (stems: Set<string>) => {
    stamp += 1;
    let found = 0;
    for (const term of stems) {
      const hit = namingGroups.get(term);
      if (!hit) continue;
      for (const group of hit) {
        if (mark[group] === stamp) continue;
        mark[group] = stamp;
        found += 1;
      }
    }
    return found;
  };
  // The question's own word groups by each index term they stand for, with their weights.
  const weightGroups = new Map<string, number[]>();
  groups.forEach((group, groupIndex) => {
    if (!group.isOwn || groupWeights[groupIndex]! <= 0) return;
    for (const term of group.terms) weightGroups.set(term.stem, [...(weightGroups.get(term.stem) ?? []), groupIndex]);
  });
  const weightMark = new Int32Array(groups.length);
  let weightStamp = 0;
  const weightNamed = (stems: Set<string>) => {
    weightStamp += 1;
    let sum = 0;
    for (const term of stems) {
      for (const group of weightGroups.get(term) ?? []) {
        if (weightMark[group] === weightStamp) continue;
        weightMark[group] = weightStamp;
        sum += groupWeights[group]!;
      }
    }
    return Math.min(1, sum / total);
  };
  let absentWeight = 0;
  const stats = kindStats(index);
  for (const group of ownGroups) if (withoutRelated(group).terms.every((term) => stats.idf(term.stem)[DOCS] === undefined)) absentWeight += group.salience * stats.maxIdf[DOCS] * ABSENT_WEIGHT;
  const queryStems = new Set(ownGroups.map((group) => group.stem));
  const askedKinds = new Set<TPageKind>(
    (Object.keys(KIND_STEMS) as Exclude<TPageKind, 'guide'>[]).filter((kind) => [...queryStems].some((queryStem) => KIND_STEMS[kind].has(queryStem))),
  );
  const pageScores = weights.pageScore > 0 ? scorePages(index, groups, weights) : new Float64Array(index.pages.length);
  return { groupWeights, total, evidenceWeights, evidenceTotal, absentWeight, named, weightNamed, askedKinds, subjectPages, isSetup: isSetupQuestion(query), pageScores, pages: new Map(), headingCoverage: new Map(), isHowTo: isHowToQuestion(query), actions: questionActions(query), object: questionObject(query, vocabulary.synonyms), isAskedOfCode: isAskedOfCode(index, query) };
}

/**
 * A setup question about a page's subject ("How do I connect the assistant to Slack?") is answered by that page's
 * setup section ("Slack setup › Configure the server"), whatever else of the page holds more of the question's words
 * ("Replies from Slack" writes "Slack" on every line): each setup section of a subject page takes its page's best score,
 * in their own order, so the page leads where it did and with its setup. No weight: it changes only the order within
 * the page.
 */
function leadWithSetup(index: TRankIndex, question: TQuestion, results: TResult[]): void {
  const best = new Map<number, number>();
  for (const result of results) if (question.subjectPages.has(result.page)) best.set(result.page, Math.max(best.get(result.page) ?? 0, result.score));
  for (const result of results) {
    const top = best.get(result.page);
    if (top !== undefined && isSetupHeadingStems(index.headingStems[result.entry.section]!)) result.score = top * (1 + 1e-3) + result.score * 1e-6;
  }
}

/** Whether any section of `page` matches any term of the group (its terms' lists read over the page's sections only). */
function pageMatches(index: TRankIndex, { terms }: TGroupLists, page: number, isEvidence = false): boolean {
  const { sections } = index.pages[page]!;
  let first = Infinity;
  let last = -Infinity;
  for (const section of sections) {
    first = Math.min(first, section);
    last = Math.max(last, section);
  }
  for (const { saturation, isRelated } of terms) {
    if (isEvidence && isRelated) continue;
    const list = saturation.sections;
    for (let position = sortedPosition(list, first); position < list.length && list[position]! <= last; position += 1) {
      if (index.sectionPage[list[position]!] === page && saturation.all[position]! >= 0) return true;
    }
  }
  return false;
}

/**
 * Page evidence of the candidates' pages not yet worked out (the others' is never read): the question's own words
 * each page matches anywhere (whatever the reader's filter keeps), and the page title's words the question names.
 */
function addPageFacts(index: TRankIndex, lists: TGroupLists[], question: TQuestion, candidates: number[], weights: TRankWeights): void {
  const { groupWeights, total, evidenceWeights, evidenceTotal, pages } = question;
  for (const section of candidates) {
    const page = index.sectionPage[section]!;
    if (pages.has(page)) continue;
    const info = index.pages[page]!;
    let pageCoverage = 0;
    let evidenceCoverage = 0;
    lists.forEach((entry, at) => {
      if (!entry.group.isOwn || !pageMatches(index, entry, page)) return;
      pageCoverage += groupWeights[at]!;
      if (!entry.terms.some((term) => term.isRelated) || pageMatches(index, entry, page, true)) evidenceCoverage += evidenceWeights[at]!;
    });
    const titleNamed = question.named(info.isCode ? codeTitleStems(index, page) : info.titleStems);
    const titleCoverage = question.subjectPages.has(page)
      ? 1
      : Math.min(1, (titleNamed + (titleNamed === 0 ? aliasTitleWord(index, info, question) : 0)) / Math.max(info.titleLength, 1));
    const prior = info.kind !== 'guide' && !question.askedKinds.has(info.kind) ? weights.kindPrior : 1;
    const pageScore = 1 + weights.pageScore * question.pageScores[page]!;
    const thread = info.isThread ? threadFactor(index, info, question, titleCoverage, weights) : info.isCode ? weights.codePrior : 1;
    pages.set(page, {
      share: Math.min(1, pageCoverage / total),
      evidenceShare: Math.min(1, evidenceCoverage / (evidenceTotal + question.absentWeight)),
      prior,
      factor: (weights.pageCoverage + Math.min(1, pageCoverage / total)) * (1 + weights.pageTitle * titleCoverage) * prior * pageScore * thread,
    });
  }
}

const codeTitleStemsByIndex = new WeakMap<TRankIndex, Map<number, Set<string>>>();

/**
 * What a source file's title (`Spinner.tsx · @twilio-paste/spinner`, code/page.ts) names, for its title coverage: its
 * file name's words and its package's own name's, not its extension nor the scope every package of the repository
 * shares. With them, a question that says "Twilio" or "Paste" named half the title of every Paste source file, and the
 * Spinner's `styled.tsx` had the title bonus of the Spinner page for a bug report about Twilio Flex (paste-real lost
 * its quickstart to it with the Paste source on). Worked out once per page and index.
 */
function codeTitleStems(index: TRankIndex, page: number): Set<string> {
  let byPage = codeTitleStemsByIndex.get(index);
  if (!byPage) codeTitleStemsByIndex.set(index, (byPage = new Map()));
  let stems = byPage.get(page);
  if (!stems) {
    const code = index.sections[index.pages[page]!.sections[0]!]?.meta?.code;
    const file = (code?.file ?? '').split('/').pop()!.replace(/\.[^.]+$/, '');
    const packageName = (code?.package ?? '').replace(/^@[^/]*\//, '');
    stems = new Set(tokenize(`${file} ${packageName}`).map((token) => token.stem));
    byPage.set(page, stems);
  }
  return stems;
}

/**
 * For a page whose title the question names none of ("Message"): 1 when the question's object is a word the spec
 * calls one of the page's resources by (meta.resourceAliases: "sms" for messages), as "phone number" names "Incoming
 * Phone Number"; else 0. Only the object counts, not the alias anywhere in the question: the learnt words carry some
 * noise ("find" for messages), which a verb's object rarely is.
 */
function aliasTitleWord(index: TRankIndex, info: TRankIndex['pages'][number], question: TQuestion): number {
  const { object } = question;
  const first = info.sections[0];
  const aliases = first === undefined ? undefined : index.sections[first]!.meta?.resourceAliases;
  if (!object || !aliases) return 0;
  return Object.values(aliases).some((words) => words.some((word) => object.has(word))) ? 1 : 0;
}

const YEAR_MS = 365.25 * 24 * 3600_000;

/**
 * What a thread's sections are multiplied by (weights.ts says what each weight is for): the kind prior; the title
 * bonus, by how nearly the question and the thread's title are one problem (the share of the title's words the
 * question names times the share of the question the title names: 1 when they are the same words, small when they
 * share one word, whichever side is longer); and recency, by the thread's age counted back from the newest page of
 * the index (not from today: the ranking stays a pure function of the index, and an index whose newest thread is a
 * year old does not call every thread old). Docs pages are not touched: with no threads indexed, nothing changes.
 */
function threadFactor(index: TRankIndex, info: TRankIndex['pages'][number], question: TQuestion, titleCoverage: number, weights: TRankWeights): number {
  const sameProblem = titleCoverage * question.weightNamed(info.titleStems);
  const age = info.updatedAt === null || index.newestUpdate === null ? 0 : Math.max(0, index.newestUpdate - info.updatedAt) / YEAR_MS;
  return (weights.threadPrior * (1 + weights.threadTitle * sameProblem)) / (1 + weights.recency * age);
}

/**
 * An API operation that does what the question asks (its page's meta.operations, by the section's anchor) ranks ×
 * (1 + operationAction), and one whose resource is what the question's verb acts on (meta.resources, or a word the
 * spec calls it by: meta.resourceAliases) × (1 +
 * operationObject); any other section × 1. Ranking only: the evidence stays what the question's words found.
 */
function actionFactor(index: TRankIndex, section: number, question: TQuestion, weights: TRankWeights): number {
  const head = index.sections[section]!;
  const resource = head.meta?.resources?.[head.anchor];
  const objectFactor = question.object && resource && actsOnObject(question.object, resource, head.meta?.resourceAliases?.[resource]) ? 1 + weights.operationObject : 1;
  if (question.actions.size === 0 || weights.operationAction === 0) return objectFactor;
  const action = head.meta?.operations?.[head.anchor];
  return (action !== undefined && question.actions.has(action) ? 1 + weights.operationAction : 1) * objectFactor;
}

export type TResult = { entry: TScored; score: number; page: number; share: number };

/** Best first; equal scores in section order. */
const byScore = (a: TResult, b: TResult) => b.score - a.score || a.entry.section - b.entry.section;

/**
 * The first `count` results once a page's second section counts `samePage`, its third that squared, and so on (the
 * first results name several pages). The same as sorting every result, penalising, and sorting again: a section's
 * place among its own page's sections is all its penalty depends on, and only the first few are kept.
 * `samePage` may differ by page (a function of the page: a thread's comments count less than a guide's sections).
 */
export function firstResults(results: TResult[], count: number, samePage: number | ((page: number) => number)): TResult[] {
  const byPage = new Map<number, TResult[]>();
  for (const result of results) {
    const list = byPage.get(result.page);
    if (list) list.push(result);
    else byPage.set(result.page, [result]);
  }
  for (const list of byPage.values()) {
    if (list.length < 2) continue;
    list.sort(byScore);
    const factor = typeof samePage === 'number' ? samePage : samePage(list[0]!.page);
    for (let place = 1; place < list.length; place += 1) list[place]!.score *= factor ** place;
  }
  const top: TResult[] = [];
  for (const result of results) {
    if (top.length < count) top.push(result);
    else if (byScore(result, top[count - 1]!) < 0) top[count - 1] = result;
    else continue;
    for (let at = top.length - 1; at > 0 && byScore(top[at]!, top[at - 1]!) < 0; at -= 1) [top[at], top[at - 1]] = [top[at - 1]!, top[at]!];
  }
  return top;
}

/**
 * firstResults of the source files' sections and of the others' apart, `count` of each, in one list by score: a page is
 * of one kind, so each section's score is what firstResults over them all gives it. The docs held below the code
 * (capThreads) are there to take the first places back: dozens of source files that outscore them on a question's
 * words no longer leave fewer than five docs among the results to fill them with.
 */
function firstResultsByKind(results: TResult[], count: number, samePage: (page: number) => number, isCode: (page: number) => boolean): TResult[] {
  const code = results.filter((result) => isCode(result.page));
  if (code.length === 0) return firstResults(results, count, samePage);
  const others = results.filter((result) => !isCode(result.page));
  return [...firstResults(others, count, samePage), ...firstResults(code, count, samePage)].sort(byScore);
}

/** The first results, where threads take at most `threadSlots` places (weights.ts). */
const FIRST_RESULTS = 5;

/**
 * The results with threads beyond the first `slots` of them among the first FIRST_RESULTS moved down to just after
 * those places (in their order): the first results keep room for the docs, however many threads match. Everything
 * else keeps its order. `mayLead`: whether such a result may take one of those places at all (a source file's, for a
 * question not asked of the code, only by a clear margin: rankOnce).
 */
export function capThreads(results: TResult[], isThread: (page: number) => boolean, slots: number, mayLead: (result: TResult) => boolean = () => true): TResult[] {
  const first: TResult[] = [];
  const rest: TResult[] = [];
  let threads = 0;
  for (const result of results) {
    const isThreadResult = isThread(result.page);
    if (first.length < FIRST_RESULTS && (!isThreadResult || (threads < slots && mayLead(result)))) {
      first.push(result);
      if (isThreadResult) threads += 1;
    } else rest.push(result);
  }
  return [...first, ...rest];
}

/** One ranking of the sections for the groups `lists` (the question's own words, then any feedback terms). */
function rankOnce(
  index: TRankIndex,
  lists: TGroupLists[],
  question: TQuestion,
  weights: TRankWeights,
  limit: number,
  keep: Uint8Array | null,
  { isExhaustive, trace }: TRankMode,
): { hits: TRankHit[]; ordered: TScored[] } {
  // Only the sections with the most lexical evidence can reach the first results: the multipliers below are
  // bounded, and a section far down on its words does not climb past hundreds of others.
  // The filters (kinds, version, private threads: sectionFilter) apply before anything is chosen, so that the
  // first results are all of what was asked for, as many as asked for.
  const scoring = scoringFor(index);
  const { kindOf, maxIdf } = kindStats(index);
  const kept = selectCandidates(scoring, lists, keep, kindOf, isExhaustive, trace);
  const candidates = candidatesOf(scoring, kept, kindOf);
  addPageFacts(index, lists, question, candidates, weights);
  const results: TResult[] = [];
  let evidence = 0;
  for (const section of candidates) {
    const entry = scoredEntry(lists, section, kindOf[section]!);
    const page = index.sectionPage[section]!;
    const facts = question.pages.get(page)!;
    let headingCoverage = question.headingCoverage.get(section);
    if (headingCoverage === undefined) {
      const headings = index.headingStems[section]!;
      const stems = new Set(headings === '' ? [] : headings.split(' '));
      headingCoverage = stems.size === 0 ? 0 : Math.min(1, question.named(stems) / stems.size);
      question.headingCoverage.set(section, headingCoverage);
    }
    const showsHow = question.isHowTo && index.showsHow[section] === 1 ? 1 + weights.howTo : 1;
    const score = entry.lexical * facts.factor * (1 + weights.heading * headingCoverage) * showsHow * actionFactor(index, section, question, weights);
    results.push({ entry, score, page, share: facts.share });
    evidence = Math.max(evidence, (entry.own / maxIdf[kindOf[section]!]!) * Math.sqrt(facts.evidenceShare) * facts.prior);
  }
  if (question.isSetup && question.subjectPages.size > 0) leadWithSetup(index, question, results);
  const samePage = (page: number) => (index.pages[page]!.isThread ? weights.threadSamePage : weights.samePage);
  const count = Math.max(limit, FEEDBACK_DOCS);
  const isCode = (page: number) => index.pages[page]!.isCode;
  const isCapped = weights.threadSlots < FIRST_RESULTS || weights.codeSlots < FIRST_RESULTS || !question.isAskedOfCode;
  const ranked = isCapped ? firstResultsByKind(results, count + 2 * FIRST_RESULTS, samePage, isCode) : firstResults(results, count, samePage);
  // Threads, then source files, each take at most their slots of the first results: the docs keep the rest. A source
  // file takes one only for a question asked of the code (code-questions.ts), or when it outscores every
  // docs result by codeLead: else a question asked of the docs in words keeps its docs' first results.
  let bestDocs = 0;
  for (const result of ranked) if (!isCode(result.page) && !index.pages[result.page]!.isThread) bestDocs = Math.max(bestDocs, result.score);
  const mayLead = (result: TResult) => question.isAskedOfCode || result.score >= weights.codeLead * bestDocs;
  const top = isCapped ? capThreads(capThreads(ranked, (page) => index.pages[page]!.isThread, weights.threadSlots), isCode, weights.codeSlots, mayLead).slice(0, count) : ranked;
  return {
    hits: top.slice(0, limit).map((result) => {
      let coverage = 0;
      for (const group of result.entry.groups) coverage += question.groupWeights[group]!;
      return {
        section: result.entry.section,
        score: result.score,
        evidence,
        coverage: Math.min(1, coverage / question.total),
        pageCoverage: result.share,
      };
    }),
    ordered: top.map((result) => result.entry),
  };
}

export type TSectionFilter = {
  /** Only sections of these kinds of source (labels, TRankSection['kind']); absent: every kind. */
  kinds?: ReadonlySet<string>;
  /** Only sections of these versions of the docs, and those of no version (meta.version); absent: every version. */
  versions?: ReadonlySet<string>;
  /**
   * Who the search is for (lib/audiences): only sections of pages whose audiences the reader may see (canSee). Required:
   * a read of every page says so (MAINTAINER_ACCESS: the maintainers' own work, gaps and drafts).
   */
  access: TReaderAccess;
};

/** Per index, per filter (its key): which sections it keeps (1), or null when it keeps every one. */
const keptByIndex = new WeakMap<TRankIndex, Map<string, Uint8Array | null>>();

/**
 * The sections `filter` keeps, as a flag per section, worked out once per index and filter: a server's searches all
 * filter (a reader who is not signed in never sees private threads), and testing each touched section's kind and meta
 * on every search was a third of the ranking at ten times the Paste corpus. Null: every section is kept (no filter,
 * or none that leaves any out, as when no thread is private).
 */
export function keptSections(index: TRankIndex, filter: TSectionFilter): Uint8Array | null {
  const keep = sectionFilter(filter);
  if (!keep) return null;
  const key = JSON.stringify([filter.kinds ? [...filter.kinds].sort() : null, filter.versions ? [...filter.versions].sort() : null, accessKey(filter.access)]);
  let byFilter = keptByIndex.get(index);
  if (!byFilter) keptByIndex.set(index, (byFilter = new Map()));
  let kept = byFilter.get(key);
  if (kept === undefined) {
    const flags = new Uint8Array(index.sections.length);
    let isAll = true;
    index.sections.forEach((section, at) => {
      if (keep(section)) flags[at] = 1;
      else isAll = false;
    });
    kept = isAll ? null : flags;
    // Bounded: a caller's filters are few (kinds, versions, the readers' sets of audiences), but they come from requests.
    if (byFilter.size >= 64) byFilter.clear();
    byFilter.set(key, kept);
  }
  return kept;
}

/** The one test every filter of a search applies to a section (in the ranker, to embedding hits, to related pages); undefined: keep all. */
export function sectionFilter({ kinds, versions, access }: TSectionFilter): ((section: Pick<TRankSection, 'kind' | 'meta'>) => boolean) | undefined {
  const isEveryPage = access.isMaintainer;
  if (!kinds && !versions && isEveryPage) return undefined;
  return (section) =>
    (!kinds || kinds.has(section.kind ?? 'folder')) && (!versions || isOfVersions(section, versions)) && (isEveryPage || canSee(pageAudiencesOf(section.meta), access));
}

/** A section of one of `versions`, or of none (docs_page.meta.version absent: it belongs to every version). */
export function isOfVersions(section: { meta?: { version?: unknown } | null }, versions: ReadonlySet<string>): boolean {
  const version = section.meta?.version;
  return typeof version !== 'string' || versions.has(version);
}

/** Per index, each section's terms that feedback may take (words of three letters or more, none common), with their tf·idf. */
const feedbackTerms = new WeakMap<TRankIndex, ([string, number][] | undefined)[]>();

function sectionFeedbackTerms(index: TRankIndex, section: number): [string, number][] {
  let bySection = feedbackTerms.get(index);
  if (!bySection) feedbackTerms.set(index, (bySection = []));
  let terms = bySection[section];
  if (!terms) {
    terms = [];
    // By the statistics of the section's kind (kind-stats.ts): a docs section's words, by how rare they are in the docs.
    const stats = kindStats(index);
    const kind = stats.kindOf[section]!;
    for (const [term, count] of sectionTermsOf(index, section)) {
      if (!/^\p{L}{3,}$/u.test(term)) continue;
      const idf = stats.idf(term)[kind] ?? 0;
      if (idf < stats.maxIdf[kind]! * 0.35) continue;
      terms.push([term, (1 + Math.log(count)) * idf]);
    }
    bySection[section] = terms;
  }
  return terms;
}

/** Terms of the first results that the question does not have, weighted by tf·idf: pseudo-relevance feedback. */
function feedbackGroups(index: TRankIndex, ordered: TScored[], groups: TGroup[], weights: TRankWeights): TGroup[] {
  const TERMS = 8;
  const have = new Set(groups.flatMap((group) => group.terms.map((term) => term.stem)));
  const weightsByStem = new Map<string, number>();
  for (const entry of ordered.slice(0, FEEDBACK_DOCS)) {
    for (const [term, value] of sectionFeedbackTerms(index, entry.section)) {
      if (have.has(term)) continue;
      weightsByStem.set(term, (weightsByStem.get(term) ?? 0) + value);
    }
  }
  const top = [...weightsByStem].sort((a, b) => b[1] - a[1]).slice(0, TERMS);
  const strongest = top[0]?.[1] ?? 1;
  return top.map(([term, value]) => ({
    word: term,
    stem: term,
    salience: (weights.feedback * value) / strongest,
    weight: (weights.feedback * value) / strongest,
    terms: [{ stem: term, factor: 1 }],
    isOwn: false,
  }));
}

export function rankSections(
  index: TRankIndex,
  query: string,
  {
    weights,
    vocabulary = EMPTY_VOCABULARY,
    limit,
    isExhaustive = false,
    hasThesaurus = true,
    trace,
    ...filter
  }: {
    weights: TRankWeights;
    vocabulary?: TRankVocabulary;
    limit: number;
    /** Relate the question's words to the docs' through a general English thesaurus (thesaurus.ts); off to measure it. */
    hasThesaurus?: boolean;
    /** Score every posting, without the common-terms cut (selectCandidates): the ranking tests hold the cut to. */
    isExhaustive?: boolean;
    /** Counts the rounds the cut applied to (tests: that a comparison with the exhaustive ranking compared anything). */
    trace?: TRankTrace;
  } & TSectionFilter,
): TRankHit[] {
  const keep = keptSections(index, filter);
  // What the question names the subject of (subject.ts): weighs its words (analyse) and leads its pages (questionOf).
  const subjectPages = subjectPagesOf(index, query);
  const groups = analyse(index, query, weights, vocabulary, subjectPages, hasThesaurus);
  if (!groups.some((group) => group.terms.length > 0)) return [];
  const lists = groupListsOf(index, groups, weights);
  const question = questionOf(index, query, groups, weights, subjectPages, vocabulary);
  const mode = { isExhaustive, trace };
  const first = rankOnce(index, lists, question, weights, limit, keep, mode);
  if (weights.feedback <= 0 || first.hits.length === 0) return first.hits;
  // Feedback reorders; it does not add evidence: a section's evidence stays what the question's own words found.
  const feedback = groupListsOf(index, feedbackGroups(index, first.ordered, groups, weights), weights);
  return rankOnce(index, [...lists, ...feedback], question, weights, limit, keep, mode).hits;
}
