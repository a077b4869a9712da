import GithubSlugger from 'github-slugger';
import { expect } from 'vitest';
import { readDocFile } from '@/lib/docs/folder/load';
import { getMarkdownPage } from '@/lib/docs/agents/markdown';
import { parseDoc, type TDocSection } from '@/lib/docs/parse/parse';

// A page's .md twin against the sections the search index holds for it: checked for content/docs and the fixtures
// (tests/unit/docs-markdown.test.ts) and for the Paste corpus (tests/corpus/pages.test.ts).

const SITE = 'https://docs.example.test';

/** Sections by heading path, each with its content as words (markup and chunk overlaps aside). */
function sectionsByHeading(sections: TDocSection[]): Map<string, string[]> {
  const byHeading = new Map<string, string>();
  for (const section of sections) {
    const key = section.headingPath.join(' › ');
    const previous = byHeading.get(key) ?? '';
    byHeading.set(key, `${previous} ${withoutOverlap(previous, withoutRepeatedHeader(previous, section.content))}`);
  }
  return new Map([...byHeading].map(([key, text]) => [key, words(text)]));
}

/** A long section is cut into chunks that repeat the previous chunk's tail (lib/docs/parse/parse.ts): only what is new counts. */
function withoutOverlap(previous: string, chunk: string): string {
  const text = chunk.replace(/^…/, '');
  const tail = previous.trimEnd().slice(-400);
  for (let length = Math.min(text.length, tail.length); length > 0; length -= 1) {
    const head = text.slice(0, length).trimEnd();
    if (head !== '' && tail.endsWith(head)) return text.slice(length);
  }
  return text;
}

/**
 * A long table is cut into chunks of whole rows, each under the table's header again (lib/docs/parse/parse.ts): the
 * twin shows that header once, so a chunk's header that the section already had is not new.
 */
function withoutRepeatedHeader(previous: string, chunk: string): string {
  const [header, separator] = chunk.split('\n');
  const isTableStart = header?.startsWith('|') && separator !== undefined && /^\|[\s|:-]+\|$/.test(separator);
  return isTableStart && previous.includes(`${header}\n${separator}`) ? chunk.split('\n').slice(2).join('\n') : chunk;
}

/**
 * The words of a text, markup and punctuation aside (a code span's backticks, a table's pipes, a fence, a list
 * item's marker: the index numbers a JSX ordered list's items, "1. ", where the twin may not).
 */
const words = (text: string) => text.replace(/```\w*/g, ' ').replace(/(^|\s)\d+[.)](?=\s)/g, ' ').match(/[\p{L}\p{N}]+/gu) ?? [];

/** Whether every word of `expected` appears in `actual`, in order. */
function isSubsequence(expected: string[], actual: string[]): boolean {
  let at = 0;
  for (const word of actual) if (at < expected.length && word === expected[at]) at += 1;
  return at === expected.length;
}

/**
 * The twin has the sections the index holds for the page: the same headings (paths and anchors), and in each
 * section every word the index keeps, in order. The twin may say more than the index: the description (quoted
 * under the title, where the index keeps it apart) and the titles of callouts, which the page shows but the
 * index keeps only when they read as prose.
 */
export function expectTwinMatchesSections(docsDir: string, file: string) {
  const { source } = readDocFile(docsDir, file);
  const page = getMarkdownPage({ docsDir, relativePath: file, siteUrl: SITE });
  expect(page.parseError, file).toBeNull();
  const original = parseDoc({ source, path: file });
  const twin = parseDoc({ source: page.markdown, path: `${file}.md` });
  expect(twin.title, file).toBe(original.title);
  const expected = sectionsByHeading(original.sections);
  const actual = sectionsByHeading(twin.sections);
  const headings = (map: Map<string, string[]>) => [...map.keys()].filter((key) => key !== '');
  expect(headings(actual), file).toEqual(headings(expected));
  // Anchors as the page has them, except that the twin's `# title` takes its slug first (a page whose title is
  // also one of its headings has that heading's anchor one suffix further along in the twin).
  const slugger = new GithubSlugger();
  slugger.slug(original.title);
  const anchorsOf = (sections: TDocSection[]) => [...new Map(sections.filter((section) => section.anchor).map((section) => [section.anchor, section.heading])).entries()];
  expect(anchorsOf(twin.sections).map(([anchor]) => anchor), file).toEqual(anchorsOf(original.sections).map(([, heading]) => slugger.slug(heading)));
  for (const [key, text] of expected) {
    const twinText = actual.get(key) ?? [];
    const isKept = isSubsequence(text, twinText);
    expect(isKept, `${file} ${key}:\nindex: ${text.join(' ')}\ntwin:  ${twinText.join(' ')}`).toBe(true);
  }
}
