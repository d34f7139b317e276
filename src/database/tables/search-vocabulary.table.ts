import { table, text } from './table';

/**
 * PostgreSQL only: every indexed word once, for spelling correction (pg_trgm index); the importer adds the words
 * of the rows it writes (RecallWriter.insertVocabulary).
 */
export const SEARCH_VOCABULARY = table('search_vocabulary', {
  word: text(),
});
