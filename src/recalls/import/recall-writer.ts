import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { DataSource, QueryRunner } from 'typeorm';
import { DialectName, SqlParameters } from '../search/search-dialect';
import { newVocabularyWords } from '../search/vocabulary';

/** What a batch's writes go through: its transaction's connection. */
export interface WriteSession {
  query(sql: string, parameters: unknown[]): Promise<Array<Record<string, any>>>;
  /** Runs a statement and returns how many rows it changed. */
  execute(sql: string, parameters: unknown[]): Promise<number>;
  /** PostgreSQL COPY ... FROM STDIN of these rows (see copyRows). */
  copyIn(sql: string, rows: Buffer): Promise<void>;
}

/** The session of a transaction's query runner. */
export function writeSession(runner: QueryRunner): WriteSession {
  return {
    query: (sql, parameters) => runner.query(sql, parameters),
    execute: async (sql, parameters) => (await runner.query(sql, parameters, true)).affected ?? 0,
    copyIn: async (sql, rows) => {
      const client = (await runner.connect()) as PoolClient;
      await pipeline(Readable.from([rows]), client.query(copyFrom(sql)));
    },
  };
}

/**
 * How a failed batch write is handled: `record` when the database refused a value of some record (PostgreSQL data
 * and integrity errors, SQLite constraint errors), so smaller pieces of the batch can still be written; `retry`
 * when another writer got in the way (a concurrent insert of the same recall, a deadlock, a busy SQLite file), so
 * the batch is written again from a fresh read; `infrastructure` for everything else (connection lost, server
 * shutting down, disk full, read-only or corrupt file), which stops the import.
 */
export type WriteFailure = 'record' | 'retry' | 'infrastructure';

const RETRY_SQLSTATES = new Set(['23505', '40001', '40P01']);
/** 22xxx data exceptions, 23xxx integrity violations, 54000 a value past an implementation limit (tsvector, index row). */
const RECORD_SQLSTATE = /^(22|23)...$|^54000$/;
const RECORD_SQLITE_CODES = /^SQLITE_(CONSTRAINT|TOOBIG|MISMATCH)/;
const RETRY_SQLITE_CODES = /^SQLITE_(BUSY|LOCKED)/;

export function classifyWriteFailure(error: unknown): WriteFailure {
  if (error instanceof ConcurrentChangeError) return 'retry';
  const failure = error as { code?: unknown; driverError?: { code?: unknown } };
  const code = [failure?.driverError?.code, failure?.code].find((candidate): candidate is string => typeof candidate === 'string');
  if (!code) return 'infrastructure';
  if (RETRY_SQLSTATES.has(code) || RETRY_SQLITE_CODES.test(code)) return 'retry';
  if (RECORD_SQLSTATE.test(code) || RECORD_SQLITE_CODES.test(code)) return 'record';
  return 'infrastructure';
}

/** A stored recall changed between this batch's read and its write (another import wrote it). */
export class ConcurrentChangeError extends Error {
  constructor(recallId: string) {
    super(`${recallId} was changed by another import while this batch was written`);
    this.name = 'ConcurrentChangeError';
  }
}

/** The SQLite connection is one per process: its import transactions queue here, one at a time. */
const sqliteQueues = new WeakMap<DataSource, Promise<unknown>>();

/** A recall ready to bind: column name -> value (JSON columns as JSON text, times as ISO strings). */
export type RecallRow = Record<(typeof RECALL_COLUMNS)[number], string | null>;

export interface StoredRecallState {
  id: number;
  recall_id: string;
  content_hash: string;
  last_updated: unknown;
}

export interface IdentifierRow {
  recall_pk: number;
  kind: string;
  value: string;
  normalized: string;
  position: number;
  recall_date: string;
}

export const RECALL_COLUMNS = [
  'recall_id', 'agency_code', 'title', 'product_name', 'brand', 'manufacturer', 'description', 'hazard',
  'hazard_category', 'remedy', 'recall_reason', 'recall_date', 'last_updated', 'country', 'affected_countries',
  'severity', 'risk_category', 'status', 'url', 'image_url', 'units_affected', 'search_name', 'search_text',
  'content_hash', 'source',
] as const;

/** Casts for bound parameters (UPDATE); COPY converts from text by the column types. */
const POSTGRES_CASTS: Partial<Record<(typeof RECALL_COLUMNS)[number], string>> = {
  recall_date: 'date',
  last_updated: 'timestamptz',
  affected_countries: 'jsonb',
  source: 'json',
};
const IDENTIFIER_COLUMNS = ['recall_pk', 'kind', 'value', 'normalized', 'position', 'recall_date'] as const;
const NEXT_RECALL_IDS = "SELECT nextval(pg_get_serial_sequence('recalls', 'id')) AS id FROM generate_series(1, $1)";
/** SQLite allows 32,766 parameters per statement; stay well under it. */
const SQLITE_ROWS_PER_STATEMENT = 500;

