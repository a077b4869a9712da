import { describe, expect, it } from 'vitest';
import { buildCodePage, type TCodeOrigin } from '@/lib/docs/sources/code/page';
import { resultContent } from '@/lib/assistant/tools/result-content';
import { codeQuote } from '@/lib/model/offline/code-excerpt';

// What the search tool gives the model of a long source section: the lines that hold the query's words, not the
// symbol's first 1,500 characters (its signature and destructured props), with its URL anchored to those lines.

const FILE = 'packages/widgets/src/Input.tsx';
const PROPS = Array.from({ length: 60 }, (_, at) => `    prop${at}AriaLabelledByValue,`);
const TEXT = [
  "import * as React from 'react';", // 1
  '', // 2
  'export const Input = React.forwardRef(', // 3
  '  (', // 4
  '    {', // 5
  ...PROPS, // 6–65
  '    },', // 66
  '    ref,', // 67
  '  ) => {', // 68
  '    const [isStepperShown, setStepperShown] = React.useState(true);', // 69
  '    React.useEffect(() => {', // 70
  '      if (disabled) {', // 71
  '        // A disabled number input hides its increment and decrement buttons.', // 72
  '        setStepperShown(false);', // 73
  '      }', // 74
  '    }, [disabled]);', // 75
  '    return <input ref={ref} />;', // 76
  '  },', // 77
  ');', // 78
  '',
].join('\n');
const ORIGIN: TCodeOrigin = { name: 'acme/widgets', repo: { owner: 'acme', name: 'widgets' }, commit: 'abc123' };

function inputSection() {
  const page = buildCodePage({ file: FILE, text: TEXT, origin: ORIGIN, packageName: '@acme/widgets', checksum: 'x' });
  const section = page.sections.find((entry) => entry.heading === 'Input')!;
  return { kind: 'code', url: `${page.slug}#${section.anchor}`, content: section.content };
}

describe('a search result’s text for the model', () => {
  it('cuts a long source section to the lines that hold the query, re-anchored to them, within the bound', () => {
    const hit = inputSection();
    expect(hit.content.length).toBeGreaterThan(1500);
    expect(hit.url).toMatch(/#L3-L78$/);
    // Cut at the bound as before, the answering lines never reach the model.
    expect(hit.content.slice(0, 1500)).not.toContain('increment and decrement');
    const { content, url } = resultContent(hit, 'when do the increment and decrement buttons of a number input disappear?', 1500);
    expect(content.length).toBeLessThanOrEqual(1500);
    expect(content).toContain('// A disabled number input hides its increment and decrement buttons.');
    expect(content).toMatch(/^\*\*Input\*\*: /);
    expect(content).toMatch(/```tsx?\n[\s\S]*\n```$/);
    const [, from, to] = /#L(\d+)-L(\d+)$/.exec(url)!.map(Number);
    expect(from).toBeLessThanOrEqual(72);
    expect(to).toBeGreaterThanOrEqual(73);
    expect(url.replace(/#.*$/, '')).toBe(hit.url.replace(/#.*$/, ''));
    // Each line of the excerpt is the file's line its anchor says.
    const lines = content.split('```')[1]!.split('\n').slice(1);
    const fileLines = TEXT.split('\n');
    lines.forEach((line, at) => expect(line).toBe(fileLines[from! - 1 + at]));
  });

  it('lets the offline answer quote those lines, cited to them', () => {
    const hit = inputSection();
    const question = 'when do the increment and decrement buttons of a number input disappear?';
    const cut = resultContent(hit, question, 1500);
    const quote = codeQuote({ title: 'Input.tsx', heading: 'Input', ...cut }, question)!;
    expect(quote.text).toContain('hides its increment and decrement buttons');
    expect(quote.from).toBeLessThanOrEqual(72);
    expect(quote.to).toBeGreaterThanOrEqual(72);
  });

  it('leaves a section within the bound as it is, and cuts a docs section at the bound', () => {
    const short = { kind: 'code', url: 'https://github.com/acme/widgets/blob/abc123/a.ts#L1-L2', content: '**a**: a constant.\n\n```ts\nconst a = 1;\n```' };
    expect(resultContent(short, 'a', 1500)).toEqual({ content: short.content, url: short.url });
    const docs = { kind: 'docs', url: '/docs/input#usage', content: 'word '.repeat(500) };
    expect(resultContent(docs, 'input', 1500)).toEqual({ content: docs.content.slice(0, 1500), url: docs.url });
  });
});
