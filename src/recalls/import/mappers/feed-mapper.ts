import { AgencyCode } from '../../domain/agencies';
import { RecallRecord, RecordRejectedError } from '../../domain/recall-record';

export const FEED_SOURCES = ['cpsc', 'openfda', 'nhtsa', 'health-canada', 'eu-safety-gate'] as const;
export type FeedSource = (typeof FEED_SOURCES)[number];

/** Turns one record of an agency feed into a RecallRecord. */
export interface FeedMapper {
  readonly source: FeedSource;
  readonly agencyCode: AgencyCode;
  /** throws RecordRejectedError */
  map(raw: unknown): RecallRecord;
}

/*
 * The strict readers every mapper shares. A field of the wrong type rejects the record with a reason naming the
 * field; empty strings, null and "N/A" count as absent, because the feeds use all three for "no value".
 */

export type FeedObject = Record<string, unknown>;

export function isFeedObject(value: unknown): value is FeedObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function requireFeedObject(raw: unknown, what = 'the record'): FeedObject {
  if (!isFeedObject(raw)) throw new RecordRejectedError(`${what} is not an object`);
  return raw;
}

/** Text of a field, trimmed; numbers are accepted as their decimal text. */
export function readText(record: FeedObject, field: string): string | undefined {
  return textOf(record[field], field);
}

export function textOf(value: unknown, field: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number') {
    // JSON numbers past the double range (1e400) parse as Infinity: no database column holds that.
    if (!Number.isFinite(value)) throw new RecordRejectedError(`${field} is not a finite number`);
    return String(value);
  }
  if (typeof value !== 'string') throw new RecordRejectedError(`${field} is not text`);
  const text = value.trim();
  return text === '' || text.toUpperCase() === 'N/A' ? undefined : text;
}

export function requireText(record: FeedObject, field: string): string {
  const text = readText(record, field);
  if (text === undefined) throw new RecordRejectedError(`${field} is missing or empty`);
  return text;
}

/** A list of objects; null or absent is an empty list. */
export function readObjectList(record: FeedObject, field: string): FeedObject[] {
  const value = record[field];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new RecordRejectedError(`${field} is not a list`);
  return value.map((item, index) => requireFeedObject(item, `${field}[${index}]`));
}

/** A list of texts; null or absent is an empty list, blank entries are dropped. */
export function readTextList(record: FeedObject, field: string): string[] {
  const value = record[field];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new RecordRejectedError(`${field} is not a list`);
  return value.map((item, index) => textOf(item, `${field}[${index}]`)).filter((text): text is string => !!text);
}

/** The non-empty values of one text field across a list of objects, e.g. Products[].Name. */
export function textsOf(items: FeedObject[], listField: string, field: string): string[] {
  return items
    .map((item, index) => textOf(item[field], `${listField}[${index}].${field}`))
    .filter((text): text is string => !!text);
}

export function joinedOrAbsent(texts: string[], separator: string): string | undefined {
  const distinct = [...new Set(texts)];
  return distinct.length > 0 ? distinct.join(separator) : undefined;
}

/** Splits a list typed into one field ("4M-005, 1026; 1037"). */
export function splitListedValues(text: string | undefined): string[] {
  return (text ?? '').split(/[,;]/).map((part) => part.trim()).filter(Boolean);
}

