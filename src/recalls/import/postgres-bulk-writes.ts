import { DataSource } from 'typeorm';
import { IDENTIFIER_COLUMN_LIST, IDENTIFIER_COLUMNS, IdentifierRow, RECALL_IDENTIFIERS } from '../../database/tables/recall-identifiers.table';
import { RECALL_WRITTEN_COLUMNS, RecallRow, RECALLS } from '../../database/tables/recalls.table';
import { columnList } from '../../database/tables/table';
import { SEARCH_VOCABULARY } from '../../database/tables/search-vocabulary.table';
import { newVocabularyWords } from '../search/vocabulary';
import type { BulkWrites } from './recall-writer';
import { WriteSession, writeSession } from './write-session';

const NEXT_RECALL_IDS = `SELECT nextval(pg_get_serial_sequence('${RECALLS.name}', 'id')) AS id FROM generate_series(1, $1)`;
const COPY_RECALLS = `COPY ${RECALLS.name} (id, ${columnList(RECALL_WRITTEN_COLUMNS)}) FROM STDIN`;
const COPY_IDENTIFIERS = `COPY ${RECALL_IDENTIFIERS.name} (${IDENTIFIER_COLUMN_LIST}) FROM STDIN`;
const INSERT_VOCABULARY = `INSERT INTO ${SEARCH_VOCABULARY.name} (word) SELECT unnest($1::text[]) ON CONFLICT DO NOTHING`;

/**
 * PostgreSQL: new rows go in by COPY (ids drawn from the sequence first, so identifiers can name their recall),
 * the cheapest way in for both the database and the driver; each batch on its own connection.
 */
export class PostgresBulkWrites implements BulkWrites {
  readonly concurrentBatches = 3;

  transaction<T>(dataSource: DataSource, work: (session: WriteSession) => Promise<T>): Promise<T> {
    return dataSource.transaction((manager) => work(writeSession(manager.queryRunner!)));
  }

  /**
   * The commit does not wait for the WAL flush. A crash can lose the last batches written (never half a batch);
   * the import is idempotent, so running it again restores them.
   */
  async beginBatch(session: WriteSession): Promise<void> {
    await session.query('SET LOCAL synchronous_commit = off', []);
  }

  async insertRecalls(session: WriteSession, rows: RecallRow[]): Promise<Array<{ id: number; recall_id: string }>> {
    const ids = (await session.query<{ id: string }>(NEXT_RECALL_IDS, [rows.length])).map((row) => Number(row.id));
    await session.copyIn(COPY_RECALLS, copyRows(rows.map((row, index) => [ids[index], ...RECALL_WRITTEN_COLUMNS.map((column) => row[column])])));
    return rows.map((row, index) => ({ id: ids[index], recall_id: row.recall_id }));
  }

  async insertIdentifiers(session: WriteSession, rows: IdentifierRow[]): Promise<void> {
    await session.copyIn(COPY_IDENTIFIERS, copyRows(rows.map((row) => IDENTIFIER_COLUMNS.map((column) => row[column]))));
  }

  /** See newVocabularyWords. */
  async insertVocabulary(session: WriteSession, searchTexts: string[], known: ReadonlySet<string>): Promise<string[]> {
    const words = newVocabularyWords(searchTexts, new Set(), known);
    if (words.length > 0) await session.query(INSERT_VOCABULARY, [words]);
    return words;
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
