import { describe, expect, it } from 'vitest';
import { pageName, sharedTitleAffix } from '@/lib/docs/sources/crawl/titles';

const named = (htmlTitle: string, titles: string[], url = 'https://docs.example.com/guide/some-page.html') =>
  pageName({ names: { h1: '', breadcrumb: '', htmlTitle }, url, affix: sharedTitleAffix(titles) });

describe('crawled page names', () => {
  it('drops the part every title shares, before or after the page’s own', () => {
    const suffixed = ['Acme Docs', 'Disabled | Acme Docs', 'Enabled | Acme Docs', 'Sizes — Toggle | Acme Docs'];
    expect(named('Disabled | Acme Docs', suffixed)).toBe('Disabled');
    expect(named('Sizes — Toggle | Acme Docs', suffixed)).toBe('Sizes — Toggle');
    expect(named('Acme Docs', suffixed)).toBe('Acme Docs');
    const prefixed = ['Acme · Install', 'Acme · Intro', 'Acme · Upgrade'];
    expect(named('Acme · Install', prefixed)).toBe('Install');
  });

  it('keeps a title whole when nothing is shared, or when one title alone cannot tell', () => {
    expect(named('Install - Linux', ['Install - Linux', 'Usage - Windows'])).toBe('Install - Linux');
    expect(named('Install | Gizmo', ['Install | Gizmo'])).toBe('Install | Gizmo');
  });

  it('names pages of a site whose <title> never changes by their path', () => {
    const same = ['Acme', 'Acme', 'Acme'];
    expect(named('Acme', same)).toBe('Some page');
    expect(named('Acme', same, 'https://docs.example.com/docs/disabled_state/')).toBe('Disabled state');
    expect(named('Acme', same, 'https://docs.example.com/')).toBe('Acme');
  });

  it('prefers the h1, then the breadcrumb', () => {
    const url = 'https://docs.example.com/x';
    expect(pageName({ names: { h1: 'Heading', breadcrumb: 'Crumb', htmlTitle: 'T' }, url, affix: null })).toBe('Heading');
    expect(pageName({ names: { h1: '', breadcrumb: 'Crumb', htmlTitle: 'T' }, url, affix: null })).toBe('Crumb');
  });
});
