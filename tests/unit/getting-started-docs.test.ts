import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// What a newcomer follows word for word: the site's own docs (content/docs) and the README. A link to
// http://localhost:3000 is wrong on any other port (PORT), so the docs link to the site's own pages relatively and
// write the default address as text; and the docs install the way the README does (`npm ci`, the locked tree).

const ROOT = path.resolve(import.meta.dirname, '../..');
const DOCS = path.join(ROOT, 'content/docs');

function pages(dir = DOCS): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? pages(path.join(dir, entry.name)) : /\.mdx?$/.test(entry.name) ? [path.join(dir, entry.name)] : [],
  );
}

/** A page's prose: its code blocks and code spans (shown as written, never linked) left out. */
const prose = (text: string) => text.replace(/^[ \t]*(```|~~~)[\s\S]*?^[ \t]*\1/gm, '').replace(/`[^`\n]*`/g, '');

describe('the docs a newcomer follows', () => {
  it('never link to a localhost address: a bare URL in prose becomes a link, wrong on another port', () => {
    const linked = pages().flatMap((file) =>
      [...prose(readFileSync(file, 'utf8')).matchAll(/(?:https?:\/\/)?(?:localhost|127\.0\.0\.1):\d+\S*/g)].map((match) => `${path.relative(ROOT, file)}: ${match[0]}`),
    );
    expect(linked).toEqual([]);
  });

  it('install the locked packages with npm ci, as the README does', () => {
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    expect(readme).toMatch(/`npm ci && npm run dev`/);
    const gettingStarted = readFileSync(path.join(DOCS, 'index.mdx'), 'utf8');
    expect(gettingStarted).toMatch(/^npm ci\nnpm run dev$/m);
    expect(gettingStarted).not.toMatch(/\bnpm install\b/);
  });
});
