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

const CONTROL_CHARACTER = /[\0-\x1F\x7F]/;

/** The text fields of a record besides its id (the id is checked, never changed). */
type TextField = Exclude<{ [K in keyof RecallRecord]-?: NonNullable<RecallRecord[K]> extends string ? K : never }[keyof RecallRecord], 'recallId'>;
// A record of every text field: a text field added to RecallRecord and not listed here does not compile.
const TEXT_FIELD_SET: Record<TextField, true> = {
  agencyCode: true, title: true, productName: true, brand: true, manufacturer: true, description: true, hazard: true,
  hazardCategory: true, remedy: true, recallReason: true, recallDate: true, lastUpdated: true, country: true,
  severity: true, riskCategory: true, status: true, url: true, imageUrl: true, unitsAffected: true,
};
const TEXT_FIELDS = Object.keys(TEXT_FIELD_SET) as TextField[];

/** ES2024 string methods that Node 20 has and the ES2023 type library does not declare. */
type WellFormedString = string & { isWellFormed(): boolean; toWellFormed(): string };

/** A NUL character, or an unpaired UTF-16 surrogate (a native check: a tenth of what a regular expression costs). */
function needsCare(text: string): boolean {
  return text.indexOf('\0') !== -1 || !(text as WellFormedString).isWellFormed();
}

/**
 * Text both databases store as given: NUL characters dropped (PostgreSQL text cannot hold them), unpaired UTF-16
 * surrogates replaced by U+FFFD (they have no UTF-8 form; each driver would otherwise write them its own way).
 */
export function storableText(text: string): string {
  if (!needsCare(text)) return text;
  return (text.replaceAll('\0', '') as WellFormedString).toWellFormed();
}

/**
 * The record as both databases will hold it (see storableText and STORED_LIMITS). A recall id is matched exactly,
 * so it is never altered: one that cannot be stored as it is rejects the record.
 */
export function storableRecord(record: RecallRecord): RecallRecord {
  const idProblem = recallIdProblem(record.recallId);
  if (idProblem) throw new RecordRejectedError(idProblem);
  let changes = false;
  for (const field of TEXT_FIELDS) {
    const value = record[field];
    if (value === undefined) continue;
    if (value.length > STORED_LIMITS.textLength) throw new RecordRejectedError(`the ${field} is longer than ${STORED_LIMITS.textLength} characters`);
    if (!changes && needsCare(value)) changes = true;
  }
  changes ||=
    (record.country !== undefined && record.country.length > STORED_LIMITS.countryLength) ||
    (record.affectedCountries ?? []).some(needsCare);
  const identifiers = storableIdentifiers(record.identifiers);
  if (!changes) return identifiers === record.identifiers ? record : { ...record, identifiers };

  const stored: RecallRecord = { ...record, identifiers };
  const texts = stored as unknown as Record<TextField, string | undefined>;
  for (const field of TEXT_FIELDS) if (texts[field] !== undefined) texts[field] = storableText(texts[field]);
  if (!stored.title.trim()) throw new RecordRejectedError('the title holds no text once NUL characters are dropped');
  // Longer than a country code: a name we hold no code for, which stays in affectedCountries.
  if (stored.country !== undefined && stored.country.length > STORED_LIMITS.countryLength) delete stored.country;
  if (stored.affectedCountries) stored.affectedCountries = stored.affectedCountries.map(storableText);
  return stored;
}

function recallIdProblem(recallId: string): string | undefined {
  if (CONTROL_CHARACTER.test(recallId)) return 'the recall id holds a control character';
  if (!(recallId as WellFormedString).isWellFormed()) return 'the recall id holds an unpaired UTF-16 surrogate';
  if (recallId.length > STORED_LIMITS.recallIdLength) return `the recall id is longer than ${STORED_LIMITS.recallIdLength} characters`;
  return undefined;
}

/** Identifiers in stored form: a "model number" longer than any real one is product text, not an identifier. */
function storableIdentifiers(identifiers: ProductIdentifier[]): ProductIdentifier[] {
  let fitAsGiven = identifiers.length <= STORED_LIMITS.identifiersPerRecall;
  for (let i = 0; fitAsGiven && i < identifiers.length; i += 1) fitAsGiven = fits(identifiers[i]) && !needsCare(identifiers[i].value);
  if (fitAsGiven) return identifiers;
  const distinct = new Map<string, ProductIdentifier>();
  for (const identifier of identifiers) {
    const stored = { kind: identifier.kind, value: storableText(identifier.value), normalized: storableText(identifier.normalized) };
    const key = `${stored.kind}:${stored.normalized}`;
    if (!stored.value || !stored.normalized || !fits(stored) || distinct.has(key)) continue;
    distinct.set(key, stored);
  }
  return [...distinct.values()].slice(0, STORED_LIMITS.identifiersPerRecall);
}

function fits(identifier: ProductIdentifier): boolean {
  return identifier.normalized.length <= STORED_LIMITS.identifierLength && identifier.value.length <= STORED_LIMITS.identifierValueLength;
}
