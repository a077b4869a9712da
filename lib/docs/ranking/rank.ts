import { deletionKeys, FIELDS, type TPageKind, type TRankIndex } from './build';
import { isFillerWord, stem, tokenize } from './text';
import { termSaturation } from './saturation';
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
type TTerm = { stem: string; factor: number; fields?: number };

/** A form of a page name counts where the name is the page's: its title. */
const TITLE_FIELD = 1 << FIELDS.indexOf('title');
type TGroup = { word: string; stem: string; salience: number; terms: TTerm[]; isOwn: boolean };

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
function analyse(index: TRankIndex, query: string, weights: TRankWeights, vocabulary: TRankVocabulary): TGroup[] {
  const tokens = tokenize(query);
  const isTyping = /[\p{L}\p{N}]$/u.test(query);
  const lastPosition = tokens.at(-1)?.position ?? -1;
  const positions = new Set(tokens.map((token) => token.position)).size;
  const repeats = new Map<string, number>();
  for (const token of tokens) repeats.set(token.stem, (repeats.get(token.stem) ?? 0) + 1);
  const groups = new Map<string, TGroup>();
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
      const best = [...near].map((position) => index.words[position]!).sort((a, b) => b.df - a.df).slice(0, 2);
      for (const entry of best) if (!terms.some((term) => term.stem === entry.stem)) terms.push({ stem: entry.stem, factor: 0.6 });
    }
    // A form of the verb a page or component name is made from ("spinning" for Spinner, "sliding" for Slider).
    if (weights.nameForm > 0) {
      for (const name of index.namesByVerb.get(token.stem) ?? []) terms.push({ stem: name, factor: weights.nameForm, fields: TITLE_FIELD });
    }
    for (const synonym of vocabulary.synonyms.get(token.stem) ?? []) {
      if (index.postings.has(synonym) && !terms.some((term) => term.stem === synonym)) terms.push({ stem: synonym, factor: 0.9 });
    }
    groups.set(token.stem, { word: token.word, stem: token.stem, salience, terms, isOwn: true });
  }
  return [...groups.values()];
}

/** The sections ranked in full, by lexical score (the rest only count towards their page's evidence). */
const CANDIDATES = 300;

/** Pseudo-relevance feedback reads this many first results. */
const FEEDBACK_DOCS = 3;

/**
 * `own`: the question's own words' score from what the section itself says (its title, heading path and body, not
 * its page's context): the relevance floor's evidence, kept on the scale it was set on.
 */
type TScored = { section: number; lexical: number; own: number; groups: number[] };

/**
 * The sections' scores so far, summed over the word groups scored into it: the feedback round adds its groups to
 * the first round's instead of scoring the question's own words again (a group's contribution does not depend on
 * the others).
 */
type TScoring = {
  lexical: Float64Array;
  own: Float64Array;
  hitGroups: (number[] | undefined)[];
  /** The sections touched, in the order they were first touched (ties among candidates keep that order). */
  touched: number[];
  /** Scratch: each section's best term of the group being scored. */
  best: Float64Array;
  bestText: Float64Array;
};

function newScoring(count: number): TScoring {
  return {
    lexical: new Float64Array(count),
    own: new Float64Array(count),
    hitGroups: new Array<number[] | undefined>(count),
    touched: [],
    best: new Float64Array(count),
    bestText: new Float64Array(count),
  };
}

/** BM25F per section, summed over the word groups `groups[from…]` (each group at its best term), into `scoring`. */
function scoreGroups(index: TRankIndex, scoring: TScoring, groups: TGroup[], from: number, weights: TRankWeights): void {
  const { lexical, own, hitGroups, touched, best, bestText } = scoring;
  for (let groupIndex = from; groupIndex < groups.length; groupIndex += 1) {
    const group = groups[groupIndex]!;
    const groupTouched: number[] = [];
    for (const term of group.terms) {
      if (!index.postings.has(term.stem)) continue;
      const { sections, all, text } = termSaturation(index, term.stem, term.fields, weights);
      const weight = term.factor * (index.idf.get(term.stem) ?? 0);
      for (let at = 0; at < sections.length; at += 1) {
        const saturation = all[at]!;
        if (saturation < 0) continue;
        const value = weight * saturation;
        const section = sections[at]!;
        if (best[section] === 0) groupTouched.push(section);
        if (value > best[section]!) best[section] = value;
        const textValue = weight * text[at]!;
        if (textValue > bestText[section]!) bestText[section] = textValue;
      }
    }
    for (const section of groupTouched) {
      const value = group.salience * best[section]!;
      const textValue = group.salience * bestText[section]!;
      best[section] = 0;
      bestText[section] = 0;
      if (hitGroups[section] === undefined) {
        hitGroups[section] = [];
        touched.push(section);
      }
      lexical[section] = lexical[section]! + value;
      if (group.isOwn) {
        own[section] = own[section]! + textValue;
        hitGroups[section]!.push(groupIndex);
      }
    }
  }
}

