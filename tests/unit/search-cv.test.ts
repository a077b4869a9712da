import { describe, expect, it } from 'vitest';
import { rankSection as section } from '../helpers/rank-sections';
import { buildRankIndex } from '@/lib/docs/ranking/build';
import { rankSections } from '@/lib/docs/ranking/rank';
import { DEFAULT_RANK_WEIGHTS } from '@/lib/docs/ranking/weights';
import { answerLead, crossValidateLeads, FOLDS } from '../../scripts/lib/search-cv';

// The offline answer's lead as the cross-validated evaluation makes it: the model's searches, fused, on a small index.

const index = buildRankIndex([
  section('components/tooltip/index.mdx', 'Tooltip', 'Disabled triggers', 'A tooltip on a disabled button needs a wrapper that can take focus, or the tooltip never shows.'),
  section('components/button/index.mdx', 'Button', 'Disabled', 'A disabled button cannot be clicked. Steps, versions and browsers do not change that: the button stays disabled.'),
  section('components/button/index.mdx', 'Button', 'Loading', 'A loading button shows a spinner while its action runs in the browser.'),
  section('foundations/spacing/index.mdx', 'Spacing', 'Scale', 'Space between elements uses the spacing tokens.'),
]);

describe('answerLead', () => {
  it('leads with the section both searches of a long question find, not the whole question\'s first hit', () => {
    const question = 'Tooltip on a disabled button does not show. I render it beside a loading spinner in the browser; the spinner keeps loading.';
    expect(index.sections[rankSections(index, question, { weights: DEFAULT_RANK_WEIGHTS, limit: 1 })[0]!.section]!.heading).toBe('Loading');
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
