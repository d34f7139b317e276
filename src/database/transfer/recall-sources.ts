import { RecordRejectedError } from '../../recalls/domain/recall-record';
import { storableRecord } from '../../recalls/domain/storable-record';
import { recallRowFor } from '../../recalls/import/recall-importer';
import { IdentifierRow, RECALL_IDENTIFIERS } from '../tables/recall-identifiers.table';
import { RECALL_WRITTEN_COLUMNS, RecallRow, RECALLS } from '../tables/recalls.table';
import { LEGACY_TABLE, LegacyRow, mapLegacyRecall } from './legacy-recall.mapper';
import { compareByteOrder, Row, TransferDatabase } from './transfer-database';

/** A recall ready for the target: its row as the writer binds it and its identifiers. */
export interface TransferItem {
  row: RecallRow;
  identifiers: Array<Omit<IdentifierRow, 'recall_pk' | 'recall_date'>>;
}

/** A source row that does not become a recall, with why. */
export interface TransferRejection {
  recallId?: string;
  /** Where it is in the source when the recall id cannot say (the legacy table's surrogate id). */
  rowId?: string;
  reason: string;
}

export interface SourceBatch {
  items: TransferItem[];
  rejected: TransferRejection[];
  /** Source rows read for this batch. */
  read: number;
  /** Rows that shared their recall id with another row of the batch and were left out (the legacy table). */
  duplicates: number;
}

/** Where the recalls come from, in recall id order (code point order on both databases). */
export interface RecallSource {
  readonly kind: 'ours' | 'legacy';
  /** Source rows to read (for progress). */
  rowCount(): Promise<number>;
  batches(size: number): AsyncGenerator<SourceBatch>;
}

/** This service's own tables: rows are copied as stored (content hash, search text and source included). */
export function ourRecalls(database: TransferDatabase): RecallSource {
  const postgres = database.dialect === 'postgres';
  // JSON columns as their text, as the writer binds them (the pg driver would parse them).
  const columns = RECALL_WRITTEN_COLUMNS.map((column) =>
    postgres && ['json', 'jsonb'].includes(RECALLS.columns[column].type) ? `r.${column}::text AS ${column}` : `r.${column}`,
  );
  const identifiers = postgres
    ? `(SELECT coalesce(json_agg(json_build_array(i.kind, i.value, i.normalized, i.position) ORDER BY i.position), '[]')::text
        FROM ${RECALL_IDENTIFIERS.name} i WHERE i.recall_pk = r.id)`
    : `(SELECT json_group_array(json_array(i.kind, i.value, i.normalized, i.position) ORDER BY i.position)
        FROM ${RECALL_IDENTIFIERS.name} i WHERE i.recall_pk = r.id)`;
  const sql = `SELECT ${columns.join(', ')}, ${identifiers} AS identifiers FROM ${RECALLS.name} r ORDER BY ${database.byteOrder('r.recall_id')}`;
  return {
    kind: 'ours',
    rowCount: async () => Number((await database.query('SELECT count(*) AS n FROM recalls'))[0].n),
    async *batches(size) {
      for await (const rows of database.batches(sql, size)) {
        yield { items: rows.map(storedItem), rejected: [], read: rows.length, duplicates: 0 };
      }
    },
  };
}

function storedItem(stored: Row): TransferItem {
  // Copied as stored: the values are what the importer wrote, read back as text.
  const row = Object.fromEntries(RECALL_WRITTEN_COLUMNS.map((column) => [column, textValue(stored[column])])) as RecallRow;
  const identifiers = (JSON.parse(String(stored.identifiers ?? '[]')) as Array<[IdentifierRow['kind'], string, string, number]>).map(([kind, value, normalized, position]) => ({
    kind,
    value,
    normalized,
    position: Number(position),
  }));
  return { row, identifiers };
}

function textValue(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  return String(value);
}

/**
 * The original service's recalls_enhanced table, mapped into our model. Rows are read in recall id order (then
 * by surrogate id), so rows sharing a recall id (one recall under two agency labels) arrive together: the id wins,
 * and of its rows the one updated last (then the newest) that maps is kept.
 */
export function legacyRecalls(database: TransferDatabase, columns: readonly string[]): RecallSource {
  const quoted = columns.map((column) => `"${column.replace(/"/g, '""')}"`);
  const tieBreak = columns.includes('id') ? ', "id"' : '';
  const sql = `SELECT ${quoted.join(', ')} FROM ${LEGACY_TABLE} ORDER BY ${database.byteOrder('"recall_id"')}${tieBreak}`;
  return {
    kind: 'legacy',
    rowCount: async () => Number((await database.query(`SELECT count(*) AS n FROM ${LEGACY_TABLE}`))[0].n),
    async *batches(size) {
      let batch: SourceBatch = { items: [], rejected: [], read: 0, duplicates: 0 };
      let group: LegacyRow[] = [];
      const closeGroup = () => {
        if (group.length === 0) return;
        addGroup(batch, group);
        group = [];
      };
      for await (const rows of database.batches(sql, size)) {
        for (const row of rows) {
          batch.read += 1;
          if (group.length > 0 && group[0].recall_id !== row.recall_id) closeGroup();
          if (typeof row.recall_id !== 'string' || row.recall_id === '') addGroup(batch, [row]); // rejected on its own
          else group.push(row);
        }
        // A group may go on in the next rows: it stays open, and the batch is handed on without it.
        if (batch.items.length + batch.rejected.length >= size) {
          yield batch;
          batch = { items: [], rejected: [], read: 0, duplicates: 0 };
        }
      }
      closeGroup();
      if (batch.read + batch.items.length + batch.rejected.length + batch.duplicates > 0) yield batch; // the last group may be a rejection alone
    },
  };
}

function addGroup(batch: SourceBatch, group: LegacyRow[]): void {
  let kept: { item: TransferItem; updated: string } | undefined;
  let lastRejection: TransferRejection | undefined;
  for (const row of group) {
    try {
      const record = storableRecord(mapLegacyRecall(row));
      const updated = record.lastUpdated ?? '';
      // Later rows come later (surrogate id order): on equal last_updated the newer row wins.
      if (!kept || compareByteOrder(updated, kept.updated) >= 0) kept = { item: itemOf(record), updated };
    } catch (error) {
      if (!(error instanceof RecordRejectedError)) throw error;
      lastRejection = { recallId: typeof row.recall_id === 'string' ? row.recall_id : undefined, rowId: row.id === undefined ? undefined : String(row.id), reason: error.message };
    }
  }
  if (kept) batch.items.push(kept.item);
  else batch.rejected.push(lastRejection!);
  batch.duplicates += group.length - 1;
}

function itemOf(record: Parameters<typeof recallRowFor>[0]): TransferItem {
  const { row, identifiers } = recallRowFor(record);
  return {
    row,
    identifiers: identifiers.map((identifier, position) => ({ kind: identifier.kind, value: identifier.value, normalized: identifier.normalized, position })),
  };
}
