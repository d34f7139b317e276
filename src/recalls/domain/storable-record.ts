import { ProductIdentifier, RecallRecord, RecordRejectedError } from './recall-record';

/**
 * Column limits of the recalls schema. PostgreSQL enforces them and SQLite does not, so a value past one would
 * fail its batch on one database and load on the other: records are made to fit (or rejected) before either sees them.
 */
export const STORED_LIMITS = {
  recallIdLength: 120,
  /**
   * Any text field. PostgreSQL indexes the words of the name fields (a tsvector holds at most 1 MB); far beyond
   * any real recall's text, well within that.
   */
  textLength: 100_000,
  countryLength: 8,
  identifierLength: 64,
  /** An identifier as printed in the feed (its normalised form is at most identifierLength). */
  identifierValueLength: 256,
  /** recall_identifiers.position is a smallint. */
  identifiersPerRecall: 32_767,
} as const;

/** Characters that need a closer look: NUL, and UTF-16 surrogates (paired ones are fine, unpaired ones are not). */
const NEEDS_CARE = /[\0\uD800-\uDFFF]/;
const UNPAIRED_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const CONTROL_CHARACTER = /[\0-\x1F\x7F]/;

/**
 * Text both databases store as given: NUL characters dropped (PostgreSQL text cannot hold them), unpaired UTF-16
 * surrogates replaced by U+FFFD (they have no UTF-8 form; each driver would otherwise write them its own way).
 */
export function storableText(text: string): string {
  if (!NEEDS_CARE.test(text)) return text;
  return text.replaceAll('\0', '').replace(UNPAIRED_SURROGATE, '\uFFFD');
}

/**
 * The record as both databases will hold it (see storableText and STORED_LIMITS). A recall id is matched exactly,
 * so it is never altered: one that cannot be stored as it is rejects the record.
 */
export function storableRecord(record: RecallRecord): RecallRecord {
  const idProblem = recallIdProblem(record.recallId);
  if (idProblem) throw new RecordRejectedError(idProblem);
  const fields = record as unknown as Record<string, unknown>;
  const keys = Object.keys(fields);
  const tooLong = keys.find((key) => typeof fields[key] === 'string' && (fields[key] as string).length > STORED_LIMITS.textLength);
  if (tooLong) throw new RecordRejectedError(`the ${tooLong} is longer than ${STORED_LIMITS.textLength} characters`);
  const fits =
    keys.every((key) => typeof fields[key] !== 'string' || !NEEDS_CARE.test(fields[key] as string)) &&
    (record.country === undefined || record.country.length <= STORED_LIMITS.countryLength) &&
    (record.affectedCountries ?? []).every((country) => !NEEDS_CARE.test(country));
  const identifiers = storableIdentifiers(record.identifiers);
  if (fits) return identifiers === record.identifiers ? record : { ...record, identifiers };

  const stored: Record<string, unknown> = {};
  for (const key of keys) stored[key] = typeof fields[key] === 'string' && key !== 'recallId' ? storableText(fields[key] as string) : fields[key];
  const result = stored as unknown as RecallRecord;
  if (!result.title.trim()) throw new RecordRejectedError('the title holds no text once NUL characters are dropped');
  // Longer than a country code: a name we hold no code for, which stays in affectedCountries.
  if (result.country !== undefined && result.country.length > STORED_LIMITS.countryLength) delete result.country;
  if (result.affectedCountries) result.affectedCountries = result.affectedCountries.map(storableText);
  result.identifiers = identifiers;
  return result;
}

function recallIdProblem(recallId: string): string | undefined {
  if (CONTROL_CHARACTER.test(recallId)) return 'the recall id holds a control character';
  if (NEEDS_CARE.test(recallId) && storableText(recallId) !== recallId) return 'the recall id holds an unpaired UTF-16 surrogate';
  if (recallId.length > STORED_LIMITS.recallIdLength) return `the recall id is longer than ${STORED_LIMITS.recallIdLength} characters`;
  return undefined;
}

/** Identifiers in stored form: a "model number" longer than any real one is product text, not an identifier. */
function storableIdentifiers(identifiers: ProductIdentifier[]): ProductIdentifier[] {
  const fits = (identifier: ProductIdentifier) =>
    identifier.normalized.length <= STORED_LIMITS.identifierLength && identifier.value.length <= STORED_LIMITS.identifierValueLength;
  if (identifiers.every((identifier) => !NEEDS_CARE.test(identifier.value) && fits(identifier))) {
    return identifiers.length > STORED_LIMITS.identifiersPerRecall ? identifiers.slice(0, STORED_LIMITS.identifiersPerRecall) : identifiers;
  }
  const distinct = new Map<string, ProductIdentifier>();
  for (const identifier of identifiers) {
    const value = storableText(identifier.value);
    const normalized = storableText(identifier.normalized);
    const key = `${identifier.kind}:${normalized}`;
    if (!value || !normalized || !fits({ kind: identifier.kind, value, normalized }) || distinct.has(key)) continue;
    distinct.set(key, { kind: identifier.kind, value, normalized });
  }
  return [...distinct.values()].slice(0, STORED_LIMITS.identifiersPerRecall);
}
