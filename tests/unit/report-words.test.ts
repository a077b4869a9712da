import { describe, expect, it } from 'vitest';
import { reportWords } from '@/lib/relevance/problem';

// Issue 69, item 2: a report pasted in its template is searched as its one-line twin would be, by its title, what its
// reader wrote under the form's description heading and the errors it quotes, never by the form's steps, versions,
// environment listing, stack frames or checklist (lib/relevance/problem.ts).
describe('the words a pasted report is searched by', () => {
  it('are its title, its description and its error lines, when it comes in its template', () => {
    const report = [
      'Default import of a CommonJS package returns an object instead of the function',
      '',
      '### Describe the bug',
      '',
      'When I log the import I get an object.',
      'TypeError: padLeft is not a function',
      '',
      '### Steps to reproduce',
      '',
      '1. Create `src/utils/pad.ts` in the shop folder',
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
    expect(reportWords(report)).toBe(
      'Default import of a CommonJS package returns an object instead of the function\nWhen I log the import I get an object.\nTypeError: padLeft is not a function',
    );
  });

  it("keep of the description's code spans only the command, setting or function each opens with, never a path, package or value", () => {
    const report = [
      'define with a version string breaks the build',
      '',
      '**Describe the Bug**',
      '',
      'In `vite.config.ts` I added `define: { __APP_VERSION__: "2.4.1" }` and `npm run build` fails; `@lime/sdk@5.8.0` too, in `C:\\Users\\pat\\shop`.',
      'The sandbox: https://stackblitz.com/edit/define-version',
      '<details>',
      '_No response_',
      '- [x] I searched the issues',
    ].join('\n');
    expect(reportWords(report)).toBe('define with a version string breaks the build\nIn I added define and npm fails; too, in .\nThe sandbox:');
  });

  it('leave stack frames out, and keep the message they follow, even in a fenced log', () => {
    const report = [
      'npm run dev fails on Windows',
      '',
      '### Logs',
      '',
      '```shell',
      "TypeError: Cannot read properties of undefined (reading 'map')",
      '    at Module._resolveFilename (node:internal/modules/cjs/loader:1145:15)',
      '```',
    ].join('\n');
    expect(reportWords(report)).toBe("npm run dev fails on Windows\nTypeError: Cannot read properties of undefined (reading 'map')");
  });

  it("keep the description's prose after a ~~~ block, whose ``` lines and headings are the block's text", () => {
    const report = [
      'The README renders without its code after the upgrade',
      '',
      '### Describe the bug',
      '',
      '~~~md',
      '```js',
      '### Steps to reproduce',
      '~~~',
      'The js block in this README renders as plain text.',
      '',
      '### Steps to reproduce',
      '',
      '1. Run the build',
    ].join('\n');
    expect(reportWords(report)).toBe('The README renders without its code after the upgrade\nThe js block in this README renders as plain text.');
  });

  it('are the first line of prose when the report has no title, and a question without a template as written', () => {
    expect(reportWords('### Describe the issue\n\nThe dial spins forever.\n\n**Steps To Reproduce**\n1. Render a dial')).toBe('The dial spins forever.');
    const question = 'Why does the dial spin forever?\nIt has no value.';
    expect(reportWords(question)).toBe(question);
  });
});
