import type Database from 'better-sqlite3';
import { Client, types as pgTypes } from 'pg';
import { parseDatabaseUrl, redactDatabaseUrl } from '../../config/database-url';
import { DialectName } from '../sql/sql-dialect';
import { postgresClientConfig, PostgresTarget } from '../postgres-server';

export type Row = Record<string, unknown>;

const DATE_OID = 1082;
const CURSOR = 'transfer_rows';

/** The database cannot be opened or stopped answering; the message names it without its password. */
export class TransferDatabaseError extends Error {}

/**
 * A database the transfer reads: the source, and the target when it is verified. Reads stream in the order asked
 * for (SQLite: a statement iterated; PostgreSQL: a cursor in one read-only snapshot), so memory stays bounded
 * whatever the table's size. This is the one place the transfer's reads differ by dialect.
 */
export interface TransferDatabase {
  readonly dialect: DialectName;
  /** The URL as given, password hidden. */
  readonly name: string;
  tableNames(): Promise<Set<string>>;
  columnNames(table: string): Promise<string[]>;
  query(sql: string): Promise<Row[]>;
  /** The rows of a query, `size` at a time. */
  batches(sql: string, size: number): AsyncGenerator<Row[]>;
  /** ORDER BY expression sorting text by code point (UTF-8 byte order), the same on both databases. */
  byteOrder(column: string): string;
  close(): Promise<void>;
}

export async function openTransferDatabase(url: string, option: string): Promise<TransferDatabase> {
  const target = parseDatabaseUrl(url, option);
  const name = redactDatabaseUrl(url);
  return target.type === 'sqlite' ? openSqlite(target.path, name) : openPostgres(target, name);
}

function openSqlite(path: string, name: string): TransferDatabase {
  let db: Database.Database;
  try {
    db = new (sqliteDriver())(path, { readonly: true, fileMustExist: true });
    db.pragma('schema_version'); // opening is lazy: make SQLite read the file now
  } catch (error) {
    throw new TransferDatabaseError(`cannot open ${name}: ${(error as Error).message}`);
  }
  const all = (sql: string) => db.prepare(sql).all() as Row[];
  return {
    dialect: 'sqlite',
    name,
    tableNames: async () => new Set(all("SELECT name FROM sqlite_master WHERE type = 'table'").map((row) => String(row.name))),
    columnNames: async (table) => all(`SELECT name FROM pragma_table_info('${table.replace(/'/g, "''")}')`).map((row) => String(row.name)),
    query: async (sql) => all(sql),
    async *batches(sql, size) {
      let batch: Row[] = [];
      for (const row of db.prepare(sql).iterate() as IterableIterator<Row>) {
        batch.push(row);
        if (batch.length >= size) {
          yield batch;
          batch = [];
        }
      }
      if (batch.length > 0) yield batch;
    },
    byteOrder: (column) => column, // SQLite's BINARY collation compares UTF-8 bytes
    close: async () => {
      db.close();
    },
  };
}

async function openPostgres(target: PostgresTarget, name: string): Promise<TransferDatabase> {
  const client = new Client({
    ...postgresClientConfig(target),
    application_name: 'babyshield-db-transfer',
    // Calendar dates stay 'YYYY-MM-DD' text, as the service reads them, instead of Dates in the process time zone.
    types: { getTypeParser: ((oid: number, format?: 'text' | 'binary') => (oid === DATE_OID ? (value: string) => value : pgTypes.getTypeParser(oid, format))) as typeof pgTypes.getTypeParser },
  });
  client.on('error', () => undefined); // a lost connection fails the running query, which says so
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => undefined);
    throw new TransferDatabaseError(`cannot connect to ${name}: ${(error as Error).message}`);
  }
  const all = async (sql: string, parameters: unknown[] = []) => (await client.query(sql, parameters)).rows as Row[];
  return {
    dialect: 'postgres',
    name,
    tableNames: async () =>
      new Set((await all("SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()")).map((row) => String(row.table_name))),
    columnNames: async (table) =>
      (await all('SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position', [table])).map(
        (row) => String(row.column_name),
      ),
    query: (sql) => all(sql),
    async *batches(sql, size) {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      try {
        await client.query(`DECLARE ${CURSOR} NO SCROLL CURSOR FOR ${sql}`);
        for (;;) {
          const rows = (await client.query(`FETCH ${size} FROM ${CURSOR}`)).rows as Row[];
          if (rows.length === 0) break;
          yield rows;
          if (rows.length < size) break;
        }
      } finally {
        await client.query('ROLLBACK').catch(() => undefined);
      }
    },
    byteOrder: (column) => `${column} COLLATE "C"`,
    close: () => client.end().catch(() => undefined),
  };
}

/** better-sqlite3 is an optional dependency (the production image has none): loaded when a SQLite URL is given. */
function sqliteDriver(): typeof Database {
  try {
    return require('better-sqlite3') as typeof Database;
  } catch (error) {
    if ((error as { code?: unknown })?.code !== 'MODULE_NOT_FOUND') throw error;
    throw new TransferDatabaseError('the SQLite driver (better-sqlite3, an optional dependency) is not installed: run the transfer from a checkout after npm ci');
  }
}

/** Code point order (UTF-8 byte order), as byteOrder() sorts: JS `<` compares UTF-16 units, which differs past U+FFFF. */
export function compareByteOrder(a: string, b: string): number {
  if (!SURROGATE.test(a) && !SURROGATE.test(b)) return a < b ? -1 : a > b ? 1 : 0;
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}
const SURROGATE = /[\uD800-\uDFFF]/;
