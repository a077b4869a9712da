import { describe, expect, it } from 'vitest';
import { reportWords } from '@/lib/relevance/problem';

// Issue 69, item 2: a report pasted in its template is searched as its one-line twin would be, by its title and the
// errors it quotes, never by the form's steps, versions, environment listing or checklist (lib/relevance/problem.ts).
describe('the words a pasted report is searched by', () => {
  it('are its title and its error lines, when it comes in its template', () => {
    const report = [
      'Default import of a CommonJS package returns an object instead of the function',
      '',
      '### Describe the bug',
      '',
      "In the browser `padLeft('7', 3)` throws:",
      'TypeError: padLeft is not a function',
      '',
      '### System Info',
      '',
      '```shell',
      '    OS: Windows 11 10.0.22631',
      '    Memory: 9.12 GB / 31.21 GB',
      '```',
      '',
      '### Validations',
      '',
      '- [X] Read the [docs](https://vite.dev/guide).',
    ].join('\n');
    expect(reportWords(report)).toBe('Default import of a CommonJS package returns an object instead of the function\nTypeError: padLeft is not a function');
  });

  it('are the first line of prose when the report has no title, and a question without a template as written', () => {
    expect(reportWords('### Describe the issue\n\nThe dial spins forever.\n\n**Steps To Reproduce**\n1. Render a dial')).toBe('The dial spins forever.');
    const question = 'Why does the dial spin forever?\nIt has no value.';
    expect(reportWords(question)).toBe(question);
  });
});