/** What a candidate's page multiplies its score by, its page's share of the question, and its page kind's prior. */
type TPageFacts = { factor: number; share: number; prior: number };

/** Page-level BM25 of the question's own words, each page's over the best page's (0–1). */
function scorePages(index: TRankIndex, groups: TGroup[], weights: TRankWeights): Map<number, number> {
  const scores = new Map<number, number>();
  for (const group of groups) {
    if (!group.isOwn) continue;
    const best = new Map<number, number>();
    for (const term of group.terms) {
      if (term.fields !== undefined) continue;
      const weight = term.factor * (index.pageIdf.get(term.stem) ?? 0);
      for (const posting of index.pagePostings.get(term.stem) ?? []) {
        const tf = posting.tf / (1 - PAGE_B + (PAGE_B * index.pageLengths[posting.page]!) / index.averagePageLength);
        const value = weight * (tf / (weights.k1 + tf));
        if (value > (best.get(posting.page) ?? 0)) best.set(posting.page, value);
      }
    }
    for (const [page, value] of best) scores.set(page, (scores.get(page) ?? 0) + group.salience * value);
  }
  const top = Math.max(...scores.values(), 0);
  if (top > 0) for (const [page, value] of scores) scores.set(page, value / top);
  return scores;
}

/** Page-level length normalisation: BM25's usual b. */
const PAGE_B = 0.75;

/**
 * The `count` entries of `order` with the highest `scores[entry]` (ties: the earlier ones), in their order: the set
 * a stable sort by score would keep. Found by selecting the count-th highest bare score in place instead of sorting
 * the entries: this runs on every search over thousands of sections, and the sort was a fifth of the ranking.
 */
