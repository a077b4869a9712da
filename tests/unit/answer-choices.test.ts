import { afterEach, describe, expect, it } from 'vitest';
import { ANSWER_CHOICE } from '@/lib/model/offline/answer';
import { OFFLINE_LINES } from '@/lib/model/offline/lines';
import { toMessageOutput } from '@/lib/model/shared';
import { choiceLabel, choicesFor, MAX_CHOICE_LABEL_CHARS, MAX_CHOICE_QUESTION_CHARS, MAX_CHOICES, readChoices, takeChoicesLine } from '@/lib/shared/choices';
import { offlineAnswerTo } from '../helpers/offline-answer';

// Clarifying choices (issue 71 item 4): pages about different things nearly equally are offered as choices, the
// answer still from the best; one page well ahead, or a lead that holds the question, is offered none.

const popover = { title: 'Popover - Components', heading: 'About Popover', url: '/docs/components/popover#about-popover', content: 'A Popover is a popup that opens on a trigger.', kind: 'docs' };
const modal = { title: 'Modal', heading: 'About Modal', url: '/docs/components/modal#about-modal', content: 'A Modal is a popup dialog that blocks the page.', kind: 'docs' };
const tooltip = { title: 'Tooltip', heading: 'About Tooltip', url: '/docs/components/tooltip#about-tooltip', content: 'A Tooltip is a popup label shown on hover.', kind: 'docs' };
const QUESTION = 'how do I make a popup?';

const margin = ANSWER_CHOICE.choiceMargin;
afterEach(() => {
  ANSWER_CHOICE.choiceMargin = margin;
});

describe('the offline answer offers pages about different things as choices', () => {
  it('offers each page nearly as strong, the lead first, in one line; still answers from the lead', async () => {
    // The search's order counts (rankPrior / (rank + 1)): a margin this low lets all three in.
    ANSWER_CHOICE.choiceMargin = 0.5;
    const output = await offlineAnswerTo(QUESTION, [popover, modal, tooltip]);
    expect(output.metadata?.choices).toEqual([
      { label: 'Popover', question: `Popover: ${QUESTION}` },
      { label: 'Modal', question: `Modal: ${QUESTION}` },
      { label: 'Tooltip', question: `Tooltip: ${QUESTION}` },
    ]);
    expect(output.text).toContain(OFFLINE_LINES.en.choices.replace('{names}', '**Popover**, **Modal** or **Tooltip**').replace('{lead}', 'Popover'));
    expect(output.annotations?.[0]?.url).toBe(popover.url);
    // The line adds no citation: the answer's sources are the same as with no choice offered.
    ANSWER_CHOICE.choiceMargin = Number.POSITIVE_INFINITY;
    const without = await offlineAnswerTo(QUESTION, [popover, modal, tooltip]);
    expect(without.metadata?.choices).toBeUndefined();
    expect(without.text).not.toContain('Choose one below');
    expect(output.annotations).toEqual(without.annotations);
  });

  it('offers none when one page is well ahead (the default margin)', async () => {
    const output = await offlineAnswerTo(QUESTION, [popover, modal, tooltip]);
    expect(output.metadata?.choices).toBeUndefined();
  });

  it('offers none for a problem, or a question long enough to say what it is about', async () => {
    ANSWER_CHOICE.choiceMargin = 0.5;
    expect((await offlineAnswerTo('my popup does not close, is this a bug?', [popover, modal, tooltip])).metadata?.choices).toBeUndefined();
    const long = 'how do I make a popup that opens when the reader clicks the help icon beside the field and closes when they click anywhere else on the page?';
    expect((await offlineAnswerTo(long, [popover, modal, tooltip])).metadata?.choices).toBeUndefined();
  });

  it('offers the pages the docs compare the lead with when the question names a kind the lead says it is', async () => {
    // The docs' Tooltip: "The Tooltip component is a popup…", and its page is compared with Popover and Modal.
    const lead = { title: 'Tooltip', heading: 'About Tooltip', url: '/docs/components/tooltip#about-tooltip', content: 'The Tooltip component is a popup that displays text related to an element. They never hold essential information.', kind: 'docs', alternatives: ['Popover', 'Modal'] };
    const other = { title: 'Date Picker', heading: 'Browser support', url: '/docs/components/date-picker#browser-support', content: 'The calendar pop-up opens on a click.', kind: 'docs' };
    const output = await offlineAnswerTo(QUESTION, [lead, other]);
    expect(output.metadata?.choices).toEqual([
      { label: 'Tooltip', question: `Tooltip: ${QUESTION}` },
      { label: 'Popover', question: `Popover: ${QUESTION}` },
      { label: 'Modal', question: `Modal: ${QUESTION}` },
    ]);
    expect(output.annotations?.[0]?.url).toBe(lead.url);
    // A question that names the lead's page is about it: no choice.
    expect((await offlineAnswerTo('how do I make a tooltip popup?', [lead, other])).metadata?.choices).toBeUndefined();
    // A lead that does not say it is one (the word elsewhere in it) offers none.
    const mentions = { ...lead, content: 'Use a Tooltip for short text. A popup with a form belongs in a Popover.' };
    expect((await offlineAnswerTo(QUESTION, [mentions, other])).metadata?.choices).toBeUndefined();
    // A question that says more than the kind has said which one it means.
    expect((await offlineAnswerTo('a little popup with a hint when you hover over a button', [lead, other])).metadata?.choices).toBeUndefined();
    // Nor a lead the docs compare with nothing.
    expect((await offlineAnswerTo(QUESTION, [{ ...lead, alternatives: undefined }, other])).metadata?.choices).toBeUndefined();
  });

  it('offers two sections of one page once, not as two choices', async () => {
    ANSWER_CHOICE.choiceMargin = 0.5;
    const popoverProps = { ...popover, heading: 'Props', url: '/docs/components/popover/api#props' };
    const output = await offlineAnswerTo(QUESTION, [popover, popoverProps, modal]);
    expect((output.metadata?.choices as { label: string }[]).map((choice) => choice.label)).toEqual(['Popover', 'Modal']);
  });
});

