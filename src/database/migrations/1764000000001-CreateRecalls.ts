import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Recalls and their product identifiers, and the text search structures of each database:
 * - PostgreSQL: the words of search_text (to_tsvector 'simple') in a narrow table with a GIN index, and a
 *   vocabulary of those words (without digits: model numbers and barcodes match exactly through
 *   recall_identifiers) with a GIN trigram index, both kept in step by statement triggers. A typo is corrected against the vocabulary (small), then rows are found by
 *   words (exact index hits), never by trigram scans over a million long texts.
 * - SQLite: an FTS5 table with the trigram tokenizer kept in step by triggers, so development is typo tolerant too.
 */
export class CreateRecalls1764000000001 implements MigrationInterface {
  name = 'CreateRecalls1764000000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    const postgres = queryRunner.connection.options.type === 'postgres';
    const statements = postgres ? postgresUp : sqliteUp;
    for (const statement of statements) await queryRunner.query(statement);
    if (postgres && (await supportsLz4(queryRunner))) {
      // Rows pass the 2 kB TOAST threshold (the source record alone is 1-2 kB); lz4 compresses several times
      // faster than the default pglz, which shows in import throughput.
      await queryRunner.query(
        'ALTER TABLE recalls ALTER COLUMN source SET COMPRESSION lz4, ALTER COLUMN description SET COMPRESSION lz4, ALTER COLUMN search_text SET COMPRESSION lz4',
      );
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const postgres = queryRunner.connection.options.type === 'postgres';
    const statements = postgres
      ? [
          'DROP TABLE IF EXISTS recall_identifiers',
          'DROP TABLE IF EXISTS recall_words',
          'DROP TABLE IF EXISTS recalls',
          'DROP FUNCTION IF EXISTS recalls_search_sync()',
          'DROP TABLE IF EXISTS search_vocabulary',
        ]
      : [
          'DROP TRIGGER IF EXISTS recalls_fts_insert',
          'DROP TRIGGER IF EXISTS recalls_fts_delete',
          'DROP TRIGGER IF EXISTS recalls_fts_update',
          'DROP TABLE IF EXISTS recalls_fts',
          'DROP TABLE IF EXISTS recall_identifiers',
          'DROP TABLE IF EXISTS recalls',
        ];
    for (const statement of statements) await queryRunner.query(statement);
  }
}

async function supportsLz4(queryRunner: QueryRunner): Promise<boolean> {
  const rows = await queryRunner.query(
    "SELECT 1 FROM pg_settings WHERE name = 'default_toast_compression' AND 'lz4' = ANY(enumvals)",
  );
  return rows.length > 0;
}

const recallColumns = (types: { id: string; date: string; timestamp: string; json: string; document: string; now: string }) => `
  id ${types.id},
  recall_id varchar(120) NOT NULL,
  agency_code varchar(32) NOT NULL,
  title text NOT NULL,
  product_name text,
  brand text,
  manufacturer text,
  description text,
  hazard text,
  hazard_category varchar(40),
  remedy text,
  recall_reason text,
  recall_date ${types.date} NOT NULL,
  last_updated ${types.timestamp},
  country varchar(8),
  affected_countries ${types.json},
  severity varchar(16) NOT NULL,
  risk_category varchar(20) NOT NULL,
  status varchar(8),
  url text,
  image_url text,
  units_affected text,
  search_name text NOT NULL,
  search_text text NOT NULL,
  content_hash varchar(64) NOT NULL,
  source ${types.document} NOT NULL,
  created_at ${types.timestamp} NOT NULL DEFAULT ${types.now},
  updated_at ${types.timestamp} NOT NULL DEFAULT ${types.now},
  CONSTRAINT recalls_recall_id_key UNIQUE (recall_id)`;