export function mostLexical(order: number[], scores: ArrayLike<number>, count: number): number[] {
  const values = new Float64Array(order.length);
  for (let at = 0; at < order.length; at += 1) values[at] = scores[order[at]!]!;
  const threshold = selectNth(values, order.length - count);
  let greater = 0;
  for (const entry of order) if (scores[entry]! > threshold) greater += 1;
  let ties = count - greater;
  return order.filter((entry) => scores[entry]! > threshold || (scores[entry] === threshold && ties-- > 0));
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

function groupWeight(index: TRankIndex, group: TGroup): number {
  // A word the docs do not have at all counts as a rare word: a question about Jupiter's moons matches nothing of
  // what it asks, even where "many" occurs everywhere.
  if (group.terms.length === 0) return group.word.length >= 3 && /^\p{L}+$/u.test(group.word) ? group.salience * index.maxIdf : 0;
  return group.salience * Math.max(...group.terms.map((term) => term.factor * (index.idf.get(term.stem) ?? 0)));
}

/**
 * One ranking of the sections `scoring` holds for the word groups `groups` (the question's own, then any feedback
 * terms). `pageScores`: scorePages of the question's own words, the same in every round.
 */
function rankOnce(
  index: TRankIndex,
  groups: TGroup[],
  scoring: TScoring,
  pageScores: Map<number, number>,
  pages: Map<number, TPageFacts>,
  weights: TRankWeights,
  limit: number,
): { hits: TRankHit[]; ordered: TScored[] } {
  const ownGroups = groups.filter((group) => group.isOwn);
  const groupWeights = groups.map((group) => (group.isOwn ? groupWeight(index, group) : 0));
  const total = Math.max(
    groupWeights.reduce((sum, value) => sum + value, 0),
    0.001,
  );
  // The salient own groups each index term stands for: to count the title and heading words a question names.
  const namingGroups = new Map<string, number[]>();
  groups.forEach((group, groupIndex) => {
    if (!group.isOwn || group.salience < 0.5) return;
    for (const term of group.terms) namingGroups.set(term.stem, [...(namingGroups.get(term.stem) ?? []), groupIndex]);
  });
  // How many of the question's salient words a title or heading names (each counted once; `mark` avoids a Set per call).
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
  const queryStems = new Set(ownGroups.map((group) => group.stem));
  const askedKinds = new Set(
    (Object.keys(KIND_STEMS) as Exclude<TPageKind, 'guide'>[]).filter((kind) => [...queryStems].some((queryStem) => KIND_STEMS[kind].has(queryStem))),
  );
  // Only the sections with the most lexical evidence can reach the first results: the multipliers below are
  // bounded, and a section far down on its words does not climb past hundreds of others.
  const { touched, lexical } = scoring;
  const candidates = touched.length > CANDIDATES ? mostLexical(touched, lexical, CANDIDATES) : touched;
  // Page evidence, for the candidates' pages (the others' is never read): the question's words each page matches
  // anywhere, and the page title's words the question names. Kept from round to round (`pages`): a page's own
  // words are the same in both, and feedback terms count towards no page's evidence.
  const missing = new Map<number, Set<number>>();
  for (const section of candidates) {
    const page = index.sectionPage[section]!;
    if (!pages.has(page)) missing.set(page, new Set());
  }
  if (missing.size > 0) {
    for (const section of touched) {
      const set = missing.get(index.sectionPage[section]!);
      if (set) for (const group of scoring.hitGroups[section]!) set.add(group);
    }
  }
  for (const [page, set] of missing) {
    const info = index.pages[page]!;
    let pageCoverage = 0;
    for (const group of set) pageCoverage += groupWeights[group]!;
    const titleCoverage = Math.min(1, named(info.titleStems) / Math.max(info.titleLength, 1));
    const prior = info.kind !== 'guide' && !askedKinds.has(info.kind) ? weights.kindPrior : 1;
    const pageScore = 1 + weights.pageScore * (pageScores.get(page) ?? 0);
    pages.set(page, {
      share: Math.min(1, pageCoverage / total),
      prior,
      factor: (weights.pageCoverage + Math.min(1, pageCoverage / total)) * (1 + weights.pageTitle * titleCoverage) * prior * pageScore,
    });
  }
  const results: { entry: TScored; score: number; page: number; share: number }[] = [];
  let evidence = 0;
  for (const section of candidates) {
    const entry: TScored = { section, lexical: lexical[section]!, own: scoring.own[section]!, groups: scoring.hitGroups[section]! };
    const page = index.sectionPage[section]!;
    const facts = pages.get(page)!;
    const headings = index.headingStems[section]!;
    const headingCoverage = headings.size === 0 ? 0 : Math.min(1, named(headings) / headings.size);
    const score = entry.lexical * facts.factor * (1 + weights.heading * headingCoverage);
    results.push({ entry, score, page, share: facts.share });
    evidence = Math.max(evidence, (entry.own / index.maxIdf) * Math.sqrt(facts.share) * facts.prior);
  }
  results.sort((a, b) => b.score - a.score || a.entry.section - b.entry.section);
  // A page's second section counts `samePage`, its third that squared: the first results name several pages.
  const seen = new Map<number, number>();
  for (const result of results) {
    const count = seen.get(result.page) ?? 0;
    seen.set(result.page, count + 1);
    if (count > 0) result.score *= weights.samePage ** count;
  }
  results.sort((a, b) => b.score - a.score || a.entry.section - b.entry.section);
  const top = results.slice(0, Math.max(limit, FEEDBACK_DOCS));
  return {
    hits: top.slice(0, limit).map((result) => {
      let coverage = 0;
      for (const group of result.entry.groups) coverage += groupWeights[group]!;
      return {
        section: result.entry.section,
        score: result.score,
        evidence,
        coverage: Math.min(1, coverage / total),
        pageCoverage: result.share,
      };
    }),
    ordered: top.map((result) => result.entry),
  };
}

/** Terms of the first results that the question does not have, weighted by tf·idf: pseudo-relevance feedback. */
function feedbackGroups(index: TRankIndex, ordered: TScored[], groups: TGroup[], weights: TRankWeights): TGroup[] {
  const TERMS = 8;
  const have = new Set(groups.flatMap((group) => group.terms.map((term) => term.stem)));
  const weightsByStem = new Map<string, number>();
  for (const entry of ordered.slice(0, FEEDBACK_DOCS)) {
    for (const [term, count] of index.sectionTerms[entry.section]!) {
      if (have.has(term) || !/^\p{L}{3,}$/u.test(term)) continue;
      const idf = index.idf.get(term) ?? 0;
      if (idf < index.maxIdf * 0.35) continue;
      weightsByStem.set(term, (weightsByStem.get(term) ?? 0) + (1 + Math.log(count)) * idf);
    }
  }
  const top = [...weightsByStem].sort((a, b) => b[1] - a[1]).slice(0, TERMS);
  const strongest = top[0]?.[1] ?? 1;
  return top.map(([term, value]) => ({
    word: term,
    stem: term,
    salience: (weights.feedback * value) / strongest,
    terms: [{ stem: term, factor: 1 }],
    isOwn: false,
  }));
}

export function rankSections(
  index: TRankIndex,
  query: string,
  { weights, vocabulary = EMPTY_VOCABULARY, limit }: { weights: TRankWeights; vocabulary?: TRankVocabulary; limit: number },
): TRankHit[] {
  const groups = analyse(index, query, weights, vocabulary);
  if (!groups.some((group) => group.terms.length > 0)) return [];
  const scoring = newScoring(index.sections.length);
  scoreGroups(index, scoring, groups, 0, weights);
  const pageScores = weights.pageScore > 0 ? scorePages(index, groups, weights) : new Map<number, number>();
  const pages = new Map<number, TPageFacts>();
  const first = rankOnce(index, groups, scoring, pageScores, pages, weights, limit);
  if (weights.feedback <= 0 || first.hits.length === 0) return first.hits;
  // Feedback reorders; it does not add evidence: a section's evidence stays what the question's own words found.
  const withFeedback = [...groups, ...feedbackGroups(index, first.ordered, groups, weights)];
  scoreGroups(index, scoring, withFeedback, groups.length, weights);
  return rankOnce(index, withFeedback, scoring, pageScores, pages, weights, limit).hits;
}
