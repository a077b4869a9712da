import { describe, expect, it } from 'vitest';
import { rankSection as section } from '../helpers/rank-sections';
import { buildRankIndex, type TRankSection } from '@/lib/docs/search/ranking/build';
import { CANDIDATES, COMMON_SHARE, rankSections, type TRankTrace, type TSectionFilter } from '@/lib/docs/search/ranking/rank';
import { DEFAULT_RANK_WEIGHTS } from '@/lib/docs/search/ranking/weights';
import { MAINTAINER_ACCESS } from '@/lib/audiences';

// The ranker's common-terms cut (rank.ts#selectCandidates): when a question's rarer words match at least CANDIDATES
// sections, those are the candidates, and its common words (in more than COMMON_SHARE of the sections) only score
// them. Shown against the exhaustive ranking (every posting read): what the cut leaves out, what it keeps exact,
// and where it does not apply.

// Feedback off: its terms come from the first results, which the cut may change; here only the cut is compared.
const WEIGHTS = { ...DEFAULT_RANK_WEIGHTS, feedback: 0 };
const FILLER = 'alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima mike november oscar papa';

/** Enough sections that each rarer word is under COMMON_SHARE of them and the two together over CANDIDATES. */
function corpus(): { sections: TRankSection[]; commonOnly: TRankSection } {
  const rare = Math.ceil(CANDIDATES * 0.6);
  const total = Math.ceil(rare / (COMMON_SHARE * 0.9));
  const common = Math.ceil(total * COMMON_SHARE * 1.1);
  const sections: TRankSection[] = [];
  for (let at = 0; at < rare; at += 1) {
    // A few of the zephyr sections also say the common word: their score counts it, as the exhaustive one does.
    const extra = at < 20 ? ' widget' : '';
    sections.push(section(`zephyr/${at}.mdx`, `Page z${at}`, 'Notes', `${FILLER} zephyr ${FILLER}${extra}`));
  }
  for (let at = 0; at < rare; at += 1) sections.push({ ...section(`quill/${at}.mdx`, `Page q${at}`, 'Notes', `${FILLER} quill ${FILLER}`), meta: { version: '1.x' } });
  // The common word alone, said loudly: the exhaustive ranking puts it first; the cut never makes it a candidate.
  const commonOnly = section('widget/index.mdx', 'Widget', 'Widget', 'widget widget');
  sections.push(commonOnly);
  for (let at = 1; at < common - 20; at += 1) sections.push(section(`widget/${at}.mdx`, `Page w${at}`, 'Notes', `${FILLER} widget ${FILLER} ${FILLER}`));
  while (sections.length < total) sections.push(section(`other/${sections.length}.mdx`, `Page o${sections.length}`, 'Notes', FILLER));
  return { sections, commonOnly };
}

const { sections, commonOnly } = corpus();
const index = buildRankIndex(sections);
const positionOf = (wanted: TRankSection) => index.sections.findIndex((entry) => entry.id === wanted.id);
const rank = (query: string, limit: number, isExhaustive: boolean, filter: TSectionFilter = { access: MAINTAINER_ACCESS }, trace?: TRankTrace) =>
  rankSections(index, query, { weights: WEIGHTS, limit, isExhaustive, trace, ...filter });
/** How many rounds of a cut ranking of `query` the cut applied to. */
const cutRounds = (query: string, filter: TSectionFilter = { access: MAINTAINER_ACCESS }) => {
  const trace = { cutRounds: 0 };
  rank(query, 10, false, filter, trace);
  return trace.cutRounds;
};
const scored = (hits: ReturnType<typeof rank>) => hits.map((hit) => [hit.section, hit.score, hit.coverage]);

