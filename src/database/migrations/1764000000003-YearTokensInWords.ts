import { PostgresOnlyMigration } from './postgres-only';

/**
 * PostgreSQL: each row's words also hold a token of its year ("~2024"), so that the word index can answer
 * "rows with these words in these years" and a search reads only the matches of the years it needs, newest
 * first (search-dialect.ts), instead of every match of a common pair of words. Query words are a-z0-9 only:
 * no search can match a token by itself.
 * The existing rows get their token in a copy of the table, indexed once it is full: updating in place would
 * leave every row and index entry twice (the old versions stay until the transaction ends).
 * SQLite: nothing changes (FTS5 has no such index).
 */
export class YearTokensInWords1764000000003 extends PostgresOnlyMigration {
  name = 'YearTokensInWords1764000000003';
  protected readonly upStatements = postgresUp;
  protected readonly downStatements = postgresDown;
}

/** recall_words written again with its words from `words` (an expression over the old row), then indexed. */
function rewriteWords(words: string): string[] {
  return [
    'CREATE TABLE recall_words_rewritten (recall_pk integer NOT NULL, recall_date date NOT NULL, words tsvector NOT NULL)',
    `INSERT INTO recall_words_rewritten (recall_pk, recall_date, words) SELECT recall_pk, recall_date, ${words} FROM recall_words`,
    'DROP TABLE recall_words',
    'ALTER TABLE recall_words_rewritten RENAME TO recall_words',
    'ALTER TABLE recall_words ADD CONSTRAINT recall_words_pkey PRIMARY KEY (recall_pk)',
    ...RECALL_WORDS_INDEXES,
    'ANALYZE recall_words',
  ];
}

/** The indexes of recall_words, as CreateRecalls made them. */
const RECALL_WORDS_INDEXES = [
  'CREATE INDEX recall_words_words_idx ON recall_words USING gin (words)',
  'CREATE INDEX recall_words_date_idx ON recall_words (recall_date DESC, recall_pk)',
];

// Rewriting every row and building the word index again takes minutes at a million rows: longer than the
// connection's statement_timeout allows a request. For this transaction only.
const LONG_STATEMENTS = ["SET LOCAL statement_timeout = 0", "SET LOCAL maintenance_work_mem = '256MB'"];

/** The search sync as this migration makes it: words split from search_text, plus the year token. */
const SEARCH_SYNC_YEAR_TOKENS = `CREATE OR REPLACE FUNCTION recalls_search_sync() RETURNS trigger LANGUAGE plpgsql AS $$
   BEGIN
     IF TG_OP = 'INSERT' THEN
       INSERT INTO recall_words (recall_pk, recall_date, words)
         SELECT id, recall_date, array_to_tsvector(array_remove(string_to_array(search_text, ' '), '') || recall_year_token(recall_date))
         FROM changed;
     ELSE
       UPDATE recall_words w
         SET recall_date = c.recall_date,
             words = array_to_tsvector(array_remove(string_to_array(c.search_text, ' '), '') || recall_year_token(c.recall_date))
         FROM changed c WHERE w.recall_pk = c.id;
     END IF;
     RETURN NULL;
   END $$`;

/** The search sync as LighterImportWrites made it (words split from search_text, no year token): restored by down. */
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

const postgresUp = [
  ...LONG_STATEMENTS,
  // The token yearToken() (src/recalls/search) looks for; test/search-functions.pg-e2e-spec.ts checks that they agree.
  `CREATE FUNCTION recall_year_token(day date) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE
     AS $$ SELECT '~' || extract(year FROM day)::integer $$`,
  SEARCH_SYNC_YEAR_TOKENS,
  ...rewriteWords('words || array_to_tsvector(ARRAY[recall_year_token(recall_date)])'),
];

const postgresDown = [
  ...LONG_STATEMENTS,
  SEARCH_SYNC_SPLIT_WORDS,
  ...rewriteWords('ts_delete(words, recall_year_token(recall_date))'),
  'DROP FUNCTION recall_year_token(date)',
];
