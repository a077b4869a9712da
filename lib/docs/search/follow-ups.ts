import { z } from 'zod';
import type { TStoredSection } from '../../db/docs-index';
import type { TDb } from '../../db/types';
import { docUrl, listDocFiles, slugFromPath } from '../folder/load';
import type { TReaderAccess } from '../../audiences';
import { isPageVisible, readPageBySectionAnchor, readPageSections } from '../gate';

// Suggested follow-up questions under an answer, without a model: the sections next to the ones the answer
// cited (same page, nearest first, siblings under the same parent heading before others) are what a reader
// is likely to ask about next. Each suggestion names its section's heading.

export const MAX_FOLLOW_UPS = 3;
const MAX_SOURCES = 5;

/**
 * Docs URLs as answers cite them: `/docs/<slug>#<anchor>`, an API operation's own page (`/docs/<slug>/operation/<id>`:
 * docUrl in lib/docs/folder/load.ts), and the anchor it had on its spec's page before (`#operation/<id>`).
 */
export const ZFollowUpsRequest = z.object({
  sources: z
    .array(z.string().max(300).regex(/^\/docs(\/[A-Za-z0-9._~-]+)*(#[A-Za-z0-9._~%-]+(\/[A-Za-z0-9._~%-]+)?)?$/, 'must be a docs URL (/docs/…#…)'))
    .min(1)
    .max(MAX_SOURCES),
});

export type TFollowUp = { question: string; url: string };
export type TFollowUpsDeps = { db: TDb; config: { docsDir: string } };

function splitUrl(url: string): { slug: string; anchor: string } {
  const [pathPart = '', anchor = ''] = url.split('#');
  const slug = pathPart.replace(/^\/docs\/?/, '');
  // An API operation's own page is its spec's slug and its anchor.
  const operation = /^(.*)\/(operation\/[^/]+)$/.exec(slug);
  return operation ? { slug: operation[1]!, anchor: operation[2]! } : { slug, anchor };
}

/** The question a section's heading suggests. */
export function questionFor(section: Pick<TStoredSection, 'heading' | 'heading_path'>): string {
  const plain = (text: string) => text.replace(/[`*]/g, '').trim();
  const heading = plain(section.heading);
  const page = plain(section.heading_path[0] ?? '');
  // A heading that is a question already ("What gets posted") is asked as it is.
  if (/^(what|how|why|when|where|which|who|can|does|do|is|are|should)\b/i.test(heading)) return heading.endsWith('?') ? heading : `${heading}?`;
  return page && page !== heading ? `Tell me about ${heading} (${page})` : `Tell me about ${heading}`;
}

/** Sections near `cited` (indexes into `sections`), nearest first, siblings under the same parent first. */
export function nearbySections(sections: TStoredSection[], citedIndexes: number[]): TStoredSection[] {
  const cited = new Set(citedIndexes);
  const parentOf = (section: TStoredSection) => section.heading_path.slice(0, -1).join('\u0000');
  const ranked: { section: TStoredSection; score: number }[] = [];
  sections.forEach((section, index) => {
    if (cited.has(index) || section.heading.trim() === '' || section.content.trim() === '') return;
    let best = Infinity;
    for (const origin of citedIndexes) {
      const sibling = parentOf(section) === parentOf(sections[origin]!);
      best = Math.min(best, Math.abs(index - origin) + (sibling ? 0 : 2) + (index < origin ? 0.5 : 0));
    }
    ranked.push({ section, score: best });
  });
  return ranked.sort((a, b) => a.score - b.score).map((entry) => entry.section);
}

/** Up to MAX_FOLLOW_UPS questions about the sections near an answer's sources; unknown pages are skipped. */
export async function suggestFollowUps({ deps, sources, access }: { deps: TFollowUpsDeps; sources: string[]; access: TReaderAccess }): Promise<TFollowUp[]> {
  const files = new Map(listDocFiles(deps.config.docsDir).map((file) => [slugFromPath(file), file]));
  // The index's page of each source: a docs file by its slug; an API operation, the page that holds it (its tag's).
  const cited = new Map<string, { slug: string; anchors: string[] }>();
  for (const url of sources) {
    const { slug, anchor } = splitUrl(url);
    let path = files.get(slug);
    if (path === undefined && anchor.startsWith('operation/')) path = (await readPageBySectionAnchor({ db: deps.db, access, slug, anchor }))?.path;
    // A page the reader may not see (lib/audiences) is skipped as an unknown one: its headings are not theirs to read.
    if (path === undefined || !(await isPageVisible({ db: deps.db, path, access }))) continue;
    const entry = cited.get(path) ?? { slug, anchors: [] };
    entry.anchors.push(anchor);
    cited.set(path, entry);
  }
  const seen = new Set(sources);
  // Two pages' sections of one heading ask one question ("Tell me about Accessibility (Guidelines)"): asked once.
  const asked = new Set<string>();
  const suggestions: TFollowUp[] = [];
  for (const [path, { slug, anchors }] of cited) {
    const sections = await readPageSections({ db: deps.db, access, path });
    const citedIndexes = anchors.map((anchor) => sections.findIndex((section) => section.anchor === anchor)).filter((index) => index >= 0);
    if (citedIndexes.length === 0) continue;
    for (const section of nearbySections(sections, citedIndexes).slice(0, MAX_FOLLOW_UPS)) {
      const url = docUrl(slug, section.anchor || undefined);
      const question = questionFor(section);
      if (seen.has(url) || asked.has(question.toLowerCase())) continue;
      seen.add(url);
      asked.add(question.toLowerCase());
      suggestions.push({ question, url });
    }
  }
  // One from each cited page before a second from any.
  return interleaveByPage(suggestions).slice(0, MAX_FOLLOW_UPS);
}

function interleaveByPage(suggestions: TFollowUp[]): TFollowUp[] {
  const byPage = new Map<string, TFollowUp[]>();
  for (const suggestion of suggestions) {
    const page = suggestion.url.split('#')[0]!;
    byPage.set(page, [...(byPage.get(page) ?? []), suggestion]);
  }
  const out: TFollowUp[] = [];
  for (let round = 0; out.length < suggestions.length; round += 1) {
    for (const list of byPage.values()) if (list[round]) out.push(list[round]!);
  }
  return out;
}
