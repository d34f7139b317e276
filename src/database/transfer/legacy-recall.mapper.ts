import { AGENCIES, AgencyCode } from '../../recalls/domain/agencies';
import { resolveAgencyCode } from '../../recalls/domain/agency-aliases';
import { distinctIdentifiers, identifier, normalizeBarcode } from '../../recalls/domain/product-identifiers';
import { IdentifierKind, ProductIdentifier, RECALL_STATUSES, RecallRecord, RecallStatus, RecordRejectedError, RISK_CATEGORIES, RiskCategory } from '../../recalls/domain/recall-record';
import { deriveRiskCategory, deriveSeverity } from '../../recalls/domain/severity-rules';
import { countryCodeFor, isoDay, isoTimestamp, textOf, withoutAbsentFields } from '../../recalls/import/mappers/feed-mapper';

/** The original service's recall table (SQLAlchemy model EnhancedRecallDB). */
export const LEGACY_TABLE = 'recalls_enhanced';
/** Without these a row is no recall; every other column may be missing from an older table. */
export const LEGACY_REQUIRED_COLUMNS = ['recall_id', 'product_name', 'recall_date'] as const;
/** Columns SQLite holds as JSON text and PostgreSQL as json. */
const JSON_COLUMNS = ['registry_codes', 'regions_affected', 'agency_specific_data'];

export type LegacyRow = Record<string, unknown>;

// Prefixes of legacy recall ids. RAPEX- is the old name of EU Safety Gate notifications.
const PREFIX_AGENCIES: Record<string, AgencyCode> = {
  ...Object.fromEntries(AGENCIES.map((agency) => [agency.idPrefix, agency.code])),
  RAPEX: 'EU_SAFETY_GATE',
};
const LIST_SEPARATOR = /[,;/]/;
const BARCODE_COLUMNS = ['upc', 'ean_code', 'gtin', 'article_number'];
const IDENTIFIER_COLUMNS: Array<[string, IdentifierKind]> = [
  ['model_number', 'model_number'],
  ['lot_number', 'lot_number'],
  ['batch_number', 'lot_number'],
];

/**
 * One row of the original service's `recalls_enhanced` table as a RecallRecord. The recall id is kept as it is
 * (clients hold those ids); the agency comes from the id's prefix, else from source_agency however it was written;
 * lists in model and barcode columns are split on , ; and /; severity, hazard and risk category are kept when the
 * row has a valid one and derived by the importers' rules otherwise. Throws RecordRejectedError.
 */
export function mapLegacyRecall(raw: LegacyRow): RecallRecord {
  const row = legacyRow(raw);
  const recallId = recallIdOf(row);
  const agencyCode = agencyOf(recallId, text(row, 'source_agency'));
  const productName = text(row, 'product_name');
  if (!productName) throw new RecordRejectedError('product_name is missing or empty');
  const recallDateText = dateText(row.recall_date);
  if (!recallDateText) throw new RecordRejectedError('recall_date is missing or empty');
  const recallDate = isoDay(recallDateText, 'recall_date');
  const lastUpdatedText = dateText(row.last_updated);

  const hazard = text(row, 'hazard');
  const description = text(row, 'description');
  const recallReason = text(row, 'recall_reason');
  const prose = [productName, description, recallReason].filter(Boolean).join('. ');
  const assessed = deriveSeverity({ hazardText: hazard, text: prose, classification: text(row, 'recall_class'), explicit: text(row, 'severity') });
  const riskCategory = text(row, 'risk_category')?.toLowerCase();
  const status = text(row, 'status')?.toLowerCase();
  const country = text(row, 'country');

  return withoutAbsentFields({
    recallId,
    agencyCode,
    title: productName,
    productName,
    brand: text(row, 'brand'),
    manufacturer: text(row, 'manufacturer'),
    description,
    hazard,
    hazardCategory: text(row, 'hazard_category')?.toLowerCase() ?? assessed.hazardCategory,
    remedy: text(row, 'remedy'),
    recallReason,
    recallDate,
    lastUpdated: lastUpdatedText ? isoTimestamp(lastUpdatedText, 'last_updated') : undefined,
    country: country ? countryCodeFor(country) : undefined,
    affectedCountries: regionsOf(row.regions_affected),
    severity: assessed.severity,
    riskCategory: isRiskCategory(riskCategory)
      ? riskCategory
      : deriveRiskCategory({ text: prose, category: riskCategory }),
    status: isStatus(status) ? status : undefined,
    url: text(row, 'url'),
    identifiers: identifiersOf(row),
    source: row,
  });
}

