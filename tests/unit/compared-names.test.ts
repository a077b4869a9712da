import { describe, expect, it } from 'vitest';
import { comparedNames } from '@/lib/docs/gate/compared';

// The names a heading that compares pages gives (lib/docs/gate/compared.ts): its parts around "vs.", "versus" and
// "compared to/with", in order, articles and end punctuation off.

describe('comparedNames', () => {
  it('splits a comparison heading into the names it compares', () => {
    expect(comparedNames('Popover vs. Modal')).toEqual(['Popover', 'Modal']);
    expect(comparedNames('Alert vs. Callout vs. Toast vs. Help Text')).toEqual(['Alert', 'Callout', 'Toast', 'Help Text']);
    expect(comparedNames('Button Group vs Radio Button Group')).toEqual(['Button Group', 'Radio Button Group']);
    expect(comparedNames('Tooltip compared to Popover')).toEqual(['Tooltip', 'Popover']);
    expect(comparedNames('The Side Panel versus the Side Modal:')).toEqual(['Side Panel', 'Side Modal']);
  });

  it('gives a heading that compares nothing back whole', () => {
    expect(comparedNames('About Popover')).toEqual(['About Popover']);
    // "vs" inside a word is no comparison.
    expect(comparedNames('Canvas settings')).toEqual(['Canvas settings']);
  });
});
