import { describe, expect, it } from 'vitest';
import { pickQuestions, questionAbout, siteNameFromHost } from '@/lib/docs/site/intro';
import { docsSearchQuery, hostSearchHref } from '@/lib/shared/links';

// The panel's words for a site that configures none (lib/docs/site/intro.ts), and the embed's search link.

describe('questions drawn from the indexed site', () => {
  const page = (path: string, title: string, sections = 1, kind = 'guide') => ({ path, title, sections, kind });

  it('asks about the top-level guide pages first, the fuller first, then by path; never the home page, news or generic titles', () => {
    const pages = [
      page('https://docs.acme.dev/', 'Acme UI', 9),
      page('https://docs.acme.dev/components/button', 'Button', 8),
      page('https://docs.acme.dev/theming', 'Theming', 2),
      page('https://docs.acme.dev/getting-started', 'Getting started', 4),
      page('https://docs.acme.dev/changelog', 'Changelog', 20),
      page('https://docs.acme.dev/blog/launch', 'We launched', 3),
      page('https://docs.acme.dev/overview', 'Overview', 5),
      page('https://docs.acme.dev/install', 'Acme UI', 5),
      page('https://docs.acme.dev/api/tokens', 'Tokens', 5, 'api'),
    ];
    expect(pickQuestions(pages, 'Acme UI')).toEqual(['What should I know about getting started?', 'What should I know about theming?', 'How do I use Button?']);
    // The same index gives the same questions, whatever order it comes in.
    expect(pickQuestions([...pages].reverse(), 'Acme UI')).toEqual(pickQuestions(pages, 'Acme UI'));
  });

  it('reads docs files by folder depth, an index file standing for its folder', () => {
    const pages = [page('guides/slack/index.mdx', 'Slack'), page('guides/deep/er/page.mdx', 'Deep'), page('index.mdx', 'Home page')];
    expect(pickQuestions(pages, 'Docs')).toEqual(['How do I use Slack?', 'How do I use Deep?']);
  });

  it('phrases a question from a title', () => {
    expect(questionAbout('Button')).toBe('How do I use Button?');
    expect(questionAbout('Getting started')).toBe('What should I know about getting started?');
    expect(questionAbout('How to deploy to Vercel')).toBe('How do I deploy to Vercel?');
    expect(questionAbout('Why is my build slow?')).toBe('Why is my build slow?');
  });

  it('names a crawled site from its host', () => {
    expect(siteNameFromHost('https://docs.acme.dev/sitemap.xml')).toBe('Acme');
    expect(siteNameFromHost('https://www.ferry-tales.org/')).toBe('Ferry tales');
    expect(siteNameFromHost('http://127.0.0.1:4000/')).toBe('Docs');
    expect(siteNameFromHost('http://localhost:4000/')).toBe('Docs');
  });
});

describe('the host\'s search link', () => {
  it('recognises only a /docs?q= link', () => {
    expect(docsSearchQuery({ kind: 'internal', href: '/docs?q=card%20sizes', isDocs: true })).toBe('card sizes');
    expect(docsSearchQuery({ kind: 'internal', href: '/docs/button?q=x', isDocs: true })).toBeNull();
    expect(docsSearchQuery({ kind: 'internal', href: '/docs', isDocs: true })).toBeNull();
    expect(docsSearchQuery({ kind: 'external', href: 'https://x.example/docs?q=a' })).toBeNull();
  });

  it('fills {query} or adds q, and refuses what is not http(s)', () => {
    expect(hostSearchHref('https://host.example/find?text={query}', 'a&b c')).toBe('https://host.example/find?text=a%26b%20c');
    expect(hostSearchHref('https://host.example/search?lang=en', 'a b')).toBe('https://host.example/search?lang=en&q=a+b');
    expect(hostSearchHref('javascript:alert({query})', 'x')).toBeNull();
  });
});
