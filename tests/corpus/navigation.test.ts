import { describe, expect, it } from 'vitest';
import { getDocNav } from '@/lib/docs/pages';
import { PASTE_CORPUS_DIR } from '../helpers/corpus';

describe('the navigation of the Paste corpus', () => {
  it('Introduction first, Blog last, and no "404" anywhere in the navigation', () => {
    const nav = getDocNav(PASTE_CORPUS_DIR);
    expect(nav.groups[0]?.label).toBe('Introduction');
    expect(nav.groups.at(-1)?.label).toBe('Blog');
    expect(nav.groups.map((group) => group.label)).not.toContain('404');
    expect(nav.pages.filter((link) => /(^|\/)404(\/|$)/.test(link.href) || link.title === '404')).toEqual([]);
    expect(nav.pages.some((link) => link.title === 'Title')).toBe(false);
  });
});
