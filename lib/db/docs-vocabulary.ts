import type { TVocabularyEntry, TVocabularyStatus } from '../shared/vocabulary';
import { afterDocsChange } from './docs-changes';
import type { TDb } from './types';

/** `reader` stands for who gave the evidence (a keyed hash or a digest, never a session or an address). */
export type TDocsFeedback = { query: string; path: string; source: 'open' | 'vote'; reader: string };

/** A reader (a keyed hash that stands for them) opened a search result; false when the page is not indexed (nothing recorded). */
export function recordDocsFeedback({ db, query, path, reader }: { db: TDb; query: string; path: string; reader: string }) {
  return db.rpc<boolean>('record_docs_feedback', { p_query: query, p_path: path, p_source: 'open', p_reader: reader });
}

/** Opened results and thumbs-up answers' questions with the pages they led to, and who gave them, newest first. */
export function listDocsFeedback({ db, limit }: { db: TDb; limit: number }) {
  return db.rpc<TDocsFeedback[]>('list_docs_feedback', { p_limit: limit });
}

export function listDocsVocabulary({ db }: { db: TDb }) {
  return db.rpc<TVocabularyEntry[]>('list_docs_vocabulary');
}

/** Approves or rejects a reader word for a page (404 when the page is not indexed); null forgets the decision. */
export function setDocsVocabularyStatus({ db, word, path, status }: { db: TDb; word: string; path: string; status: TVocabularyStatus | null }) {
  return afterDocsChange(
    db,
    db.rpc<{ word: string; path: string; status: TVocabularyStatus } | null>('set_docs_vocabulary_status', {
      p_word: word,
      p_path: path,
      p_status: status,
    }),
  );
}
