import { describe, expect, it } from 'vitest';
import { TOOL_DEFINITIONS } from '@/lib/assistant/tools';
import { createOfflineModel } from '@/lib/model/offline';
import { OFFLINE_LINES } from '@/lib/model/offline/lines';
import type { TPassage, TInputItem } from '@/lib/model/types';
import { answerMatches, isProhibition, isYesNoQuestion } from '@/lib/relevance/answering';
import { titleFromQuestion } from '@/lib/shared/titles';

// Issue 56, item 2: the offline answer leads with the section whose text answers the question, not the page's
// introduction; quotes the next sections only when nearly as strong; claims to answer only on strong evidence; answers
// a yes/no question "no" when its section says not to. And a problem's thread is shown beside the docs (item 1).

const model = createOfflineModel();
const TOAST = 'Toasts do not close by themselves, is this a bug?';
const section = (heading: string, content: string, page = 'toast', title = 'Toast'): TPassage => ({
  title,
  heading,
  url: `/docs/components/${page}#${heading.toLowerCase().replace(/\W+/g, '-')}`,
  content,
  kind: 'docs',
});
const aboutToast = section('About Toast', 'Use a Toast to respond to a user action. The type of Toast you use depends on the situation.');
const whenToUse = section('When to use a Toast', 'Allow Toasts to persist on a page until a user closes them, especially if the Toast has a link or button.');
const dismissal = section(
  'Automatic dismissal',
  'You can optionally provide a time-out to a Toast, after which the Toast is automatically dismissed. This can be done by setting a `dismissAfter` value.',
);
const thread: TPassage = {
  title: 'Toast should auto dismiss',
  heading: 'Toast should auto dismiss',
  url: 'https://github.com/twilio-labs/paste/issues/3936',
  content: 'When we launch multiple toast with dismissAfter not all of them gets closed automatically.',
  kind: 'thread',
  number: 3936,
  state: 'closed',
};

const output = (query: string, results: TPassage[]) => JSON.stringify({ query, evidence: 'strong', results });

async function respond(input: TInputItem[]) {
  return (await model.respond({ instructions: '', input, tools: TOOL_DEFINITIONS })).output;
}

async function answer(question: string, rounds: TPassage[][]) {
  const input: TInputItem[] = [{ type: 'message', role: 'user', content: question }];
  rounds.forEach((results, at) => {
    const id = at === 0 ? 'call_offline_0' : `call_offline_feedback_${at - 1}`;
    input.push({ type: 'function_call', call_id: id, name: 'get_relevant_docs', arguments: '{}' });
    input.push({ type: 'function_call_output', call_id: id, output: output(`q${at}`, results) });
  });
  const out = await respond(input);
  if (out.type !== 'message') throw new Error(`expected an answer, got ${JSON.stringify(out)}`);
  return out;
}