/**
 * The import's write statements, per dialect: PostgreSQL takes new rows by COPY (ids drawn from the sequence
 * first, so identifiers can name their recall), the cheapest way in for both the database and the driver;
 * SQLite gets multi-row VALUES.
 */
export class RecallWriter {
  /** Batches written at once: PostgreSQL takes each on its own connection; SQLite has one connection. */
  readonly concurrentBatches: number;

  constructor(private readonly dialect: DialectName) {
    this.concurrentBatches = dialect === 'postgres' ? 3 : 1;
  }

  /**
   * Per batch transaction: on PostgreSQL the commit does not wait for the WAL flush. A crash can lose the last
   * batches written (never half a batch); the import is idempotent, so running it again restores them.
   */
  async beginBatch(session: WriteSession): Promise<void> {
    if (this.dialect === 'postgres') await session.query('SET LOCAL synchronous_commit = off', []);
  }

  /**
   * Runs one batch in a transaction of its own. SQLite takes the write lock at BEGIN (IMMEDIATE): a second process
   * writing the same file waits for it (busy timeout) instead of failing when its read turns into a write.
   */
  async transaction<T>(dataSource: DataSource, work: (session: WriteSession) => Promise<T>): Promise<T> {
    if (this.dialect === 'postgres') return dataSource.transaction((manager) => work(writeSession(manager.queryRunner!)));
    const previous = sqliteQueues.get(dataSource) ?? Promise.resolve();
    const run = previous.catch(() => undefined).then(async () => {
      const runner = dataSource.createQueryRunner();
      await runner.query('BEGIN IMMEDIATE');
      try {
        const result = await work(writeSession(runner));
        await runner.query('COMMIT');
        return result;
      } catch (error) {
        await runner.query('ROLLBACK').catch(() => undefined); // some errors (SQLITE_FULL) have rolled it back already
        throw error;
      }
    });
    sqliteQueues.set(dataSource, run);
    return run;
  }

  async findExisting(session: WriteSession, recallIds: string[]): Promise<StoredRecallState[]> {
    const parameters = new SqlParameters(this.dialect);
    const condition =
      this.dialect === 'postgres'
        ? `recall_id = ANY(${parameters.add(recallIds)})`
        : `recall_id IN (${recallIds.map((id) => parameters.add(id)).join(', ')})`;
    return (await session.query(`SELECT id, recall_id, content_hash, last_updated FROM recalls WHERE ${condition}`, parameters.values)) as StoredRecallState[];
  }

  /** Inserts recalls and returns their new ids. */
  async insert(session: WriteSession, rows: RecallRow[]): Promise<Array<{ id: number; recall_id: string }>> {
    const columns = RECALL_COLUMNS.join(', ');
    if (this.dialect === 'postgres') {
      const ids = (await session.query(NEXT_RECALL_IDS, [rows.length])).map((row) => Number(row.id));
      await session.copyIn(
        `COPY recalls (id, ${columns}) FROM STDIN`,
        copyRows(rows.map((row, index) => [ids[index], ...RECALL_COLUMNS.map((column) => row[column])])),
      );
      return rows.map((row, index) => ({ id: ids[index], recall_id: row.recall_id! }));
    }
    const inserted: Array<{ id: number; recall_id: string }> = [];
    for (let start = 0; start < rows.length; start += SQLITE_ROWS_PER_STATEMENT) {
      const parameters = new SqlParameters('sqlite');
      const values = rows
        .slice(start, start + SQLITE_ROWS_PER_STATEMENT)
        .map((row) => `(${RECALL_COLUMNS.map((column) => parameters.add(row[column])).join(', ')})`);
      const result = await session.query(`INSERT INTO recalls (${columns}) VALUES ${values.join(', ')} RETURNING id, recall_id`, parameters.values);
      inserted.push(...result.map((row) => ({ id: Number(row.id), recall_id: row.recall_id })));
    }
    return inserted;
  }

