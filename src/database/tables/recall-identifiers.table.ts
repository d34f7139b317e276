import type { IdentifierKind } from '../../recalls/domain/recall-record';
import { columnList, date, integer, RowOf, smallint, table, text } from './table';

/**
 * A barcode (as GTIN-14), model number or lot number of a recalled product (migration CreateRecalls), keyed by
 * (recall_pk, kind, normalized); exact lookups use recall_identifiers_lookup_idx (kind, normalized, recall_date).
 * recall_pk is recalls.id: a foreign key on SQLite; on PostgreSQL none since LighterImportWrites (a trigger on
 * recalls removes the rows of a deleted recall).
 */
export const RECALL_IDENTIFIERS = table('recall_identifiers', {
  recall_pk: integer(),
  kind: text<IdentifierKind>(),
  /** As printed in the feed. */
  value: text(),
  normalized: text(),
  /** Order within the feed record: the first model or barcode listed is the one shown. */
  position: smallint(),
  /** The recall's date, copied so the lookup index yields a common identifier's newest recalls directly. */
  recall_date: date(),
});

export type IdentifierRow = RowOf<typeof RECALL_IDENTIFIERS>;
export const IDENTIFIER_COLUMNS = Object.keys(RECALL_IDENTIFIERS.columns) as Array<keyof IdentifierRow>;
export const IDENTIFIER_COLUMN_LIST = columnList(IDENTIFIER_COLUMNS);