describe('the section that answers leads', () => {
  it('a problem whose results hold a thread searches once more with the words the thread adds, in the docs', async () => {
    const out = await respond([
      { type: 'message', role: 'user', content: TOAST },
      { type: 'function_call', call_id: 'call_offline_0', name: 'get_relevant_docs', arguments: '{}' },
      { type: 'function_call_output', call_id: 'call_offline_0', output: output(TOAST, [aboutToast, thread, whenToUse]) },
    ]);
    if (out.type !== 'tool_calls') throw new Error('expected a search');
    expect(out.calls).toHaveLength(1);
    const args = JSON.parse(out.calls[0]!.arguments) as { prompt: string; sources: string[] };
    expect(args.prompt).toBe('Toast auto dismiss');
    expect(args.sources).not.toContain('thread');
  });

  it('leads with the section that answers (Automatic dismissal), not the introduction ranked first, and shows the thread right after it', async () => {
    const { text, annotations } = await answer(TOAST, [
      [aboutToast, thread, whenToUse],
      [section('Showing a Toast', 'The Toaster manages showing Toasts.'), dismissal, aboutToast],
    ]);
    expect(annotations?.[0]?.url).toBe(dismissal.url);
    const lead = text.indexOf('**Toast › Automatic dismissal**');
    const reported = text.indexOf('A similar problem was reported on GitHub: #3936, since closed.');
    expect(lead).toBe(0);
    expect(reported).toBeGreaterThan(lead);
    expect(text).toContain('**#3936 Toast should auto dismiss**');
    expect(annotations?.map((annotation) => annotation.url)).toContain(thread.url);
    // Not under Related: Related lists other sources.
    expect(text.slice(text.indexOf('**Related**'))).not.toContain('3936');
  });

  it('a how-to question is led by the docs when a section is nearly as strong as a thread above it; a problem shows the thread beside them', async () => {
    const upload = section('Uploading files', 'Drag and drop files onto the File Uploader to upload them, or browse for them.', 'file-uploader', 'File Uploader');
    const report: TPassage = {
      title: 'Drag and drop files to upload them fails',
      heading: 'Drag and drop files to upload them fails',
      url: 'https://github.com/twilio-labs/paste/issues/4377',
      content: 'Drag and drop files to upload them does not work in the File Uploader.',
      kind: 'thread',
      number: 4377,
      state: 'closed',
    };
    const howTo = await answer('drag and drop files to upload them', [[report, upload]]);
    expect(howTo.annotations?.[0]?.url).toBe(upload.url);
    // The same results for a problem: the thread where it was reported is shown beside the docs.
    // (A problem searches once more, in the docs, with the words its thread adds.)
    const problem = await answer('drag and drop files to upload them is broken, is this a bug?', [[report, upload], [upload]]);
    expect(problem.text).toContain('**#4377 Drag and drop files to upload them fails**');
  });

  // Issue 69: the answer starts with what answers, never with a line about it; that the lead may not answer all of the
  // question is said in a few words after its name, and only then.
  it('starts with the lead section; says in a few words after its name that it is the closest only when it holds little of the question', async () => {
    const strong = await answer('How do I set dismissAfter on a toast?', [[dismissal, aboutToast]]);
    expect(strong.text.startsWith('**Toast › Automatic dismissal**\n\n')).toBe(true);
    expect(strong.text).not.toContain(OFFLINE_LINES.en.lowConfidence);
    const weak = await answer('Why do toasts flicker on my old Android phone?', [[aboutToast, whenToUse]]);
    expect(weak.text.split('\n')[0]).toMatch(new RegExp(`^\\*\\*Toast[^*]*\\*\\* ${OFFLINE_LINES.en.lowConfidence.replace(/[()]/g, '\\$&')}$`));
    for (const text of [strong.text, weak.text]) expect(text).not.toMatch(/answers? your question/);
    // The citation still spans the section's name exactly.
    const [first] = weak.annotations ?? [];
    expect(weak.text.slice(first!.start_index, first!.end_index)).toBe(first!.title);
  });

  it('answers a yes/no question no, with the sentence that says not to, citing its section first', async () => {
    const composition = section(
      'Composition notes',
      'Tooltips can only contain text content. Never put information essential to task completion in a Tooltip.\n\nDo not use a Tooltip on a disabled [Button](/components/button) to explain why the button is unavailable. The disabled button isn\'t focusable.',
      'tooltip',
      'Tooltip',
    );
    const disabled = section('Disabled', 'Use the disabled state sparingly. It should be obvious why a Button is disabled.', 'button', 'Button');
    const about = section('About Tooltip', 'A Tooltip shows a short label on hover or focus.', 'tooltip', 'Tooltip');
    const { text, annotations } = await answer('Can I put a tooltip on a disabled button?', [[about, disabled, composition]]);
    expect(text.startsWith(`${OFFLINE_LINES.en.answerNo}\n\n> Do not use a Tooltip on a disabled [Button](/components/button) to explain why the button is unavailable. The disabled button isn't focusable.`)).toBe(true);
    expect(annotations?.[0]?.url).toBe(composition.url);
    // A question asked the same way that no section forbids gets no "no".
    const allowed = await answer('Can I put a tooltip on an icon button?', [[about, section('Icon button', 'A tooltip can label an icon button.', 'tooltip', 'Tooltip')]]);
    expect(allowed.text.startsWith(OFFLINE_LINES.en.answerNo)).toBe(false);
  });

  it('judges sections by their text, a term weighed by how few sections have it', () => {
    const [about, dismiss] = answerMatches('toast auto dismiss', [aboutToast, dismissal]);
    expect(dismiss!.coverage).toBeGreaterThan(about!.coverage);
    expect(dismiss!.sentence).toContain('automatically dismissed');
    expect(isYesNoQuestion('Can I put a tooltip on a disabled button?')).toBe(true);
    expect(isYesNoQuestion('How do I add a toast?')).toBe(false);
    expect(isYesNoQuestion('Can you show me how to add a toast?')).toBe(false);
    for (const sentence of ['Do not place tooltips on disabled buttons.', "Don't nest modals.", 'Avoid long labels.', 'Never hide the close button.']) {
      expect(isProhibition(sentence)).toBe(true);
    }
    expect(isProhibition('Place tooltips on focusable elements.')).toBe(false);
  });

  it('holds a compound the question writes open ("check box") where the text writes it closed (Checkbox)', () => {
    const boxProps = section('Tokens as pseudo-class props', 'To view the full list of pseudo-class props, check the props table.', 'box', 'Box');
    const checkbox = section('Disabled checkbox', 'Use a disabled checkbox when the choice cannot be changed.', 'checkbox', 'Checkbox');
    const [box, check] = answerMatches('check box', [boxProps, checkbox]);
    // Before, "box" was held by the Box section alone, and "check" by both: Box led the answer.
    expect(check!.coverage).toBeGreaterThanOrEqual(box!.coverage);
    expect(check!.coverage).toBeCloseTo(1, 10);
  });
});

describe('a pasted report’s conversation title', () => {
  it('comes from the reader’s own words, not the template’s headings', () => {
    expect(titleFromQuestion('### Description\n\nWhen we launch multiple toasts, not all of them close')).toBe('When we launch multiple toasts, not all of them close');
    expect(titleFromQuestion('**To Reproduce**\n\n<!-- steps -->\n\n- [ ] Toast never closes')).toBe('Toast never closes');
    expect(titleFromQuestion('Toast should auto dismiss\n\n### Description\n\nmore')).toBe('Toast should auto dismiss');
    // A heading that says something is kept: only short labels are the template's.
    expect(titleFromQuestion('# Combobox crashes when the list is empty and I type')).toBe('Combobox crashes when the list is empty and I type');
  });
});
