import { describe, expect, it } from 'vitest';
import { withFusedThreads, withReservedThreads, withThreadSlots } from '@/lib/docs/search/thread-slots';
import { hasTemplateLines, isTemplatePrompt, learnBoilerplate, stripBoilerplate } from '@/lib/relevance/boilerplate';
import { distinguishingQuery } from '@/lib/relevance/problem';
import { openingSentence } from '@/lib/model/offline/queries';

// A bug report pasted as a reader files it (issue 56, item 1): GitHub's default bug template's prompts, which few of a
// repository's threads keep (too few to be learnt as its template), the title on a line of its own, a sandbox link.
const PASTED = [
  'Grouped Combobox jumps around when using the arrow keys',
  '',
  '**Describe the bug**',
  'In a Combobox with groupItemsBy, pressing the down arrow scrolls the list erratically: the highlighted option leaves the',
  'visible area and the list keeps jumping, worse the more I press. See https://codesandbox.io/s/paste-starter-template-rz6u3',
  '',
  '**Desktop (please complete the following information):**',
  ' - OS: [e.g. iOS]',
  ' - Browser [e.g. chrome, safari]',
  ' - Version [e.g. 22]',
  '',
  '### Steps to reproduce',
  '',
  'N/A',
].join('\n');

describe('a template’s prompts', () => {
  it('are template text whatever the repository: a bracketed example to fill in, an answer that says nothing', () => {
    expect(isTemplatePrompt(' - OS: [e.g. iOS]')).toBe(true);
    expect(isTemplatePrompt(' - Browser [e.g. chrome, safari]')).toBe(true);
    expect(isTemplatePrompt('N/A')).toBe(true);
    expect(isTemplatePrompt('None.')).toBe(true);
    // A reader's own line is not, even with an example in it that is not a prompt's.
    expect(isTemplatePrompt('The list jumps (e.g. after the third option) and then settles')).toBe(false);
    expect(isTemplatePrompt('20.20.0')).toBe(false);
  });

  it('are stripped from a report although no thread taught them, with the learnt template', () => {
    const learnt = learnBoilerplate(['**Describe the bug**\nA', '**Describe the bug**\nB', '**Describe the bug**\nC']);
    const own = stripBoilerplate(PASTED, learnt);
    expect(own).not.toMatch(/e\.g\.|N\/A|Describe the bug/);
    expect(own).toContain('pressing the down arrow scrolls the list erratically');
    expect(hasTemplateLines(PASTED, new Set())).toBe(true);
    expect(hasTemplateLines('The combobox list jumps when I press the down arrow, is this a bug?', learnt)).toBe(false);
  });
});

describe('what a long report is searched by', () => {
  it('leaves out the links’ addresses and the abbreviations', () => {
    const steps = Array.from({ length: 8 }, (_, n) => `${n + 1}. Open the list and press the down arrow key once more, e.g. slowly`).join('\n');
    const query = distinguishingQuery(stripBoilerplate(`${PASTED}\n${steps}`, new Set()));
    expect(query).not.toMatch(/codesandbox|e\.g/);
    expect(query).toContain('Grouped Combobox jumps around when using the arrow keys');
    expect(query).toContain('groupItemsBy');
  });

  it('opens with the report’s title line, never running into the template’s first heading', () => {
    expect(openingSentence(PASTED)).toBe('Grouped Combobox jumps around when using the arrow keys');
    expect(openingSentence('VisualPickerCheckbox can’t be ticked in Firefox\n\n### Description\n\nIn Firefox, clicking the checkbox does nothing at all.')).toBe(
      'VisualPickerCheckbox can’t be ticked in Firefox',
    );
  });

  it('opens with the text under the template’s first heading when the report is pasted from that heading on', () => {
    const fromHeading = '### Description\nPopover close button does not work when used as Input.insertAfter\n\n**To Reproduce**\nSteps to reproduce the behavior:\n1. Click on close';
    expect(openingSentence(fromHeading)).toBe('Popover close button does not work when used as Input.insertAfter');
    expect(openingSentence(`**Describe the bug**\n\n${fromHeading.split('\n').slice(1).join('\n')}`)).toBe('Popover close button does not work when used as Input.insertAfter');
    // On one line a heading's end cannot be told: no opening is searched (the whole report still is), never the heading.
    expect(openingSentence('### Description Popover close button does not work: when I click on the close icon the popover stays open')).toBeUndefined();
    expect(openingSentence('### Description')).toBeUndefined();
  });
});

describe('a report’s places for threads', () => {
  const docs = (n: number) => ({ url: `/docs/components/combobox#s${n}`, kind: 'docs' });
  const thread = (number: number, anchor = '') => ({ url: `https://github.com/acme/widgets/issues/${number}${anchor}`, kind: 'thread' });

  it('adds the next best threads after the first results, never in place of a docs section', () => {
    const ranked = [docs(1), docs(2), docs(3), docs(4), docs(5), docs(6), thread(12), thread(12, '#issuecomment-1'), docs(7), thread(9), thread(4), thread(2)];
    // The first five as any problem's (one thread's place kept), then threads until three are among them.
    expect(withReservedThreads(ranked, 5, 3)).toEqual([docs(1), docs(2), docs(3), docs(4), thread(12), thread(9), thread(4)]);
    // A thread already among the first five counts; with no more threads nothing is added.
    expect(withReservedThreads([thread(3), docs(1), docs(2), docs(3), docs(4), docs(5)], 5, 3)).toEqual([thread(3), docs(1), docs(2), docs(3), docs(4)]);
  });

  it('keeps two threads within the search’s first five for a report', () => {
    const ranked = [docs(1), docs(2), docs(3), docs(4), docs(5), docs(6), docs(7), thread(12), thread(9)];
    expect(withThreadSlots(ranked, 5, 2)).toEqual([docs(1), docs(2), docs(3), thread(12), thread(9)]);
  });

  it('go first to the threads both the report and its title find, the docs keeping their places', () => {
    const byReport = [docs(1), thread(12), docs(2), thread(9), thread(9, '#issuecomment-1'), docs(3), thread(4)];
    const byTitle = [thread(4), docs(1), thread(9), thread(30)];
    const pageOf = (item: { url: string }) => item.url.split('#')[0]!;
    const isThread = (item: { kind: string }) => item.kind === 'thread';
    // #9 (second, and second) and #4 (third, and first) now come before #12 (first only); #30 only the title finds.
    expect(withFusedThreads(byReport, byTitle, { isThread, pageOf })).toEqual([docs(1), thread(4), docs(2), thread(9), thread(9, '#issuecomment-1'), docs(3), thread(12), thread(30)]);
    // Without threads in the title's search, the report's order stands.
    expect(withFusedThreads(byReport, [docs(1)], { isThread, pageOf })).toEqual(byReport);
  });
});