function calendarDay(year: number, month: number, day: number, field: string, value: string): string {
  // Checked by arithmetic: a Date per record cost more than the rest of the date handling.
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const daysInMonth = month === 2 ? (leap ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
  if (year < 1900 || year > 2100 || month < 1 || month > 12 || day < 1 || day > daysInMonth) {
    throw new RecordRejectedError(`${field} "${value}" is not a date`);
  }
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** "2019-04-12" or "2019-04-12T00:00:00[.000][Z|+01:00]" -> 2019-04-12 (the date as the agency wrote it). */
export function isoDay(value: string, field: string): string {
  const match = value.match(/^(\d{4})-(\d{2})-(\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/);
  if (!match) throw new RecordRejectedError(`${field} "${value}" is not a date`);
  return calendarDay(Number(match[1]), Number(match[2]), Number(match[3]), field, value);
}

/** openFDA "20220316" -> 2022-03-16. */
export function compactDay(value: string, field: string): string {
  const match = value.match(/^(\d{4})(\d{2})(\d{2})$/);
  if (!match) throw new RecordRejectedError(`${field} "${value}" is not a date`);
  return calendarDay(Number(match[1]), Number(match[2]), Number(match[3]), field, value);
}

/** Day-first "02/01/2008" -> 2008-01-02 (NHTSA, EU Safety Gate). */
export function dayFirstDay(value: string, field: string): string {
  const match = value.match(/^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/);
  if (!match) throw new RecordRejectedError(`${field} "${value}" is not a date`);
  return calendarDay(Number(match[3]), Number(match[2]), Number(match[1]), field, value);
}

/** An ISO 8601 timestamp; a date-time without a zone is read as UTC (CPSC's LastPublishDate has none). */
export function isoTimestamp(value: string, field: string): string {
  const day = isoDay(value, field);
  const time = value.slice(10).replace(/^[T ]/, '');
  if (!time) return `${day}T00:00:00.000Z`;
  // The common zoneless "hh:mm:ss" (CPSC) needs no Date to be read as UTC.
  const plain = time.match(/^([01]\d|2[0-3]):([0-5]\d):([0-5]\d)$/);
  if (plain) return `${day}T${time}.000Z`;
  const zoned = /(?:Z|[+-]\d{2}:?\d{2})$/.test(time) ? time : `${time}Z`;
  const parsed = new Date(`${day}T${zoned}`);
  if (Number.isNaN(parsed.getTime())) throw new RecordRejectedError(`${field} "${value}" is not a date`);
  return parsed.toISOString();
}

export function dayAsTimestamp(day: string): string {
  return `${day}T00:00:00.000Z`;
}

const COUNTRY_CODES_BY_NAME: Record<string, string> = {
  'united states': 'US', 'united states of america': 'US', usa: 'US', us: 'US', canada: 'CA', mexico: 'MX',
  'united kingdom': 'GB', austria: 'AT', belgium: 'BE', bulgaria: 'BG', croatia: 'HR', cyprus: 'CY',
  'czech republic': 'CZ', czechia: 'CZ', denmark: 'DK', estonia: 'EE', finland: 'FI', france: 'FR', germany: 'DE',
  greece: 'GR', hungary: 'HU', iceland: 'IS', ireland: 'IE', italy: 'IT', latvia: 'LV', liechtenstein: 'LI',
  lithuania: 'LT', luxembourg: 'LU', malta: 'MT', netherlands: 'NL', 'the netherlands': 'NL', norway: 'NO',
  poland: 'PL', portugal: 'PT', romania: 'RO', slovakia: 'SK', slovenia: 'SI', spain: 'ES', sweden: 'SE',
  switzerland: 'CH', turkey: 'TR', china: 'CN', "people's republic of china": 'CN',
};

/** ISO 3166-1 alpha-2 code for a country name the feeds use, or the name itself when we do not know it. */
export function countryCodeFor(name: string): string {
  return COUNTRY_CODES_BY_NAME[name.trim().toLowerCase()] ?? name.trim();
}

/** Press-release titles name the firm first: "Huffy Corporation Recalls Ride-On Toys ..." -> "Huffy Corporation". */
export function brandFromRecallTitle(title: string): string | undefined {
  const match = title.match(/^(.{2,60}?)\s+recalls\s/i);
  const brand = match?.[1].replace(/[®™]/g, '').trim();
  return brand || undefined;
}

/** Drops the optional fields a feed left empty, so they are omitted rather than present as undefined. */
export function withoutAbsentFields(record: RecallRecord): RecallRecord {
  // Copied key by key: records built in the same order share one object shape (fast to read and serialise).
  const present: Record<string, unknown> = {};
  for (const key of Object.keys(record)) {
    const value = (record as unknown as Record<string, unknown>)[key];
    if (value !== undefined) present[key] = value;
  }
  return present as unknown as RecallRecord;
}
