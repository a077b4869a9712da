// The learned search vocabulary as the maintainers' dashboard sees it (GET /api/maintainers/vocabulary).

export type TVocabularyStatus = 'approved' | 'rejected';

export type TVocabularySuggestion = {
  /** A reader's word that led to the page, which the page does not have. */
  word: string;
  /** The page, relative to the docs folder. */
  path: string;
  /** How many readers carried the word to the page, by an opened search result or an up-voted answer (each reader once). */
  count: number;
  sources: ('open' | 'vote')[];
  /** Up to three of the (masked) queries it came from. */
  examples: string[];
};

export type TVocabularyEntry = { word: string; path: string; status: TVocabularyStatus; decided_at: string };

export type TVocabularyView = { suggestions: TVocabularySuggestion[]; approved: TVocabularyEntry[]; rejected: TVocabularyEntry[] };
