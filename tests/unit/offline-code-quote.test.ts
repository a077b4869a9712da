import { describe, expect, it } from 'vitest';
import { buildCodePage, type TCodeOrigin } from '@/lib/docs/sources/code/page';
import { composeAnswer } from '@/lib/model/offline';
import { codeQuote, CODE_QUOTE_LINES } from '@/lib/model/offline/code-excerpt';
import type { TPassage } from '@/lib/model/types';

// The offline answer quotes source code by the few lines that hold the question's words (issue 70), not the whole
// symbol: fenced with the file's language and cited `path:line` with a link that opens exactly those lines.

const FILE = 'packages/widgets/src/useToaster.ts';
const TEXT = [
  "import * as React from 'react';", // 1
  '', // 2
  '/** How long a toast stays up before it leaves on its own, in milliseconds. */', // 3
  'export const DEFAULT_DISMISS_AFTER = 5000;', // 4
  '', // 5
  'export const useToaster = ({ limit = 3, dismissAfter = DEFAULT_DISMISS_AFTER } = {}) => {', // 6
  '  const [toasts, setToasts] = React.useState<string[]>([]);', // 7
  '  const isMounted = React.useRef(false);', // 8
  '  React.useEffect(() => {', // 9
  '    isMounted.current = true;', // 10
  '    return () => {', // 11
  '      isMounted.current = false;', // 12
  '    };', // 13
  '  }, []);', // 14
  '  const pop = (id: string) => setToasts((current) => current.filter((toast) => toast !== id));', // 15
  '  const push = (id: string) => {', // 16
  '    if (!isMounted.current) return;', // 17
  '    setToasts((current) => [id, ...current].slice(0, limit));', // 18
  '    window.setTimeout(pop, dismissAfter, id);', // 19
  '  };', // 20
  '  const clearAll = () => setToasts([]);', // 21
  '  const count = () => toasts.length;', // 22
  '  return { toasts, push, pop, clearAll, count };', // 23
  '};', // 24
  '',
].join('\n');

const GITHUB: TCodeOrigin = { name: 'acme/widgets', repo: { owner: 'acme', name: 'widgets' }, commit: 'abc123' };
const LOCAL: TCodeOrigin = { name: 'widgets', repo: null, commit: null };

/** The file's sections as a search gives them to the model: kind `code`, the URL at the section's lines, the file. */
function passagesOf(origin: TCodeOrigin): TPassage[] {
  const page = buildCodePage({ file: FILE, text: TEXT, origin, packageName: '@acme/widgets', checksum: 'x' });
  const base = page.slug.startsWith('https://') ? page.slug : `/docs/${page.slug}`;
  return page.sections.map((section) => ({ title: page.title, heading: section.heading, url: `${base}#${section.anchor}`, content: section.content, kind: 'code', file: FILE }));
}

const hook = (origin: TCodeOrigin) => passagesOf(origin).find((passage) => passage.heading === 'useToaster')!;

describe('an offline answer from source code', () => {
  it('quotes the lines that hold the answer, fenced with the language, cited path:line with a link to those lines', () => {
    const lead = hook(GITHUB);
    expect(lead.url).toBe(`https://github.com/acme/widgets/blob/abc123/${FILE}#L6-L24`);
    const answer = composeAnswer({ results: [lead], searched: ['x'], question: 'When does a pushed toast call window.setTimeout?', absentNames: [] });
    // The line that calls setTimeout (19), a little around it; not the whole hook.
    expect(answer.text).toContain(`[\`${FILE}:19\`](https://github.com/acme/widgets/blob/abc123/${FILE}#L17-L22)`);
    expect(answer.text).toContain(
      "```ts\n  if (!isMounted.current) return;\n  setToasts((current) => [id, ...current].slice(0, limit));\n  window.setTimeout(pop, dismissAfter, id);\n};\nconst clearAll",
    );
    expect(answer.text).not.toContain('React.useEffect');
    expect(answer.text).not.toContain('return { toasts, push, pop, clearAll, count }');
    // The citation opens the quoted lines too.
    expect(answer.annotations[0]?.url).toBe(`https://github.com/acme/widgets/blob/abc123/${FILE}#L17-L22`);
  });

  it('quotes where a default is set when the question asks for one', () => {
    const constant = passagesOf(GITHUB).find((passage) => passage.heading === 'DEFAULT_DISMISS_AFTER')!;
    const quote = codeQuote(hook(GITHUB), 'what is the default dismiss after time of a toast?');
    // The default parameter's line (6) holds "dismiss after" and sets it; the setTimeout (19) holds the words too.
    expect(quote?.cite).toBe(`${FILE}:6`);
    expect(quote?.text.split('\n')[1]).toBe('export const useToaster = ({ limit = 3, dismissAfter = DEFAULT_DISMISS_AFTER } = {}) => {');
    const own = codeQuote(constant, 'what is the default dismiss after time of a toast?');
    expect(own?.text).toContain('export const DEFAULT_DISMISS_AFTER = 5000;');
    expect(own?.cite).toBe(`${FILE}:4`);
  });

  it('quotes at most CODE_QUOTE_LINES, from the symbol\'s first lines when none holds the question\'s words', () => {
    const quote = codeQuote(hook(GITHUB), 'zebra giraffe');
    expect(quote?.cite).toBe(`${FILE}:6`);
    const lines = quote!.text.split('\n').slice(1, -1);
    expect(lines).toHaveLength(CODE_QUOTE_LINES);
    expect(quote?.url.endsWith(`#L6-L${6 + CODE_QUOTE_LINES - 1}`)).toBe(true);
  });

  it('links to the site\'s own source page when the repository has no web address', () => {
    const answer = composeAnswer({ results: [hook(LOCAL)], searched: ['x'], question: 'When does a pushed toast call window.setTimeout?', absentNames: [] });
    expect(answer.text).toContain(`[\`${FILE}:19\`](/docs/source/widgets/${FILE}#L17-L22)`);
    expect(answer.annotations[0]?.url).toBe(`/docs/source/widgets/${FILE}#L17-L22`);
  });

  it('quotes from a section cut short by the search\'s length bound, leaving out the cut line', () => {
    const lead = hook(GITHUB);
    const at = lead.content.indexOf('window.setTimeout');
    const cut = { ...lead, content: `${lead.content.slice(0, at + 10)}…` };
    // Line 19 is cut: the best whole line left is where push is defined (16).
    const quote = codeQuote(cut, 'When does a pushed toast call window.setTimeout?');
    expect(quote?.cite).toBe(`${FILE}:16`);
    expect(quote?.text).not.toContain('window.set');
    expect(quote?.text.endsWith('\n```')).toBe(true);
  });

  it('quotes a docs section as before', () => {
    const docs: TPassage = { title: 'Toast', heading: 'Dismissing', url: '/docs/components/toast#dismissing', content: 'A toast stays until it is dismissed.', kind: 'docs' };
    const answer = composeAnswer({ results: [docs], searched: ['x'], question: 'how long does a toast stay', absentNames: [] });
    expect(answer.text).toContain('A toast stays until it is dismissed.');
    expect(answer.annotations[0]?.url).toBe('/docs/components/toast#dismissing');
  });
});