describe('the common-terms cut', () => {
  it('leaves out a section that matches only common words, and scores the others exactly', () => {
    const exhaustive = rank('zephyr quill widget', 11, true);
    const cut = rank('zephyr quill widget', 10, false);
    expect(cutRounds('zephyr quill widget')).toBe(1);
    expect(exhaustive[0]!.section).toBe(positionOf(commonOnly));
    expect(cut.map((hit) => hit.section)).not.toContain(positionOf(commonOnly));
    expect(scored(cut)).toEqual(scored(exhaustive.filter((hit) => hit.section !== positionOf(commonOnly))));
    // The common word still counts where a candidate says it: the zephyr sections that say "widget" lead.
    const saysWidget = new Set(sections.filter((entry) => entry.content.includes('widget')).map((entry) => entry.id));
    expect(saysWidget.has(index.sections[cut[0]!.section]!.id)).toBe(true);
  });

  it('does not apply when the question has only common words', () => {
    expect(rank('widget', 10, false)).toEqual(rank('widget', 10, true));
    expect(cutRounds('widget')).toBe(0);
  });

  it('does not apply when the rarer words match fewer than CANDIDATES sections', () => {
    expect(rank('zephyr widget', 10, false)).toEqual(rank('zephyr widget', 10, true));
    expect(cutRounds('zephyr widget')).toBe(0);
    expect(rank('zephyr widget', 10, false)[0]!.section).toBe(positionOf(commonOnly));
  });

  it('counts only the sections the reader’s filter keeps', () => {
    // The quill sections are version 1.x: for a reader of 2.x the rarer words match too few sections to cut.
    const filter = { versions: new Set(['2.x']), access: MAINTAINER_ACCESS };
    expect(rank('zephyr quill widget', 10, false, filter)).toEqual(rank('zephyr quill widget', 10, true, filter));
    expect(cutRounds('zephyr quill widget', filter)).toBe(0);
    expect(rank('zephyr quill widget', 10, false, filter)[0]!.section).toBe(positionOf(commonOnly));
  });
  it('counts each kind on its own: threads that the rarer words match by the hundred leave the docs uncut', () => {
    // A few hundred docs sections, "widget" common among them, "zephyr" in a handful; then a few thousand threads,
    // "zephyr" in hundreds of them. Counted together, the rarer word's sections pass CANDIDATES and the docs section that says
    // only the common word, loudly, would never be a candidate; the docs alone are far under it.
    const docs: TRankSection[] = [];
    const docsCount = 240;
    const loud = section('widget/index.mdx', 'Widget', 'Widget', 'widget widget');
    docs.push(loud);
    for (let at = 0; at < 5; at += 1) docs.push(section(`zephyr/${at}.mdx`, `Page z${at}`, 'Notes', `${FILLER} zephyr ${FILLER}`));
    for (let at = 0; at < docsCount * 0.3; at += 1) docs.push(section(`widget/${at}.mdx`, `Page w${at}`, 'Notes', `${FILLER} widget ${FILLER} ${FILLER}`));
    while (docs.length < docsCount) docs.push(section(`other/${docs.length}.mdx`, `Page o${docs.length}`, 'Notes', FILLER));
    // "zephyr" in CANDIDATES + 10 threads, still under COMMON_SHARE of the threads (a rarer word there too).
    const saying = CANDIDATES + 10;
    const threads = Array.from({ length: Math.ceil(saying / (COMMON_SHARE * 0.9)) }, (_, at) => ({
      ...section(`github/issues/${at}`, `Issue ${at}`, '', at < saying ? `${FILLER} zephyr ${FILLER}` : FILLER),
      kind: 'github',
      meta: { updatedAt: '2026-01-01T00:00:00Z' },
    }));
    const docsOnly = buildRankIndex(docs);
    const both = buildRankIndex([...docs, ...threads]);
    // No kind filter: a filter would leave the threads out of the count. The docs among the first results instead.
    const docsIds = new Set(docs.map((entry) => entry.id));
    const docsHits = (built: typeof index, isExhaustive: boolean) =>
      rankSections(built, 'zephyr widget', { weights: WEIGHTS, limit: 60, isExhaustive, access: MAINTAINER_ACCESS })
        .map((hit) => built.sections[hit.section]!.id)
        .filter((id) => docsIds.has(id));
    expect(docsHits(docsOnly, false)).toContain(loud.id);
    expect(docsHits(both, false)).toEqual(docsHits(both, true));
    expect(docsHits(both, false)).toContain(loud.id);
    // The threads are cut as before: their rarer word alone passes CANDIDATES.
    const trace = { cutRounds: 0 };
    rankSections(both, 'zephyr widget', { weights: WEIGHTS, limit: 10, access: MAINTAINER_ACCESS, trace });
    expect(trace.cutRounds).toBe(1);
  });
});
