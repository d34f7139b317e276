import { date, integer, smallint, table, tsvector } from './table';

/**
 * PostgreSQL only: the indexed words of each recall, one row per recall, written by the recalls_search_sync
 * trigger (migrations CreateRecalls, YearTokensInWords, NameWords); the text search reads it
 * (postgres-text-search.ts). SQLite indexes search_text in recalls_fts instead.
 */
export const RECALL_WORDS = table('recall_words', {
  recall_pk: integer(),
  recall_date: date(),
  /** Words in search_name, for the shortest names first. */
  name_length: smallint(),
  /** Every word of search_text, plus the recall's year token. */
  words: tsvector(),
  /** The words of search_name, each pair of adjacent words also written together, and the year token. */
  name_words: tsvector(),
});