/** The row with its JSON columns parsed (SQLite keeps them as text), so both databases give the same source. */
function legacyRow(raw: LegacyRow): LegacyRow {
  const row: LegacyRow = {};
  for (const [column, value] of Object.entries(raw)) row[column] = JSON_COLUMNS.includes(column) ? parsedJson(value) : value;
  return row;
}

function parsedJson(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return value; // kept as written; the row still maps
  }
}

function recallIdOf(row: LegacyRow): string {
  const value = row.recall_id;
  const recallId = typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;
  if (!recallId || !recallId.trim()) throw new RecordRejectedError('recall_id is missing or empty');
  return recallId;
}

function agencyOf(recallId: string, label: string | undefined): AgencyCode {
  const prefix = /^([A-Za-z]+)-/.exec(recallId)?.[1].toUpperCase();
  const byPrefix = prefix ? PREFIX_AGENCIES[prefix] : undefined;
  if (byPrefix) return byPrefix;
  const byLabel = label ? resolveAgencyCode(label) : undefined;
  if (byLabel) return byLabel;
  throw new RecordRejectedError(
    `no agency this service serves matches source_agency ${label ? `"${label}"` : '(empty)'} or the recall id's prefix (${AGENCIES.map((agency) => agency.code).join(', ')})`,
  );
}

function text(row: LegacyRow, column: string): string | undefined {
  return textOf(row[column], column);
}

/** A date column as text: PostgreSQL gives dates as 'YYYY-MM-DD' and timestamps as Dates, SQLite gives text. */
function dateText(value: unknown): string | undefined {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new RecordRejectedError('a date column holds an invalid date');
    return value.toISOString();
  }
  return textOf(value, 'date');
}

function regionsOf(value: unknown): string[] | undefined {
  const parsed = parsedJson(value);
  const regions = Array.isArray(parsed) ? parsed : typeof parsed === 'string' ? parsed.split(LIST_SEPARATOR) : [];
  const texts = regions.filter((region): region is string => typeof region === 'string').map((region) => region.trim()).filter(Boolean);
  return texts.length > 0 ? [...new Set(texts)] : undefined;
}

function listed(row: LegacyRow, column: string): string[] {
  return (text(row, column) ?? '').split(LIST_SEPARATOR).map((part) => part.trim()).filter(Boolean);
}

function identifiersOf(row: LegacyRow): ProductIdentifier[] {
  return distinctIdentifiers([
    ...BARCODE_COLUMNS.flatMap((column) => listed(row, column)).map(legacyBarcode),
    ...IDENTIFIER_COLUMNS.flatMap(([column, kind]) => listed(row, column).map((value) => identifier(kind, value))),
  ]);
}

/**
 * A barcode as the old connectors typed it. A UPC-A whose leading zeros were lost (a spreadsheet's doing: 11
 * digits or fewer) is padded back when its check digit then holds; a code that is no valid barcode is left out.
 */
function legacyBarcode(raw: string): ProductIdentifier | undefined {
  const found = identifier('barcode', raw);
  if (found) return found;
  const digits = raw.replace(/[\s-]/g, '');
  if (!/^\d{9,11}$/.test(digits)) return undefined;
  const padded = normalizeBarcode(digits.padStart(12, '0'));
  return padded.ok ? { kind: 'barcode', value: raw.trim(), normalized: padded.gtin14 } : undefined;
}

function isRiskCategory(value: string | undefined): value is RiskCategory {
  return (RISK_CATEGORIES as readonly string[]).includes(value ?? '');
}

function isStatus(value: string | undefined): value is RecallStatus {
  return (RECALL_STATUSES as readonly string[]).includes(value ?? '');
}
