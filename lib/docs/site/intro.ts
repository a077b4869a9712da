import type { TEmbedConfig } from '../../embed/settings';
import type { TDocsSourcesConfig } from '../sources';
import type { TAssistantPanelConfig } from './settings';
import type { TDb } from '../../db/types';
import type { TAssistantIntro } from '../../shared/site';
import { GENERIC_SITE_NAME } from '../../shared/site';
import { PUBLIC_ACCESS } from '../../audiences';
import { readVisibleIndex } from '../gate';
import { defaultIntro, readSiteConfig } from './site-config';

// What the assistant's panel says before the first question: its name, its introduction and the questions it
// suggests, for the site it serves. First found, for each:
//   1. the environment (ASSISTANT_NAME, ASSISTANT_INTRO, ASSISTANT_SUGGESTIONS);
//   2. site.config.json or the index page's front matter in DOCS_DIR (lib/docs/site/site-config.ts), when that
//      folder is indexed. A crawl-only server (DOCS_CRAWL_URL without DOCS_DIR) ignores the folder: the default
//      DOCS_DIR is this project's own docs, and their questions ("How do I configure Slack?") are not the site's;
//   3. the indexed site: its name (the folder's, or the crawled site's host name: docs.acme.dev → "Acme"), and,
//      in crawl or embed mode, questions about its main pages (suggestedQuestions below), so that a host site's
//      readers are offered questions its docs answer.

export const MAX_SUGGESTIONS = 6;
const DERIVED_SUGGESTIONS = 3;

export type TIntroDeps = { db: TDb; config: { docsDir: string; docsSources: TDocsSourcesConfig; assistant: TAssistantPanelConfig; embed: TEmbedConfig } };

export async function buildAssistantIntro({ deps, onProblem }: { deps: TIntroDeps; onProblem(message: string): void }): Promise<TAssistantIntro> {
  const { config } = deps;
  const folder = config.docsSources.isDirIndexed ? readSiteConfig({ docsDir: config.docsDir, onProblem }) : null;
  const firstCrawlUrl = config.docsSources.crawl?.urls[0];
  const siteName = folder?.siteName ?? (firstCrawlUrl ? siteNameFromHost(firstCrawlUrl) : GENERIC_SITE_NAME);
  const configured = config.assistant.suggestions ?? folder?.assistant?.questions;
  const isHostSite = config.docsSources.crawl !== null || config.embed.origins.mode !== 'off';
  const questions = configured ?? (isHostSite ? await suggestedQuestions({ db: deps.db, siteName }) : []);
  return {
    siteName,
    assistantName: config.assistant.name ?? folder?.assistant?.name ?? null,
    intro: config.assistant.intro ?? folder?.assistant?.intro ?? defaultIntro(siteName),
    questions: questions.slice(0, MAX_SUGGESTIONS),
  };
}

/** A crawled site's name from its host: `docs.acme.dev` → "Acme", `www.example.org` → "Example"; an address: "Docs". */
export function siteNameFromHost(url: string): string {
  let host: string;
  try {
    host = new URL(url).hostname;
  } catch {
    return GENERIC_SITE_NAME;
  }
  // An address or a machine's name (127.0.0.1, localhost) names no site: the intro then says "this site".
  if (/^[\d.]+$/.test(host) || host.includes(':') || host.startsWith('[') || !host.includes('.')) return GENERIC_SITE_NAME;
  const labels = host.split('.').filter((label) => !/^(www|docs?|documentation|developers?|dev|help|learn|support)$/i.test(label));
  const name = labels.length > 1 ? labels[labels.length - 2] : labels[0];
  if (!name) return GENERIC_SITE_NAME;
  return name.replace(/[-_]+/g, ' ').replace(/^\p{Ll}/u, (letter) => letter.toUpperCase());
}

/** Titles that name no subject a reader asks how to use: a home page's, the docs' as a whole, news. */
const GENERIC_TITLES = /^(home|index|welcome|docs|documentation|overview|introduction|untitled|page not found|404|changelog|change log|release notes|releases|blog|news|search)$/i;
/** Pages under these segments are news, not guides (a crawled site's URLs carry no page kind). */
const NEWS_SEGMENTS = /^(changelog|release-notes|releases|blog|news|posts|tags|search)$/i;

type TPageSummary = { path: string; title: string; sections: number; kind: string };

/**
 * Questions about the site's main pages, the same every time for the same index (offline, no model): its guide
 * pages (not API references, changelogs or blog posts) nearest the top of the site (fewest path segments), the
 * fuller first (more sections), then by path; a home page, a page named like the site and generic titles are
 * left out. "Getting started" → "What should I know about getting started?", "Button" → "How do I use Button?".
 */
export async function suggestedQuestions({ db, siteName }: { db: TDb; siteName: string }): Promise<string[]> {
  // The same questions for every reader: only public pages (lib/audiences), so no hidden page's title is ever asked about.
  const pages: TPageSummary[] = (await readVisibleIndex({ db, access: PUBLIC_ACCESS })).pages();
  return pickQuestions(pages, siteName);
}

export function pickQuestions(pages: TPageSummary[], siteName: string): string[] {
  const site = siteName.trim().toLowerCase();
  const seen = new Set<string>();
  const questions: string[] = [];
  const ordered = pages
    .filter((page) => page.kind === 'guide' && page.title !== '' && !GENERIC_TITLES.test(page.title) && page.title.toLowerCase() !== site && pathDepth(page.path) > 0 && !isNews(page.path))
    .sort((a, b) => pathDepth(a.path) - pathDepth(b.path) || b.sections - a.sections || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  for (const page of ordered) {
    const key = page.title.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    questions.push(questionAbout(page.title));
    if (questions.length === DERIVED_SUGGESTIONS) break;
  }
  return questions;
}

function isNews(path: string): boolean {
  return pathSegments(path).some((segment) => NEWS_SEGMENTS.test(segment));
}

/** Segments below the site's root: a crawled page's URL path, or a docs file's path without its index file. */
function pathDepth(path: string): number {
  return pathSegments(path).length;
}

function pathSegments(path: string): string[] {
  let pathname = path;
  if (/^https?:\/\//.test(path)) {
    try {
      pathname = new URL(path).pathname;
    } catch {
      return [];
    }
  }
  const segments = pathname
    .replace(/\.(mdx?|html?)$/i, '')
    .split('/')
    .filter((segment) => segment !== '');
  if (segments.length > 0 && /^_?index$/i.test(segments[segments.length - 1] as string)) segments.pop();
  return segments;
}

export function questionAbout(title: string): string {
  const text = title.replace(/\s+/g, ' ').trim();
  if (text.endsWith('?')) return text;
  const howTo = /^how to\s+(.+)$/i.exec(text);
  if (howTo) return `How do I ${howTo[1]}?`;
  const first = text.split(' ')[0] ?? '';
  // A title that is an activity ("Getting started", "Theming") rather than a thing one uses.
  if (/^\p{L}+ing$/u.test(first)) return `What should I know about ${text.replace(/^\p{Lu}(?=\p{Ll})/u, (letter) => letter.toLowerCase())}?`;
  return `How do I use ${text}?`;
}
