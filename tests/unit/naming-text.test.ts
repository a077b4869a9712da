import { describe, expect, it } from 'vitest';
import { namingText } from '@/lib/relevance/naming';

// Issue 69, item 2: what a question names things in, for "the docs don't mention …" (lib/relevance/naming.ts). A pasted
// report's sample values, steps, code and template fields are never names it asks the docs about.

const viteReport = [
  'Default import of a CommonJS package returns an object instead of the function',
  '',
  '### Describe the bug',
  '',
  "I import a utility: `import padLeft from 'legacy-pad'` and render <Banana />. It worked with webpack.",
  '',
  '### Steps to reproduce',
  '',
  '1. `npm i legacy-pad@1.0.2`',
  '2. Render the Banana component from @fruitstand/ui',
  '',
  '### System Info',
  '',
  '```shell',
  'System:',
  '    OS: Windows 11',
  '  npmPackages:',
  '    vite: ^6.0.3 => 6.0.3',
  '```',
  '',
  '### Logs',
  '',
  '<details>',
  '<summary>Click to expand!</summary>',
  'TypeError: Banana is not a function',
  '</details>',
].join('\n');

describe('the text a question names things in', () => {
  it('is a pasted report\'s title alone: its steps, code, logs and fields are the reader\'s case', () => {
    expect(namingText(viteReport)).toBe('Default import of a CommonJS package returns an object instead of the function');
  });

  it('is the first line of prose under a template\'s first heading when the report has no title', () => {
    expect(namingText('### Describe the issue\n\nThe button has no focus ring in Konqueror.\n\n**Steps To Reproduce**\n1. Open Banana')).toBe(
      'The button has no focus ring in Konqueror.',
    );
  });

  it('leaves out code blocks, snippets and quoted values of a question, and keeps one identifier in backticks', () => {
    const text = namingText('Why does `import Banana from "x"` fail when the prop is "Papaya" in `useToaster`?\n```js\nrender(<Mango />)\n```');
    for (const sample of ['Banana', 'Papaya', 'Mango']) expect(text).not.toContain(sample);
    expect(text).toContain('`useToaster`');
  });

  it('keeps a question in sentences whole, apostrophes and all', () => {
    const question = "Can the assistant answer in a Microsoft Teams channel as well as Slack? It doesn't say.";
    expect(namingText(question)).toBe(question);
  });
});
