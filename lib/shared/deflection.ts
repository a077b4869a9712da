// The maintainers' deflection figures as the dashboard, the report and the API show them (built by
// lib/maintainers/deflection.ts from supabase/schemas/64_deflection.sql). A rate is a share of the period's
// questions, 0–1, or null when there were none.

export type TRateView = { count: number; rate: number | null };

export type TDeflectionView = {
  period: { from: string; to: string; days: number };
  questions: number;
  rates: {
    /** Answered from the docs (the answer did not say the docs do not cover it). */
    answered: TRateView;
    /** The answer said the docs do not cover the question. */
    notCovered: TRateView;
    /** The answer was voted down. */
    downVoted: TRateView;
    /** A maintainer replied to the question. */
    byMaintainer: TRateView;
    /** The reader handed the question to the maintainers ("Ask the maintainers"): not deflected. */
    handedOff: TRateView;
    /** Answered from the docs, not voted down, not handed to the maintainers, and no maintainer had to step in: the docs did the work. */
    deflected: TRateView;
    /** No completed answer (the run failed, was stopped, or is still going). */
    withoutAnswer: TRateView;
  };
  /** Citations per kind of source (every kind, most cited first): how many answer × source pairs, of how many sources. */
  kinds: { kind: string; citations: number; sources: number }[];
  /** The sources cited most, with how often. */
  sources: { url: string; title: string; kind: string; citations: number; reads: number; isIndexed: boolean }[];
  citedSources: number;
  indexedPages: number;
  /** Indexed pages no answer of the period cited: how many (per kind), and the most read of them. */
  neverCited: { count: number; byKind: Record<string, number>; pages: { url: string; title: string; kind: string; reads: number }[] };
  /** Docs page reads (counted without the reader: a number per page and day) against the questions. */
  reads: {
    total: number;
    /** The period's questions per page read; null without reads. */
    questionsPerRead: number | null;
    /** Questions asked from a docs page (its side panel), per page, most first. */
    pages: { url: string; title: string; reads: number; questions: number; questionsPerRead: number | null }[];
  };
  /** Conversations readers shared in the period (share links made), and how many of the links were revoked since. */
  shares: { conversations: number; links: number; revoked: number };
};
