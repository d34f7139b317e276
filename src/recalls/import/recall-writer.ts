import { DataSource } from 'typeorm';
import { SqlDialect } from '../../database/sql/sql-dialect';
import { IdentifierRow, RECALL_IDENTIFIERS } from '../../database/tables/recall-identifiers.table';
import { RECALL_WRITTEN_COLUMNS, RecallRow, RECALLS, StoredRecallState } from '../../database/tables/recalls.table';
import { PostgresBulkWrites } from './postgres-bulk-writes';
import { SqliteBulkWrites } from './sqlite-bulk-writes';
import type { WriteSession } from './write-session';

export type { WriteSession } from './write-session';

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

/** Writes of one batch that collided with another writer; each try reads the stored state afresh. */
const MAX_WRITE_TRIES = 5;

/**
 * Writes a batch (`write`: one transaction, counting what it did once committed). A write another writer got in
 * the way of is tried again; one the database refuses for some item's values is split in halves, down to the
 * single items it cannot hold, which go to `refuse`. A failure that is not about the items (the database went
 * away, the disk is full) is thrown as it came.
 */
export async function writeInHalves<T>(items: readonly T[], write: (items: readonly T[]) => Promise<void>, refuse: (item: T, failure: Error) => void): Promise<void> {
  for (let tries = 1; ; tries += 1) {
    let failure: unknown;
    try {
      await write(items);
      return;
    } catch (error) {
      failure = error;
    }
    const kind = classifyWriteFailure(failure);
    if (kind === 'retry' && tries < MAX_WRITE_TRIES) {
      await new Promise((resolve) => setTimeout(resolve, 20 * tries * Math.random()));
      continue;
    }
    if (kind !== 'record') throw failure;
    if (items.length === 1) {
      refuse(items[0], failure as Error);
      return;
    }
    const half = Math.ceil(items.length / 2);
    await writeInHalves(items.slice(0, half), write, refuse);
    await writeInHalves(items.slice(half), write, refuse);
    return;
  }
}

/** Where the import's writes differ by database: transactions, bulk inserts, the spelling vocabulary. */
export interface BulkWrites {
  /** Batches written at once. */
  readonly concurrentBatches: number;
  /** Runs one batch in a transaction of its own. */
  transaction<T>(dataSource: DataSource, work: (session: WriteSession) => Promise<T>): Promise<T>;
  /** Settings of a batch's transaction, before its first write. */
  beginBatch(session: WriteSession): Promise<void>;
  /** Inserts recalls and returns their new ids. */
  insertRecalls(session: WriteSession, rows: RecallRow[]): Promise<Array<{ id: number; recall_id: string }>>;
  insertIdentifiers(session: WriteSession, rows: IdentifierRow[]): Promise<void>;
  /**
   * Adds the words of written search texts to the spelling vocabulary, those `known` does not hold, and returns
   * them: they are known once the batch commits.
   */
  insertVocabulary(session: WriteSession, searchTexts: string[], known: ReadonlySet<string>): Promise<string[]>;
}

/** Writes the importers' rows (feed imports and db:transfer): statements both databases share, bulk writes per database. */
export class RecallWriter {
  private readonly bulk: BulkWrites;
  readonly concurrentBatches: number;

  constructor(private readonly dialect: SqlDialect) {
    this.bulk = dialect.name === 'postgres' ? new PostgresBulkWrites() : new SqliteBulkWrites();
    this.concurrentBatches = this.bulk.concurrentBatches;
  }

  transaction<T>(dataSource: DataSource, work: (session: WriteSession) => Promise<T>): Promise<T> {
    return this.bulk.transaction(dataSource, work);
  }

  beginBatch(session: WriteSession): Promise<void> {
    return this.bulk.beginBatch(session);
  }

  async findExisting(session: WriteSession, recallIds: string[]): Promise<StoredRecallState[]> {
    const parameters = this.dialect.parameters();
    return session.query<StoredRecallState>(
      `SELECT id, recall_id, content_hash, last_updated FROM ${RECALLS.name} WHERE ${this.dialect.inList('recall_id', recallIds, parameters)}`,
      parameters.values,
    );
  }

  /** Inserts recalls and returns their new ids. */
  insert(session: WriteSession, rows: RecallRow[]): Promise<Array<{ id: number; recall_id: string }>> {
    return this.bulk.insertRecalls(session, rows);
  }

  /**
   * Updates a stored recall as it was read (same content hash); when another import has changed it since, nothing
   * is written and ConcurrentChangeError sends the batch round again, to decide on what is stored now.
   */
  async update(session: WriteSession, stored: StoredRecallState, row: RecallRow, now: string): Promise<void> {
    const parameters = this.dialect.parameters();
    const assign = (column: keyof typeof RECALLS.columns, value: unknown) =>
      `${column} = ${this.dialect.cast(parameters.add(value), RECALLS.columns[column].type)}`;
    const assignments = RECALL_WRITTEN_COLUMNS.map((column) => assign(column, row[column]));
    assignments.push(assign('updated_at', now));
    const changed = await session.execute(
      `UPDATE ${RECALLS.name} SET ${assignments.join(', ')} WHERE id = ${parameters.add(stored.id)} AND content_hash = ${parameters.add(stored.content_hash)}`,
      parameters.values,
    );
    if (changed !== 1) throw new ConcurrentChangeError(stored.recall_id);
  }

  /** See BulkWrites.insertVocabulary; SQLite corrects spelling through its FTS5 trigram index and keeps none. */
  insertVocabulary(session: WriteSession, searchTexts: string[], known: ReadonlySet<string>): Promise<string[]> {
    return this.bulk.insertVocabulary(session, searchTexts, known);
  }

  async deleteIdentifiers(session: WriteSession, recallPks: number[]): Promise<void> {
    if (recallPks.length === 0) return;
    const parameters = this.dialect.parameters();
    await session.query(`DELETE FROM ${RECALL_IDENTIFIERS.name} WHERE ${this.dialect.inList('recall_pk', recallPks, parameters)}`, parameters.values);
  }

  async insertIdentifiers(session: WriteSession, rows: IdentifierRow[]): Promise<void> {
    if (rows.length > 0) await this.bulk.insertIdentifiers(session, rows);
  }
}
