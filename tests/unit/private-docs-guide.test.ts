import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// The guide "Private docs and audiences" shows the Node example's code as it runs: tests/integration/examples.test.ts
// runs examples/reader-token.mjs against the routes, and this test keeps the guide's copy of it identical.

const ROOT = path.resolve(import.meta.dirname, '../..');

describe('content/docs/guides/private-docs.mdx', () => {
  it('shows examples/reader-token.mjs’s readerToken as the file has it', () => {
    const guide = readFileSync(path.join(ROOT, 'content/docs/guides/private-docs.mdx'), 'utf8');
    const example = readFileSync(path.join(ROOT, 'examples/reader-token.mjs'), 'utf8');
    const snippet = /```js\n([\s\S]*?)```/.exec(guide)?.[1] ?? '';
    expect(snippet).toContain('export async function readerToken');
    for (const line of snippet.split('\n').filter((text) => text.trim() !== '')) expect(example).toContain(line);
  });
});
