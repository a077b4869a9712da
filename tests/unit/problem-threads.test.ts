import { describe, expect, it } from 'vitest';
import { withThreadSlots } from '@/lib/docs/search/thread-slots';
import { distinguishingQuery, isProblemQuestion } from '@/lib/relevance/problem';

const docs = (n: number) => ({ url: `/docs/components/toast#s${n}`, kind: 'docs' });
const thread = (number: number, anchor = '') => ({ url: `https://github.com/acme/widgets/issues/${number}${anchor}`, kind: 'thread' });

describe('a problem-shaped question', () => {
  it('is told by a bug, something that does not work, an error, a stack frame or a version', () => {
    expect(isProblemQuestion('Toasts do not close by themselves, is this a bug?')).toBe(true);
    expect(isProblemQuestion("The combobox doesn't open in a modal")).toBe(true);
    expect(isProblemQuestion("TypeError: Cannot read properties of undefined (reading 'map')")).toBe(true);
    expect(isProblemQuestion('It renders twice\n    at render (widgets.js:12:7)')).toBe(true);
    expect(isProblemQuestion('After upgrading to 20.20.0 the page is blank')).toBe(true);
    // A mistake in the docs themselves, or something that will not import, is a problem too (paste#856 → #857).
    expect(isProblemQuestion('Spelling mistake in Table component docs for importing the component')).toBe(true);
    expect(isProblemQuestion('There is a typo on the Button page')).toBe(true);
    expect(isProblemQuestion('The Table component is not imported successfully')).toBe(true);
    // The same verbs after "not" and after "doesn't", "isn't", "can't"…
    expect(isProblemQuestion("The icons don't import from core")).toBe(true);
    expect(isProblemQuestion("The theme isn't loaded on the first render")).toBe(true);
    expect(isProblemQuestion("The Combobox dropdown won't close")).toBe(true);
    expect(isProblemQuestion('The icons cannot load in Safari')).toBe(true);
    expect(isProblemQuestion('How do I show a toast?')).toBe(false);
    expect(isProblemQuestion('Can I put a tooltip on a disabled button?')).toBe(false);
  });

  it('keeps the best threads, one section each, beside the best docs sections, in ranked order', () => {
    const ranked = [docs(1), docs(2), docs(3), docs(4), docs(5), docs(6), thread(12), thread(12, '#issuecomment-1'), docs(7), thread(9), thread(4)];
    expect(withThreadSlots(ranked, 5, 2)).toEqual([docs(1), docs(2), docs(3), thread(12), thread(9)]);
    // By default one place: the best thread.
    expect(withThreadSlots(ranked)).toEqual([docs(1), docs(2), docs(3), docs(4), thread(12)]);
    // A thread that ranks high on its own keeps its place; with no thread the docs fill every place.
    expect(withThreadSlots([thread(3), docs(1), docs(2), docs(3), docs(4), docs(5)])).toEqual([thread(3), docs(1), docs(2), docs(3), docs(4)]);
    expect(withThreadSlots([docs(1), docs(2), docs(3), docs(4), docs(5), docs(6)])).toHaveLength(5);
  });
});

describe('the places a thread takes', () => {
  it('are a docs page’s second sections first, so that every docs page still shows', () => {
    const section = (page: string, n: number) => ({ url: `/docs/${page}#s${n}`, kind: 'docs' });
    const ranked = [section('toast', 1), section('alert', 1), section('toast', 2), section('modal', 1), section('alert', 2), thread(7)];
    expect(withThreadSlots(ranked)).toEqual([section('toast', 1), section('alert', 1), section('toast', 2), section('modal', 1), thread(7)]);
    const twice = [section('toast', 1), section('toast', 2), section('alert', 1), section('alert', 2), section('modal', 1), thread(7), thread(8)];
    expect(withThreadSlots(twice, 5, 2)).toEqual([section('toast', 1), section('alert', 1), section('modal', 1), thread(7), thread(8)]);
  });
});

describe('a long report', () => {
  it('is searched by its first line, its error lines, its code words and its versions, not by every word', () => {
    const steps = Array.from({ length: 12 }, (_, n) => `${n + 1}. Click the thing and then wait a while before you look`).join('\n');
    const report = `FileUploaderDropzone ignores acceptedMimeTypes on drop\n\n${steps}\nTypeError: Cannot read properties of undefined\n\nVersion 20.20.0`;
    expect(distinguishingQuery(report)).toBe(
      'FileUploaderDropzone ignores acceptedMimeTypes on drop TypeError: Cannot read properties of undefined Version 20.20.0',
    );
    // The end of an italic template line ("_…taken place._") is no dotted code word (paste#3097 was searched by "place._").
    const templated = `Combobox List out of View in Modal After Scroll\n\n${steps}\n\n_Please describe what should have taken place._\n\nPaste 18.1.0, listbox.scrollTop`;
    expect(distinguishingQuery(templated)).toBe('Combobox List out of View in Modal After Scroll listbox.scrollTop 18.1.0');
    // A question of ordinary length is searched whole.
    expect(distinguishingQuery('Toasts do not close by themselves, is this a bug?')).toBe('Toasts do not close by themselves, is this a bug?');
  });
});
