import type { AgencyCode } from '../../recalls/domain/agencies';
import type { RecallItem } from '../../recalls/domain/recall-item';
import type { IdentifierKind, RecallStatus, RiskCategory, Severity } from '../../recalls/domain/recall-record';
import { storedTimestamp } from '../../recalls/domain/stored-timestamp';
import { date, integer, json, nullable, RowOf, StoredRowOf, table, text, timestamptz } from './table';

/** A recall as stored (migration CreateRecalls); one row per recall_id. */
export const RECALLS = table('recalls', {
  id: integer(),
  recall_id: text(),
  agency_code: text<AgencyCode>(),
  title: text(),
  product_name: nullable(text()),
  brand: nullable(text()),
  manufacturer: nullable(text()),
  description: nullable(text()),
  hazard: nullable(text()),
  hazard_category: nullable(text()),
  remedy: nullable(text()),
  recall_reason: nullable(text()),
  recall_date: date(),
  last_updated: nullable(timestamptz()),
  country: nullable(text()),
  affected_countries: nullable(json<string[]>('jsonb')),
  severity: text<Severity>(),
  risk_category: text<RiskCategory>(),
  status: nullable(text<RecallStatus>()),
  url: nullable(text()),
  image_url: nullable(text()),
  units_affected: nullable(text()),
  /** Normalised product name, brand, title and model numbers: the high-signal text for relevance. */
  search_name: text(),
  /** search_name plus description and hazard; its words (PostgreSQL: recall_words) / FTS5 trigrams (SQLite) are indexed. */
  search_text: text(),
  /** SHA-256 of the mapped record: an unchanged re-import is detected without comparing every field. */
  content_hash: text(),
  /** The record as received: stored and served, never queried inside. */
  source: json<unknown>('json'),
  created_at: timestamptz(),
  updated_at: timestamptz(),
});

export type RecallColumn = keyof typeof RECALLS.columns;
/** Set by the database (id, created_at) or by the writer itself on update (updated_at). */
const GENERATED = ['id', 'created_at', 'updated_at'] as const;
/** Written for search and change detection, never shown. */
const INTERNAL = ['search_name', 'search_text', 'content_hash', 'source'] as const;

export type RecallWrittenColumn = Exclude<RecallColumn, (typeof GENERATED)[number]>;
export type RecallItemColumn = Exclude<RecallColumn, (typeof INTERNAL)[number] | 'created_at' | 'updated_at'>;

const ALL_COLUMNS = Object.keys(RECALLS.columns) as RecallColumn[];

/** What an import or transfer writes of a recall, in migration order. */
export const RECALL_WRITTEN_COLUMNS = ALL_COLUMNS.filter((column): column is RecallWrittenColumn => !(GENERATED as readonly string[]).includes(column));
/** What a recall item (the API's RecallItem) is made from. */
export const RECALL_ITEM_COLUMNS = ALL_COLUMNS.filter(
  (column): column is RecallItemColumn => column === 'id' || (RECALL_WRITTEN_COLUMNS as string[]).includes(column) && !(INTERNAL as readonly string[]).includes(column),
);
/** A row cheap enough to fetch for every text candidate: enough to score and order it. */
export const RECALL_CANDIDATE_COLUMNS = ['id', 'recall_id', 'recall_date', 'search_name', 'search_text'] as const satisfies readonly RecallColumn[];

/** A recall ready to bind (JSON columns as JSON text, times as ISO strings). */
export type RecallRow = RowOf<typeof RECALLS, RecallWrittenColumn>;
export type RecallItemRow = StoredRowOf<typeof RECALLS, RecallItemColumn>;
export type CandidateRow = StoredRowOf<typeof RECALLS, (typeof RECALL_CANDIDATE_COLUMNS)[number]>;
/** What a write needs to know of a stored recall to decide whether and how to change it. */
export type StoredRecallState = StoredRowOf<typeof RECALLS, 'id' | 'recall_id' | 'content_hash' | 'last_updated'>;

/** A stored recall as the API serves it; absent optional fields are omitted. */
export function recallItemOf(row: RecallItemRow, identifiers: ReadonlyArray<{ kind: IdentifierKind; value: string }>): RecallItem {
  const model = identifiers.find((identifier) => identifier.kind === 'model_number')?.value;
  const upc = identifiers.find((identifier) => identifier.kind === 'barcode')?.value;
  const affected = typeof row.affected_countries === 'string' ? JSON.parse(row.affected_countries) : row.affected_countries;
  const item: RecallItem = {
    id: row.recall_id,
    agencyCode: row.agency_code,
    title: row.title,
    recallDate: dayOf(row.recall_date),
    productName: row.product_name ?? undefined,
    brand: row.brand ?? undefined,
    manufacturer: row.manufacturer ?? undefined,
    model,
    modelNumber: model,
    upc,
    hazard: row.hazard ?? undefined,
    hazardCategory: row.hazard_category ?? undefined,
    riskCategory: row.risk_category ?? undefined,
    severity: row.severity ?? undefined,
    status: row.status ?? undefined,
    imageUrl: row.image_url ?? undefined,
    affectedCountries: Array.isArray(affected) && affected.length ? affected : undefined,
    country: row.country ?? undefined,
    lastUpdated: row.last_updated ? storedTimestamp(row.last_updated).toISOString() : undefined,
    sourceUrl: row.url ?? undefined,
    description: row.description ?? undefined,
    url: row.url ?? undefined,
    remedy: row.remedy ?? undefined,
    recallReason: row.recall_reason ?? undefined,
    unitsAffected: row.units_affected ?? undefined,
  };
  for (const key of Object.keys(item) as Array<keyof RecallItem>) if (item[key] === undefined) delete item[key];
  return item;
}

/** A calendar date as YYYY-MM-DD, whether the driver gave a string or a Date. */
export function dayOf(value: unknown): string {
  return typeof value === 'string' ? value.slice(0, 10) : (value as Date).toISOString().slice(0, 10);
}
