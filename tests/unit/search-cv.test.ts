import { describe, expect, it } from 'vitest';
import { rankSection as section } from '../helpers/rank-sections';
import { buildRankIndex } from '@/lib/docs/search/ranking/build';
import { rankSections } from '@/lib/docs/search/ranking/rank';
import { DEFAULT_RANK_WEIGHTS } from '@/lib/docs/search/ranking/weights';
import { answerLead, answerSources, crossValidateAnswers, crossValidateLeads, crossValidatePooled, crossValidateRepeated, FOLDS } from '../../scripts/lib/search-cv';
import { MAINTAINER_ACCESS } from '@/lib/audiences';

// The offline answer's lead as the cross-validated evaluation makes it: the model's searches, fused, on a small index.

const sections = [
  section('components/tooltip/index.mdx', 'Tooltip', 'Disabled triggers', 'A tooltip on a disabled button needs a wrapper that can take focus, or the tooltip never shows.'),
  section('components/button/index.mdx', 'Button', 'Disabled', 'A disabled button cannot be clicked. Steps, versions and browsers do not change that: the button stays disabled.'),
  section('components/button/index.mdx', 'Button', 'Loading', 'A loading button shows a spinner while its action runs in the browser.'),
  section('foundations/spacing/index.mdx', 'Spacing', 'Scale', 'Space between elements uses the spacing tokens.'),
];
const index = buildRankIndex(sections);
const contents = new Map(sections.map((entry) => [entry.id, entry.content]));
const contentOf = (id: number) => contents.get(id);

describe('answerLead', () => {
  it('leads with the section both searches of a long question find, not the whole question\'s first hit', () => {
    const question = 'Tooltip on a disabled button does not show. I render it beside a loading spinner in the browser; the spinner keeps loading.';
    expect(index.sections[rankSections(index, question, { access: MAINTAINER_ACCESS, weights: DEFAULT_RANK_WEIGHTS, limit: 1 })[0]!.section]!.heading).toBe('Loading');
    // Searched whole, the details pull towards the Button's loading section; the opening sentence finds Tooltip first,
    // and the whole question has it too: fused, it leads.
    expect(answerLead(index, question, DEFAULT_RANK_WEIGHTS)).toBe('components/tooltip/index.mdx');
  });

  it('leads with nothing when the docs do not answer (every search below the relevance floor)', () => {
    expect(answerLead(index, 'What is the capital of France?', DEFAULT_RANK_WEIGHTS)).toBeNull();
  });

  it('counts, per set, the leads on a right page, each question with its own fold\'s weights', () => {
    const questions = [
      { q: 'space between elements', pages: ['foundations/spacing/index.mdx'] },
      { q: 'loading spinner in a button', pages: ['components/button/index.mdx'] },
      { q: 'loading spinner in a button', pages: ['components/tooltip/index.mdx'] },
    ];
    const fitted = Array.from({ length: FOLDS }, () => DEFAULT_RANK_WEIGHTS);
    expect(crossValidateLeads([{ index, questions }], fitted)).toEqual([2]);
  });
});

describe('answerSources', () => {
  it('cites what the composed answer cites: a section on another page close behind the lead, after it', () => {
    // The offline model's answer (composeAnswer), not the fused ranking's first hit alone: the Tooltip's section on a
    // disabled button comes second, on another page, and is quoted before the Button's second section.
    expect(answerSources(index, 'a spinner while the button is disabled', DEFAULT_RANK_WEIGHTS, contentOf)).toEqual([
      'components/button/index.mdx',
      'components/tooltip/index.mdx',
      'components/button/index.mdx',
    ]);
    expect(answerSources(index, 'What is the capital of France?', DEFAULT_RANK_WEIGHTS, contentOf)).toEqual([]);
  });

  it('counts, per set, the answers leading on a right page and those citing one', () => {
    const questions = [
      { q: 'a spinner while the button is disabled', pages: ['components/tooltip/index.mdx'] },
      { q: 'space between elements', pages: ['foundations/spacing/index.mdx'] },
    ];
    const fitted = Array.from({ length: FOLDS }, () => DEFAULT_RANK_WEIGHTS);
    expect(crossValidateAnswers([{ index, questions, contentOf }], fitted)).toEqual([{ leads: 1, cited: 2 }]);
  });
});

describe('crossValidateRepeated', () => {
  const questions = [
    { q: 'space between elements', pages: ['foundations/spacing/index.mdx'] },
    { q: 'spacing tokens', pages: ['foundations/spacing/index.mdx'] },
    { q: 'loading spinner in a button', pages: ['components/button/index.mdx'] },
    { q: 'a disabled button cannot be clicked', pages: ['components/button/index.mdx'] },
    { q: 'tooltip on a disabled button', pages: ['components/tooltip/index.mdx'] },
    { q: 'loading spinner in a button', pages: ['components/tooltip/index.mdx'] },
    { q: 'wrapper that can take focus', pages: ['foundations/spacing/index.mdx'] },
  ];
  const groups = [{ index, questions }];

  it('with one cut is the pooled cross-validation and its leads', () => {
    const pooled = crossValidatePooled(groups);
    const repeated = crossValidateRepeated(groups, 1);
    expect(repeated.scores).toEqual(pooled.scores);
    expect(repeated.leads).toEqual(crossValidateLeads(groups, pooled.fitted));
  });

  it('averages the figures of each cut into folds, every question scored once per cut', () => {
    const cuts = [0, 1, 2].map((partition) => {
      const pooled = crossValidatePooled(groups, FOLDS, partition);
      return { scores: pooled.scores[0]!, leads: crossValidateLeads(groups, pooled.fitted, FOLDS, partition)[0]! };
    });
    for (const cut of cuts) expect(cut.scores.questions).toBe(questions.length);
    const repeated = crossValidateRepeated(groups, 3);
    const mean = (pick: (cut: (typeof cuts)[number]) => number) => cuts.reduce((sum, cut) => sum + pick(cut), 0) / cuts.length;
    expect(repeated.partitions).toBe(3);
    expect(repeated.scores[0]!.questions).toBe(questions.length);
    expect(repeated.scores[0]!.recallAt1).toBeCloseTo(mean((cut) => cut.scores.recallAt1), 12);
    expect(repeated.scores[0]!.recallAt5).toBeCloseTo(mean((cut) => cut.scores.recallAt5), 12);
    expect(repeated.scores[0]!.mrr).toBeCloseTo(mean((cut) => cut.scores.mrr), 12);
    expect(repeated.leads[0]).toBeCloseTo(mean((cut) => cut.leads), 12);
    // The wrong-page questions can never be right: the mean stays below a perfect score.
    expect(repeated.scores[0]!.recallAt1).toBeLessThan(1);
  });
});
