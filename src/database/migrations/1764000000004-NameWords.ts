import { PostgresOnlyMigration } from './postgres-only';

/**
 * PostgreSQL: candidates are chosen by relevance first (postgres-text-search.ts), which needs to know which rows
 * hold the query's words in their name (brand, product, title, manufacturer, models: search_name), not only
 * somewhere in the text, and how long that name is. recall_words gains:
 * - name_words: the name's words, each pair of adjacent words written together ("car seat" also as "carseat",
 *   "baby bjorn" as "babybjorn": recall_name_terms, mirrored by joinedPairs() in search-text.ts, the two compared by
 *   test/search-functions.pg-e2e-spec.ts), and the year token, with a GIN index of its own;
 * - name_length: how many words the name has (shorter names holding every query word are nearer matches).
 * The joined pairs stay out of the spelling vocabulary: a query word is always looked for as typed too, so
 * "carseat" finds them, and the vocabulary stays small (its trigram search reads it whole at a million rows: ten
 * times the words, ten times the time). The table is written again in a copy, as YearTokensInWords does. SQLite:
 * nothing changes (its FTS5 trigram index already matches inside words).
 */
export class NameWords1764000000004 extends PostgresOnlyMigration {
  name = 'NameWords1764000000004';
  protected readonly upStatements = postgresUp;
  protected readonly downStatements = postgresDown;
}

// Rewriting every row and building its indexes take minutes at a million rows: longer than the connection's
// statement_timeout allows a request. For this transaction only.
const LONG_STATEMENTS = ['SET LOCAL statement_timeout = 0', "SET LOCAL maintenance_work_mem = '256MB'"];

// PL/pgSQL, not SQL: a SQL function with a subquery is planned again on every call (340 µs a row, a third of an
// import's time); this one keeps its plan (about 10 µs).
const NAME_TERMS = `CREATE OR REPLACE FUNCTION recall_name_terms(search_name text) RETURNS text[] LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
  DECLARE
    words text[] := array_remove(string_to_array(search_name, ' '), '');
    terms text[] := words;
  BEGIN
    FOR i IN 1 .. coalesce(cardinality(words), 0) - 1 LOOP
      IF words[i] !~ '[0-9]' AND words[i + 1] !~ '[0-9]' AND length(words[i]) + length(words[i + 1]) <= 64 THEN
        terms := terms || (words[i] || words[i + 1]);
      END IF;
    END LOOP;
    RETURN terms;
  END $$`;

const NAME_LENGTH = `CREATE FUNCTION recall_name_length(search_name text) RETURNS smallint LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT least(cardinality(array_remove(string_to_array(search_name, ' '), '')), 32767)::smallint
$$`;

const NAME_WORDS = (name: string, date: string) => `array_to_tsvector(recall_name_terms(${name}) || recall_year_token(${date}))`;
const WORDS = (text: string, date: string) => `array_to_tsvector(array_remove(string_to_array(${text}, ' '), '') || recall_year_token(${date}))`;

const SEARCH_SYNC_NAME_WORDS = `CREATE OR REPLACE FUNCTION recalls_search_sync() RETURNS trigger LANGUAGE plpgsql AS $$
   BEGIN
     IF TG_OP = 'INSERT' THEN
       INSERT INTO recall_words (recall_pk, recall_date, name_length, words, name_words)
         SELECT id, recall_date, recall_name_length(search_name), ${WORDS('search_text', 'recall_date')}, ${NAME_WORDS('search_name', 'recall_date')}
         FROM changed;
     ELSE
       UPDATE recall_words w
         SET recall_date = c.recall_date,
             name_length = recall_name_length(c.search_name),
             words = ${WORDS('c.search_text', 'c.recall_date')},
             name_words = ${NAME_WORDS('c.search_name', 'c.recall_date')}
         FROM changed c WHERE w.recall_pk = c.id;
     END IF;
     RETURN NULL;
   END $$`;

/** The indexes of recall_words, as CreateRecalls made them. */
const RECALL_WORDS_INDEXES = [
  'CREATE INDEX recall_words_words_idx ON recall_words USING gin (words)',
  'CREATE INDEX recall_words_date_idx ON recall_words (recall_date DESC, recall_pk)',
];

const NAME_WORDS_INDEX = 'CREATE INDEX recall_words_name_words_idx ON recall_words USING gin (name_words)';

/** The search sync as YearTokensInWords made it (no name words): restored by down. */
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

const postgresUp = [
  ...LONG_STATEMENTS,
  NAME_TERMS,
  NAME_LENGTH,
  SEARCH_SYNC_NAME_WORDS,
  `CREATE TABLE recall_words_rewritten (
     recall_pk integer NOT NULL, recall_date date NOT NULL, name_length smallint NOT NULL, words tsvector NOT NULL, name_words tsvector NOT NULL)`,
  `INSERT INTO recall_words_rewritten (recall_pk, recall_date, name_length, words, name_words)
     SELECT w.recall_pk, w.recall_date, recall_name_length(r.search_name), w.words, ${NAME_WORDS('r.search_name', 'w.recall_date')}
     FROM recall_words w JOIN recalls r ON r.id = w.recall_pk`,
  'DROP TABLE recall_words',
  'ALTER TABLE recall_words_rewritten RENAME TO recall_words',
  'ALTER TABLE recall_words ADD CONSTRAINT recall_words_pkey PRIMARY KEY (recall_pk)',
  ...RECALL_WORDS_INDEXES,
  NAME_WORDS_INDEX,
  'ANALYZE recall_words',
];

const postgresDown = [
  ...LONG_STATEMENTS,
  SEARCH_SYNC_YEAR_TOKENS,
  'CREATE TABLE recall_words_rewritten (recall_pk integer NOT NULL, recall_date date NOT NULL, words tsvector NOT NULL)',
  'INSERT INTO recall_words_rewritten (recall_pk, recall_date, words) SELECT recall_pk, recall_date, words FROM recall_words',
  'DROP TABLE recall_words',
  'ALTER TABLE recall_words_rewritten RENAME TO recall_words',
  'ALTER TABLE recall_words ADD CONSTRAINT recall_words_pkey PRIMARY KEY (recall_pk)',
  ...RECALL_WORDS_INDEXES,
  'ANALYZE recall_words',
  'DROP FUNCTION recall_name_length(text)',
  'DROP FUNCTION recall_name_terms(text)',
];
