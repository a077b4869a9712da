import { describe, expect, it } from 'vitest';
import { learnBoilerplate, normalLine, stripBoilerplate } from '@/lib/relevance/boilerplate';

// Threads of one made-up repository filed through its issue template: the template's lines recur in every body,
// each report's own lines do not.
function report(summary: string, steps: string, version: string): string {
  return [
    '<!-- Please search existing issues first. -->',
    '### What happened?',
    '',
    summary,
    '',
    '**Steps To Reproduce**',
    '1. ' + steps,
    '',
    '### Library version',
    '',
    version,
    '',
    '- [ ] Firefox',
    '- [x] Chrome',
    '',
    'Thank you for reporting to Widgetry!',
  ].join('\n');
}

const bodies = [
  report('The Dial widget spins forever when its value is empty.', 'Render a Dial with value=""', '4.1.0'),
  report('Slider thumbs overlap at the ends.', 'Drag the thumb to 100', '4.1.0'),
  report('The Picker loses focus after a selection.', 'Pick a date', '3.9.2'),
  report('Tabs ignore the disabled prop.', 'Set disabled on a Tab', '4.0.0'),
  'A pull request with no template: adds the Gauge widget.',
  null,
];

describe('a repository template learnt from its threads', () => {
  it('learns the lines that recur across many bodies, as whole lines, and none of one report’s own', () => {
    const learnt = learnBoilerplate(bodies);
    expect([...learnt].sort()).toEqual(['chrome', 'firefox', 'library version', 'steps to reproduce', 'thank you for reporting to widgetry!', 'what happened?']);
    // A version shared by two reports is not template text (no letters), and neither is a report's sentence.
    expect(learnt.has('4.1.0')).toBe(false);
  });

  it('learns nothing from too few threads: a line two threads share is a coincidence', () => {
    expect(learnBoilerplate(bodies.slice(0, 2)).size).toBe(0);
  });

  it('strips a pasted report down to its own lines: what happened, the steps and the version stay', () => {
    const learnt = learnBoilerplate(bodies);
    const pasted = report('The Meter widget flickers in dark mode.', 'Toggle the theme', '5.0.1');
    expect(stripBoilerplate(pasted, learnt)).toBe('The Meter widget flickers in dark mode.\n\n1. Toggle the theme\n\n5.0.1');
    // A question with no template is left as it is.
    expect(stripBoilerplate('How do I disable a Tab?', learnt)).toBe('How do I disable a Tab?');
  });

  it('compares lines without their Markdown marks', () => {
    expect(normalLine('### **To Reproduce**:')).toBe('to reproduce');
    expect(normalLine('- [x] macOS')).toBe('macos');
    expect(normalLine('20.20.0')).toBe('');
  });
});