describe('choices are bounded where made and where read', () => {
  it('names a page without the part a crawled site adds after a dash', () => {
    expect(choiceLabel('Select - Components')).toBe('Select');
    expect(choiceLabel('Modal')).toBe('Modal');
  });

  it('keeps at most three, cuts labels and questions, drops duplicates, and offers nothing for one', () => {
    const long = 'x'.repeat(500);
    const made = choicesFor(['A', 'a', 'B', 'C', 'D', long], long);
    expect(made.map((choice) => choice.label)).toEqual(['A', 'B', 'C']);
    expect(made.length).toBe(MAX_CHOICES);
    expect(made.every((choice) => choice.question.length <= MAX_CHOICE_QUESTION_CHARS)).toBe(true);
    expect(choicesFor([long, 'B'], 'q')[0]?.label.length).toBe(MAX_CHOICE_LABEL_CHARS);
    expect(choicesFor(['Only'], 'q')).toEqual([]);
  });

  it('reads stored metadata as untrusted', () => {
    expect(readChoices({ choices: [{ label: 'A', question: 'A: q' }, { label: 'B', question: 'B: q' }] })).toHaveLength(2);
    expect(readChoices({ choices: [{ label: 'A', question: 'A: q' }, { label: 3, question: 'x' }] })).toEqual([]);
    expect(readChoices({ choices: 'A' })).toEqual([]);
    expect(readChoices(null)).toEqual([]);
    const many = Array.from({ length: 9 }, (_, index) => ({ label: `L${index}`, question: `Q${index}` }));
    expect(readChoices({ choices: many })).toHaveLength(MAX_CHOICES);
  });
});

describe("a model's Choices line", () => {
  it('is taken out of the answer and becomes the choices on the reader’s question', () => {
    const text = 'A Popover opens on a trigger: see [Popover](/docs/components/popover).\n\nChoices: Popover | **Modal** | Tooltip';
    expect(takeChoicesLine(text)).toEqual({ text: 'A Popover opens on a trigger: see [Popover](/docs/components/popover).', labels: ['Popover', 'Modal', 'Tooltip'] });
    const output = toMessageOutput({ text, input: [{ type: 'message', role: 'user', content: QUESTION }], siteUrl: 'http://localhost', isTruncated: false });
    if (output.type !== 'message') throw new Error('expected a message');
    expect(output.text).not.toContain('Choices:');
    expect(output.metadata?.choices).toEqual([
      { label: 'Popover', question: `Popover: ${QUESTION}` },
      { label: 'Modal', question: `Modal: ${QUESTION}` },
      { label: 'Tooltip', question: `Tooltip: ${QUESTION}` },
    ]);
  });

  it('is only a last line: the word elsewhere is text', () => {
    const text = 'Choices: you can use a Popover or a Modal.\n\nSee the docs.';
    expect(takeChoicesLine(text)).toEqual({ text, labels: [] });
  });
});
