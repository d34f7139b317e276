import { DataSource } from 'typeorm';
import { SQLITE_DIALECT } from '../../database/sql/sql-dialect';
import { IDENTIFIER_COLUMN_LIST, IDENTIFIER_COLUMNS, IdentifierRow, RECALL_IDENTIFIERS } from '../../database/tables/recall-identifiers.table';
import { RECALL_WRITTEN_COLUMNS, RecallRow, RECALLS } from '../../database/tables/recalls.table';
import { columnList } from '../../database/tables/table';
import type { BulkWrites } from './recall-writer';
import { WriteSession, writeSession } from './write-session';

/** SQLite allows 32,766 parameters per statement; stay well under it. */
const RECALLS_PER_STATEMENT = 500;
const IDENTIFIERS_PER_STATEMENT = 2000;

/** The SQLite connection is one per process: its import transactions queue here, one at a time. */
const queues = new WeakMap<DataSource, Promise<unknown>>();

/** SQLite: one connection, so one batch at a time; new rows by multi-row VALUES. */
export class SqliteBulkWrites implements BulkWrites {
  readonly concurrentBatches = 1;

  /**
   * SQLite takes the write lock at BEGIN (IMMEDIATE): a second process writing the same file waits for it (busy
   * timeout) instead of failing when its read turns into a write.
   */
  transaction<T>(dataSource: DataSource, work: (session: WriteSession) => Promise<T>): Promise<T> {
    const previous = queues.get(dataSource) ?? Promise.resolve();
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
    queues.set(dataSource, run);
    return run;
  }

  async beginBatch(): Promise<void> {}

  async insertRecalls(session: WriteSession, rows: RecallRow[]): Promise<Array<{ id: number; recall_id: string }>> {
    const inserted: Array<{ id: number; recall_id: string }> = [];
    for (let start = 0; start < rows.length; start += RECALLS_PER_STATEMENT) {
      const parameters = SQLITE_DIALECT.parameters();
      const values = rows
        .slice(start, start + RECALLS_PER_STATEMENT)
        .map((row) => `(${RECALL_WRITTEN_COLUMNS.map((column) => parameters.add(row[column])).join(', ')})`);
      const result = await session.query<{ id: number; recall_id: string }>(
        `INSERT INTO ${RECALLS.name} (${columnList(RECALL_WRITTEN_COLUMNS)}) VALUES ${values.join(', ')} RETURNING id, recall_id`,
        parameters.values,
      );
      inserted.push(...result.map((row) => ({ id: Number(row.id), recall_id: row.recall_id })));
    }
    return inserted;
  }

  async insertIdentifiers(session: WriteSession, rows: IdentifierRow[]): Promise<void> {
    for (let start = 0; start < rows.length; start += IDENTIFIERS_PER_STATEMENT) {
      const parameters = SQLITE_DIALECT.parameters();
      const values = rows
        .slice(start, start + IDENTIFIERS_PER_STATEMENT)
        .map((row) => `(${IDENTIFIER_COLUMNS.map((column) => parameters.add(row[column])).join(', ')})`);
      await session.query(`INSERT INTO ${RECALL_IDENTIFIERS.name} (${IDENTIFIER_COLUMN_LIST}) VALUES ${values.join(', ')}`, parameters.values);
    }
  }

  /** No vocabulary: spelling is corrected through the FTS5 trigram index. */
  async insertVocabulary(): Promise<string[]> {
    return [];
  }
}