  /**
   * Updates a stored recall as it was read (same content hash); when another import has changed it since, nothing
   * is written and ConcurrentChangeError sends the batch round again, to decide on what is stored now.
   */
  async update(session: WriteSession, stored: StoredRecallState, row: RecallRow, now: string): Promise<void> {
    const parameters = new SqlParameters(this.dialect);
    const cast = (column: (typeof RECALL_COLUMNS)[number]) =>
      this.dialect === 'postgres' && POSTGRES_CASTS[column] ? `::${POSTGRES_CASTS[column]}` : '';
    const assignments = RECALL_COLUMNS.map((column) => `${column} = ${parameters.add(row[column])}${cast(column)}`);
    assignments.push(`updated_at = ${parameters.add(now)}${this.dialect === 'postgres' ? '::timestamptz' : ''}`);
    const changed = await session.execute(
      `UPDATE recalls SET ${assignments.join(', ')} WHERE id = ${parameters.add(stored.id)} AND content_hash = ${parameters.add(stored.content_hash)}`,
      parameters.values,
    );
    if (changed !== 1) throw new ConcurrentChangeError(stored.recall_id);
  }

  /**
   * Adds the words of written search texts to the PostgreSQL spelling vocabulary, those `known` does not hold
   * (see newVocabularyWords), and returns them: they are known once the batch commits. SQLite corrects spelling
   * through its FTS5 trigram index and keeps no vocabulary.
   */
  async insertVocabulary(session: WriteSession, searchTexts: string[], known: ReadonlySet<string>): Promise<string[]> {
    if (this.dialect !== 'postgres') return [];
    const words = newVocabularyWords(searchTexts, new Set(), known);
    if (words.length > 0) await session.query('INSERT INTO search_vocabulary (word) SELECT unnest($1::text[]) ON CONFLICT DO NOTHING', [words]);
    return words;
  }

  async deleteIdentifiers(session: WriteSession, recallPks: number[]): Promise<void> {
    if (recallPks.length === 0) return;
    const parameters = new SqlParameters(this.dialect);
    const condition =
      this.dialect === 'postgres'
        ? `recall_pk = ANY(${parameters.add(recallPks)})`
        : `recall_pk IN (${recallPks.map((id) => parameters.add(id)).join(', ')})`;
    await session.query(`DELETE FROM recall_identifiers WHERE ${condition}`, parameters.values);
  }

  async insertIdentifiers(session: WriteSession, rows: IdentifierRow[]): Promise<void> {
    if (rows.length === 0) return;
    const columns = IDENTIFIER_COLUMNS.join(', ');
    if (this.dialect === 'postgres') {
      await session.copyIn(`COPY recall_identifiers (${columns}) FROM STDIN`, copyRows(rows.map((row) => IDENTIFIER_COLUMNS.map((column) => row[column]))));
      return;
    }
    for (let start = 0; start < rows.length; start += SQLITE_ROWS_PER_STATEMENT * 4) {
      const parameters = new SqlParameters('sqlite');
      const values = rows
        .slice(start, start + SQLITE_ROWS_PER_STATEMENT * 4)
        .map((row) => `(${IDENTIFIER_COLUMNS.map((column) => parameters.add(row[column])).join(', ')})`);
      await session.query(`INSERT INTO recall_identifiers (${columns}) VALUES ${values.join(', ')}`, parameters.values);
    }
  }
}

const COPY_SPECIAL = /[\\\n\r\t]/;
const COPY_SPECIALS = /[\\\n\r\t]/g;
const TAB = 0x09;
const NEWLINE = 0x0a;
// NUL characters never get here: records are made storable (storableRecord) before either database sees them.
const COPY_ESCAPES: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * Rows in COPY's text format (tab-separated, \N for NULL, backslash escapes for what would break a field),
 * written field by field into one buffer: building one long string first and then encoding it cost several
 * times more (the string is a rope of thousands of pieces, flattened and encoded in extra passes).
 */
export function copyRows(rows: ReadonlyArray<ReadonlyArray<string | number | null>>): Buffer {
  let buffer = Buffer.allocUnsafe(Math.max(64 * 1024, rows.length * 4096));
  let length = 0;
  const append = (text: string, separator: number) => {
    // UTF-8 takes at most 3 bytes per UTF-16 code unit; one more for the separator.
    if (length + text.length * 3 + 1 > buffer.length) {
      const grown = Buffer.allocUnsafe(Math.max(buffer.length * 2, length + text.length * 3 + 1));
      buffer.copy(grown, 0, 0, length);
      buffer = grown;
    }
    length += buffer.write(text, length);
    buffer[length++] = separator;
  };
  for (const row of rows) {
    for (let i = 0; i < row.length; i += 1) {
      const value = row[i];
      append(
        value === null
          ? '\\N'
          : typeof value === 'number'
            ? String(value)
            : COPY_SPECIAL.test(value)
              ? value.replace(COPY_SPECIALS, (special) => COPY_ESCAPES[special])
              : value,
        i === row.length - 1 ? NEWLINE : TAB,
      );
    }
  }
  return buffer.subarray(0, length);
}
