import { describe, expect, it } from 'vitest';
import { extractCitations, verifyDocsCitations } from '@/lib/model/citations';

// Every docs link of an answer is checked against the index before the answer is stored: a page the index does
// not have becomes plain text, an anchor its page does not have is dropped (the link keeps the page).
const siteUrl = 'https://docs.example.com';
const index: Record<string, string[]> = { 'components/toast': ['', 'adding-a-toast', 'automatic-dismissal'], '': [''], 'source/widgets/src/useToaster.ts': ['L1', 'L6-L14'] };
const resolveAnchors = async (slugs: string[]) => Object.fromEntries(slugs.filter((slug) => slug in index).map((slug) => [slug, index[slug]!]));

async function check(text: string) {
  const annotations = extractCitations({ text, sources: new Map(), siteUrl });
  return verifyDocsCitations({ text, annotations, siteUrl, resolveAnchors });
}

describe('verified citations', () => {
  it('keeps links whose page and anchor the index has', async () => {
    const text = 'See [Adding a Toast](/docs/components/toast#adding-a-toast) and [the docs](https://docs.example.com/docs).';
    const checked = await check(text);
    expect(checked).toMatchObject({ text, dropped: 0, repaired: 0 });
    expect(checked.annotations.map((annotation) => annotation.url)).toEqual(['/docs/components/toast#adding-a-toast', '/docs']);
  });

  it('turns a link to a page the index does not have into plain text, and drops its citation', async () => {
    const checked = await check('Use [the Snackbar](/docs/components/snackbar#usage) or [a Toast](/docs/components/toast).');
    expect(checked.text).toBe('Use the Snackbar or [a Toast](/docs/components/toast).');
    expect(checked.dropped).toBe(1);
    expect(checked.annotations.map((annotation) => annotation.url)).toEqual(['/docs/components/toast']);
  });

  it('keeps the page of a link whose anchor does not exist, without the anchor', async () => {
    const checked = await check('See [dismissing](/docs/components/toast#dismiss-forever) and [ref][r].\n\n[r]: /docs/components/toast#nowhere');
    expect(checked.text).toContain('[dismissing](/docs/components/toast)');
    expect(checked.text).toContain('[ref](/docs/components/toast)');
    expect(checked.repaired).toBe(2);
    expect(new Set(checked.annotations.map((annotation) => annotation.url))).toEqual(new Set(['/docs/components/toast']));
  });

  it('leaves other sites, searches of the docs and code alone', async () => {
    const text = 'Try [search](/docs?q=toast), [MDN](https://developer.mozilla.org/) and `[x](/docs/nope)`.';
    const checked = await check(text);
    expect(checked).toMatchObject({ text, dropped: 0, repaired: 0, annotations: [] });
  });

  it('does not let a label become markup once its link is gone', async () => {
    const checked = await check('[*bold* [nested]](/docs/gone)');
    expect(checked.text).toBe('bold \\[nested\\]');
  });

  it("keeps a source file's lines within one of its sections (a quote's link), and drops lines outside them", async () => {
    const kept = '[`src/useToaster.ts:11`](/docs/source/widgets/src/useToaster.ts#L9-L12) and [line 7](/docs/source/widgets/src/useToaster.ts#L7)';
    expect(await check(kept)).toMatchObject({ text: kept, repaired: 0 });
    const outside = await check('[lines](/docs/source/widgets/src/useToaster.ts#L12-L20) and [reversed](/docs/source/widgets/src/useToaster.ts#L12-L9)');
    expect(outside.repaired).toBe(2);
    expect(outside.text).toBe('[lines](/docs/source/widgets/src/useToaster.ts) and [reversed](/docs/source/widgets/src/useToaster.ts)');
  });
});