// Keyed by what it is (recall, kind, normalised value): no surrogate id to maintain on every import.
const identifierColumns = `
  recall_pk integer NOT NULL REFERENCES recalls(id) ON DELETE CASCADE,
  kind varchar(16) NOT NULL,
  value text NOT NULL,
  normalized varchar(64) NOT NULL,
  position smallint NOT NULL, -- order in the feed record: the first model or barcode listed is the one shown
  recall_date date NOT NULL, -- the recall's, so a common identifier's newest recalls come straight off the index
  CONSTRAINT recall_identifiers_pkey PRIMARY KEY (recall_pk, kind, normalized)`;

const sharedIndexes = [
  'CREATE INDEX recalls_recall_date_idx ON recalls (recall_date DESC, recall_id)',
  'CREATE INDEX recalls_agency_date_idx ON recalls (agency_code, recall_date DESC)',
  'CREATE INDEX recall_identifiers_lookup_idx ON recall_identifiers (kind, normalized, recall_date DESC, recall_pk)',
  // Lookups by recall use the primary key (recall_pk, kind, normalized); no separate recall_pk index.
];

/** The indexes of recall_words. */
const RECALL_WORDS_INDEXES = [
  'CREATE INDEX recall_words_words_idx ON recall_words USING gin (words)',
  // Words shared by a large share of rows ("infant seat") are answered by walking this index newest first.
  'CREATE INDEX recall_words_date_idx ON recall_words (recall_date DESC, recall_pk)',
];

/** The search sync: words through the text search parser, vocabulary kept in SQL. */
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
  `CREATE TABLE recalls (${recallColumns({
    id: 'integer GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY',
    date: 'date',
    timestamp: 'timestamptz',
    json: 'jsonb',
    // The record as received is stored and served, never queried inside: json keeps it as sent, cheaply.
    document: 'json',
    now: 'now()',
  })})`,
  `CREATE TABLE recall_identifiers (${identifierColumns})`,
  ...sharedIndexes,
  // The words of each recall (without positions: matching needs none) in a narrow table of their own:
  // finding the newest rows with some words reads these small rows, not the wide recall rows.
  `CREATE TABLE recall_words (
     recall_pk integer PRIMARY KEY REFERENCES recalls(id) ON DELETE CASCADE,
     recall_date date NOT NULL,
     words tsvector NOT NULL)`,
  ...RECALL_WORDS_INDEXES,
  'CREATE TABLE search_vocabulary (word varchar(64) PRIMARY KEY)',
  'CREATE INDEX search_vocabulary_trgm_idx ON search_vocabulary USING gin (word gin_trgm_ops)',
  SEARCH_SYNC_WITH_VOCABULARY,
  `CREATE TRIGGER recalls_search_insert AFTER INSERT ON recalls
     REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION recalls_search_sync()`,
  `CREATE TRIGGER recalls_search_update AFTER UPDATE ON recalls
     REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION recalls_search_sync()`,
];

const sqliteUp = [
  `CREATE TABLE recalls (${recallColumns({
    id: 'integer PRIMARY KEY AUTOINCREMENT',
    date: 'date',
    timestamp: 'datetime',
    json: 'text',
    document: 'text',
    now: "(strftime('%Y-%m-%d %H:%M:%f', 'now'))",
  })})`,
  `CREATE TABLE recall_identifiers (${identifierColumns})`,
  ...sharedIndexes,
  "CREATE VIRTUAL TABLE recalls_fts USING fts5(search_text, content='recalls', content_rowid='id', tokenize='trigram')",
  `CREATE TRIGGER recalls_fts_insert AFTER INSERT ON recalls BEGIN
     INSERT INTO recalls_fts(rowid, search_text) VALUES (new.id, new.search_text);
   END`,
  `CREATE TRIGGER recalls_fts_delete AFTER DELETE ON recalls BEGIN
     INSERT INTO recalls_fts(recalls_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text);
   END`,
  `CREATE TRIGGER recalls_fts_update AFTER UPDATE OF search_text ON recalls BEGIN
     INSERT INTO recalls_fts(recalls_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text);
     INSERT INTO recalls_fts(rowid, search_text) VALUES (new.id, new.search_text);
   END`,
];
