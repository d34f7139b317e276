import { DialectName, SqlParameters } from '../search/search-dialect';

type Run = (sql: string, parameters: unknown[]) => Promise<Array<Record<string, any>>>;

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

const POSTGRES_CASTS: Partial<Record<(typeof RECALL_COLUMNS)[number], string>> = {
  recall_date: 'date',
  last_updated: 'timestamptz',
  affected_countries: 'jsonb',
  source: 'json',
};
const IDENTIFIER_COLUMNS = ['recall_pk', 'kind', 'value', 'normalized', 'position', 'recall_date'] as const;
const INTEGER_COLUMNS: ReadonlySet<string> = new Set(['recall_pk', 'position']);
/** SQLite allows 32,766 parameters per statement; stay well under it. */
const SQLITE_ROWS_PER_STATEMENT = 500;

/**
 * The import's write statements, per dialect: PostgreSQL binds one array per column (unnest), so a batch is
 * one short statement whatever its size; SQLite gets multi-row VALUES.
 */
export class RecallWriter {
  /** Batches written at once: PostgreSQL takes each on its own connection; SQLite has one connection. */
  readonly concurrentBatches: number;

  constructor(private readonly dialect: DialectName) {
    this.concurrentBatches = dialect === 'postgres' ? 2 : 1;
  }

  /**
   * Per batch transaction: on PostgreSQL the commit does not wait for the WAL flush. A crash can lose the last
   * batches written (never half a batch); the import is idempotent, so running it again restores them.
   */
  async beginBatch(run: Run): Promise<void> {
    if (this.dialect === 'postgres') await run('SET LOCAL synchronous_commit = off', []);
  }

  async findExisting(run: Run, recallIds: string[]): Promise<StoredRecallState[]> {
    const parameters = new SqlParameters(this.dialect);
    const condition =
      this.dialect === 'postgres'
        ? `recall_id = ANY(${parameters.add(recallIds)})`
        : `recall_id IN (${recallIds.map((id) => parameters.add(id)).join(', ')})`;
    return (await run(`SELECT id, recall_id, content_hash, last_updated FROM recalls WHERE ${condition}`, parameters.values)) as StoredRecallState[];
  }

  /** Inserts recalls and returns their new ids. */
  async insert(run: Run, rows: RecallRow[]): Promise<Array<{ id: number; recall_id: string }>> {
    const columns = RECALL_COLUMNS.join(', ');
    if (this.dialect === 'postgres') {
      const parameters = new SqlParameters('postgres');
      const arrays = RECALL_COLUMNS.map((column) => `${parameters.add(rows.map((row) => row[column]))}::text[]`);
      const casts = RECALL_COLUMNS.map((column) => (POSTGRES_CASTS[column] ? `u.${column}::${POSTGRES_CASTS[column]}` : `u.${column}`));
      const inserted = await run(
        `INSERT INTO recalls (${columns}) SELECT ${casts.join(', ')} FROM unnest(${arrays.join(', ')}) AS u(${columns}) RETURNING id, recall_id`,
        parameters.values,
      );
      return inserted.map((row) => ({ id: Number(row.id), recall_id: row.recall_id }));
    }
    const inserted: Array<{ id: number; recall_id: string }> = [];
    for (let start = 0; start < rows.length; start += SQLITE_ROWS_PER_STATEMENT) {
      const parameters = new SqlParameters('sqlite');
      const values = rows
        .slice(start, start + SQLITE_ROWS_PER_STATEMENT)
        .map((row) => `(${RECALL_COLUMNS.map((column) => parameters.add(row[column])).join(', ')})`);
      const result = await run(`INSERT INTO recalls (${columns}) VALUES ${values.join(', ')} RETURNING id, recall_id`, parameters.values);
      inserted.push(...result.map((row) => ({ id: Number(row.id), recall_id: row.recall_id })));
    }
    return inserted;
  }

  async update(run: Run, id: number, row: RecallRow, now: string): Promise<void> {
    const parameters = new SqlParameters(this.dialect);
    const cast = (column: (typeof RECALL_COLUMNS)[number]) =>
      this.dialect === 'postgres' && POSTGRES_CASTS[column] ? `::${POSTGRES_CASTS[column]}` : '';
    const assignments = RECALL_COLUMNS.map((column) => `${column} = ${parameters.add(row[column])}${cast(column)}`);
    assignments.push(`updated_at = ${parameters.add(now)}${this.dialect === 'postgres' ? '::timestamptz' : ''}`);
    await run(`UPDATE recalls SET ${assignments.join(', ')} WHERE id = ${parameters.add(id)}`, parameters.values);
  }

  async deleteIdentifiers(run: Run, recallPks: number[]): Promise<void> {
    if (recallPks.length === 0) return;
    const parameters = new SqlParameters(this.dialect);
    const condition =
      this.dialect === 'postgres'
        ? `recall_pk = ANY(${parameters.add(recallPks)})`
        : `recall_pk IN (${recallPks.map((id) => parameters.add(id)).join(', ')})`;
    await run(`DELETE FROM recall_identifiers WHERE ${condition}`, parameters.values);
  }

  async insertIdentifiers(run: Run, rows: IdentifierRow[]): Promise<void> {
    if (rows.length === 0) return;
    const columns = IDENTIFIER_COLUMNS.join(', ');
    if (this.dialect === 'postgres') {
      const parameters = new SqlParameters('postgres');
      const arrays = IDENTIFIER_COLUMNS.map((column) => `${parameters.add(rows.map((row) => row[column]))}::${INTEGER_COLUMNS.has(column) ? 'int' : column === 'recall_date' ? 'date' : 'text'}[]`);
      await run(`INSERT INTO recall_identifiers (${columns}) SELECT * FROM unnest(${arrays.join(', ')})`, parameters.values);
      return;
    }
    for (let start = 0; start < rows.length; start += SQLITE_ROWS_PER_STATEMENT * 4) {
      const parameters = new SqlParameters('sqlite');
      const values = rows
        .slice(start, start + SQLITE_ROWS_PER_STATEMENT * 4)
        .map((row) => `(${IDENTIFIER_COLUMNS.map((column) => parameters.add(row[column])).join(', ')})`);
      await run(`INSERT INTO recall_identifiers (${columns}) VALUES ${values.join(', ')}`, parameters.values);
    }
  }
}
