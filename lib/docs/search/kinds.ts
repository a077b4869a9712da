import { z } from 'zod';
import { dayOf, PUBLIC_SOURCE_KINDS, type TPageMeta, type TPublicSourceKind, type TThreadState } from '../../shared/docs';

// The one mapping between the kinds of source inside (the labels lib/docs/sources records on each page:
// docs_page.source_kind) and the kinds readers and agents see on a result and filter by (lib/shared/docs.ts).
// The search knows a kind only as a label: a kind added behind the sources seam adds its line here, or its
// results show its own label as their kind.

const PUBLIC_KIND_BY_LABEL: Readonly<Record<string, TPublicSourceKind>> = {
  folder: 'docs',
  crawl: 'page',
  github: 'thread',
  answer: 'answer',
  openapi: 'api',
  code: 'code',
};

/** The kind a reader sees for a source's label ('folder' → 'docs'); an unmapped label shows as itself. */
export function publicSourceKind(label: string): TPublicSourceKind | string {
  return Object.hasOwn(PUBLIC_KIND_BY_LABEL, label) ? PUBLIC_KIND_BY_LABEL[label]! : label;
}

/** The labels of the kinds asked for (['docs'] → ['folder']): what the ranker filters on. */
export function sourceLabelsOf(kinds: readonly string[]): string[] {
  const asked = new Set(kinds);
  const labels = Object.keys(PUBLIC_KIND_BY_LABEL).filter((label) => asked.has(PUBLIC_KIND_BY_LABEL[label]!));
  // An unmapped label is asked for by its own name, as its results show it.
  for (const kind of asked) if (!(PUBLIC_SOURCE_KINDS as readonly string[]).includes(kind) && !labels.includes(kind)) labels.push(kind);
  return labels;
}

export const KNOWN_SOURCES_TEXT = PUBLIC_SOURCE_KINDS.join(', ');

/**
 * The `sources` filter: a list of kinds (at least one); a kind that is not one of PUBLIC_SOURCE_KINDS is refused,
 * the message naming the known ones. Absent: every kind.
 */
export const ZSourcesFilter = z
  .array(z.string(), { error: `sources must be a list of kinds (${KNOWN_SOURCES_TEXT})` })
  .min(1, `sources must name at least one kind (${KNOWN_SOURCES_TEXT})`)
  .max(PUBLIC_SOURCE_KINDS.length * 2)
  .superRefine((kinds, ctx) => {
    const unknown = kinds.filter((kind) => !(PUBLIC_SOURCE_KINDS as readonly string[]).includes(kind));
    if (unknown.length > 0) {
      ctx.addIssue({ code: 'custom', message: unknownSourcesMessage(unknown) });
    }
  })
  .transform((kinds) => [...new Set(kinds)] as TPublicSourceKind[]);

export function unknownSourcesMessage(unknown: string[]): string {
  const names = unknown.map((kind) => JSON.stringify(kind.slice(0, 40))).join(', ');
  return `unknown source kind ${names}; the kinds are ${KNOWN_SOURCES_TEXT}`;
}

/**
 * What a result says of its source: its kind, and a thread's number and state when its page carries them, and how it
 * was fixed and in which release when its source knows.
 */
export type TResultSource = {
  kind: TPublicSourceKind | string;
  number?: number;
  state?: TThreadState;
  fixedBy?: string;
  releasedIn?: string;
  answeredAt?: string;
  /** Source code: the file's path in its repository (its lines are the result's anchor, `#L48-L61`). */
  file?: string;
};

const THREAD_STATES: readonly string[] = ['open', 'closed', 'merged'];

/** A result's source fields from its page's label and meta; meta is data from elsewhere, so only well-formed fields pass. */
export function resultSource(label: string, meta: TPageMeta | null | undefined): TResultSource {
  const source: TResultSource = { kind: publicSourceKind(label) };
  if (typeof meta?.number === 'number' && Number.isInteger(meta.number) && meta.number > 0) source.number = meta.number;
  if (typeof meta?.state === 'string' && THREAD_STATES.includes(meta.state)) source.state = meta.state;
  if (typeof meta?.fixedBy === 'string' && meta.fixedBy.length <= 200) source.fixedBy = meta.fixedBy;
  if (typeof meta?.releasedIn === 'string' && meta.releasedIn.length <= 200) source.releasedIn = meta.releasedIn;
  const answeredAt = dayOf(meta?.answeredAt);
  if (answeredAt) source.answeredAt = answeredAt;
  const file = meta?.code?.file;
  if (typeof file === 'string' && file.length > 0 && file.length <= 1_000) source.file = file;
  return source;
}
