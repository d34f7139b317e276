import { PostgresOnlyMigration } from './postgres-only';

/**
 * PostgreSQL: an import spent most of the database's time in work around the rows rather than in the rows.
 * - The words of a row come from splitting search_text, which the application always stores normalised (lower
 *   case a-z0-9 words, one space apart), instead of running the text search parser over it: same lexemes, a
 *   third of the cost.
 * - The spelling vocabulary is no longer rebuilt from every word of every written row: the importer adds the
 *   words that import has not added yet (RecallWriter.insertVocabulary), in the same transaction.
 * - recall_identifiers and recall_words lose their foreign keys: a key check ran a query per inserted row (a
 *   quarter of the database's import work). They are only written by the importer, in the transaction that
 *   writes their recall, with its id; deleting or truncating recalls still removes them (statement triggers).
 * SQLite: nothing changes (FTS5 triggers, foreign keys kept).
 */
export class LighterImportWrites1764000000002 extends PostgresOnlyMigration {
  name = 'LighterImportWrites1764000000002';
  protected readonly upStatements = postgresUp;
  protected readonly downStatements = postgresDown;
}

const CHILD_TABLES = ['recall_identifiers', 'recall_words'];

/** The search sync as this migration makes it: words split from search_text, no vocabulary. */
const SEARCH_SYNC_SPLIT_WORDS = `CREATE OR REPLACE FUNCTION recalls_search_sync() RETURNS trigger LANGUAGE plpgsql AS $$
   BEGIN
     IF TG_OP = 'INSERT' THEN
       INSERT INTO recall_words (recall_pk, recall_date, words)
         SELECT id, recall_date, array_to_tsvector(array_remove(string_to_array(search_text, ' '), '')) FROM changed;
     ELSE
       UPDATE recall_words w
         SET recall_date = c.recall_date, words = array_to_tsvector(array_remove(string_to_array(c.search_text, ' '), ''))
         FROM changed c WHERE w.recall_pk = c.id;
     END IF;
     RETURN NULL;
   END $$`;

/** The search sync as CreateRecalls made it (words through the text search parser, vocabulary kept in SQL): restored by down. */
const SEARCH_SYNC_WITH_VOCABULARY = `CREATE OR REPLACE FUNCTION recalls_search_sync() RETURNS trigger LANGUAGE plpgsql AS $$
   BEGIN
     IF TG_OP = 'INSERT' THEN
       INSERT INTO recall_words (recall_pk, recall_date, words)
         SELECT id, recall_date, strip(to_tsvector('simple', search_text)) FROM changed;
     ELSE
       UPDATE recall_words w SET recall_date = c.recall_date, words = strip(to_tsvector('simple', c.search_text))
         FROM changed c WHERE w.recall_pk = c.id;
     END IF;
     INSERT INTO search_vocabulary (word)
       SELECT DISTINCT word FROM changed, unnest(string_to_array(changed.search_text, ' ')) AS word
       WHERE length(word) BETWEEN 2 AND 64 AND word !~ '[0-9]'
       ORDER BY word -- one lock order for every importer: concurrent batches cannot deadlock on new words
       ON CONFLICT DO NOTHING;
     RETURN NULL;
   END $$`;

const postgresUp = [
  SEARCH_SYNC_SPLIT_WORDS,
  ...CHILD_TABLES.map((table) => `ALTER TABLE ${table} DROP CONSTRAINT ${table}_recall_pk_fkey`),
  `CREATE FUNCTION recalls_remove_children() RETURNS trigger LANGUAGE plpgsql AS $$
   BEGIN
     IF TG_OP = 'TRUNCATE' THEN
       TRUNCATE ${CHILD_TABLES.join(', ')};
     ELSE
       ${CHILD_TABLES.map((table) => `DELETE FROM ${table} WHERE recall_pk IN (SELECT id FROM removed);`).join('\n       ')}
     END IF;
     RETURN NULL;
   END $$`,
  `CREATE TRIGGER recalls_remove_children_delete AFTER DELETE ON recalls
     REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION recalls_remove_children()`,
  `CREATE TRIGGER recalls_remove_children_truncate AFTER TRUNCATE ON recalls
     FOR EACH STATEMENT EXECUTE FUNCTION recalls_remove_children()`,
];

const postgresDown = [
  'DROP TRIGGER recalls_remove_children_truncate ON recalls',
  'DROP TRIGGER recalls_remove_children_delete ON recalls',
  'DROP FUNCTION recalls_remove_children()',
  ...CHILD_TABLES.map(
    (table) =>
      `ALTER TABLE ${table} ADD CONSTRAINT ${table}_recall_pk_fkey FOREIGN KEY (recall_pk) REFERENCES recalls(id) ON DELETE CASCADE`,
  ),
  SEARCH_SYNC_WITH_VOCABULARY,
];
