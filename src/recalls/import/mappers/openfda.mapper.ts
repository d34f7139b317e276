import { recallIdFor } from '../../domain/agencies';
import {
  distinctIdentifiers,
  extractBarcodes,
  extractLotNumbers,
  identifier,
} from '../../domain/product-identifiers';
import { RecallRecord, RecallStatus, RecordRejectedError } from '../../domain/recall-record';
import { deriveRiskCategory, deriveSeverity } from '../../domain/severity-rules';
import {
  FeedMapper,
  FeedObject,
  compactDay,
  countryCodeFor,
  dayAsTimestamp,
  readText,
  readTextList,
  requireFeedObject,
  requireText,
  withoutAbsentFields,
} from './feed-mapper';

const TITLE_LENGTH = 200;

/** One element of `results` in an openFDA enforcement report (`/food|drug|device/enforcement.json`). */
export class OpenFdaFeedMapper implements FeedMapper {
  readonly source = 'openfda' as const;
  readonly agencyCode = 'FDA' as const;

  map(raw: unknown): RecallRecord {
    const record = requireFeedObject(raw);
    const recallNumber = requireText(record, 'recall_number');
    const openfda = record.openfda === undefined || record.openfda === null ? {} : requireFeedObject(record.openfda, 'openfda');

    const initiated = dayOrAbsent(record, 'recall_initiation_date');
    const reported = dayOrAbsent(record, 'report_date');
    const recallDate = initiated ?? reported;
    if (!recallDate) throw new RecordRejectedError('recall_initiation_date and report_date are both missing');
    // The enforcement report changes when FDA classifies or terminates the recall: the latest of those dates.
    const changeDates = [reported, dayOrAbsent(record, 'center_classification_date'), dayOrAbsent(record, 'termination_date')]
      .filter((day): day is string => !!day)
      .sort();
    const lastChanged = changeDates[changeDates.length - 1];

    const productDescription = readText(record, 'product_description');
    const codeInfo = readText(record, 'code_info');
    const reason = readText(record, 'reason_for_recall');
    const productType = readText(record, 'product_type');
    const brand = readTextList(openfda, 'brand_name')[0];
    const country = readText(record, 'country');
    const distribution = readText(record, 'distribution_pattern');

    const title = titleFrom(productDescription) ?? [brand, productType].filter(Boolean).join(' ');
    if (!title) throw new RecordRejectedError('product_description is missing or empty');
    const { severity, hazardCategory } = deriveSeverity({
      text: reason ?? '',
      classification: readText(record, 'classification'),
    });

    return withoutAbsentFields({
      recallId: recallIdFor(this.agencyCode, recallNumber),
      agencyCode: this.agencyCode,
      title,
      productName: productDescription,
      brand,
      manufacturer: readText(record, 'recalling_firm'),
      hazard: reason,
      hazardCategory,
      recallReason: reason,
      recallDate,
      lastUpdated: lastChanged ? dayAsTimestamp(lastChanged) : undefined,
      country: country ? countryCodeFor(country) : undefined,
      affectedCountries: affectedCountriesFrom(distribution),
      severity,
      riskCategory: deriveRiskCategory({ text: productDescription ?? '', productType }),
      status: statusFrom(readText(record, 'status')),
      unitsAffected: readText(record, 'product_quantity'),
      identifiers: distinctIdentifiers([
        ...readTextList(openfda, 'upc').map((upc) => identifier('barcode', upc)),
        ...[productDescription, codeInfo].flatMap((text) => extractBarcodes(text ?? '')).map((upc) => identifier('barcode', upc)),
        ...extractLotNumbers(codeInfo ?? '').map((lot) => identifier('lot_number', lot)),
      ]),
      source: raw,
    });
  }
}

function dayOrAbsent(record: FeedObject, field: string): string | undefined {
  const value = readText(record, field);
  return value === undefined ? undefined : compactDay(value, field);
}

/** The first sentence of the product description; "638g. plastic jar" does not end one, "can. 6 units" does. */
function titleFrom(productDescription: string | undefined): string | undefined {
  if (!productDescription) return undefined;
  const firstSentence = productDescription.split(/[.;]\s+(?=[A-Z0-9])/)[0].replace(/[.;\s]+$/, '');
  if (firstSentence.length <= TITLE_LENGTH) return firstSentence;
  const cut = firstSentence.slice(0, TITLE_LENGTH);
  return `${cut.slice(0, cut.lastIndexOf(' ') > 0 ? cut.lastIndexOf(' ') : TITLE_LENGTH)}…`;
}

function statusFrom(status: string | undefined): RecallStatus | undefined {
  const normalized = status?.toLowerCase().replace(/[\s-]/g, '');
  if (normalized === 'terminated' || normalized === 'completed') return 'closed';
  if (normalized === 'ongoing') return 'open';
  return undefined;
}

const US_DISTRIBUTION = /nationwide|\bU\.?S\.?A?\b|United States|\b(?:AL|AK|AZ|AR|CA|CO|CT|DE|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ|NM|NY|NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY|DC|PR)\b/;

function affectedCountriesFrom(distribution: string | undefined): string[] | undefined {
  if (!distribution) return undefined;
  const countries = US_DISTRIBUTION.test(distribution) ? ['US'] : [];
  if (/\bCanada\b/i.test(distribution)) countries.push('CA');
  return countries.length > 0 ? countries : undefined;
}
