import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { recallIdFor } from '../../domain/agencies';
import { distinctIdentifiers, identifier, normalizeBarcode } from '../../domain/product-identifiers';
import { ProductIdentifier, RecallRecord, RecordRejectedError } from '../../domain/recall-record';
import { deriveRiskCategory, deriveSeverity } from '../../domain/severity-rules';
import {
  FeedMapper,
  FeedObject,
  countryCodeFor,
  dayFirstDay,
  isFeedObject,
  requireFeedObject,
  splitListedValues,
  textOf,
  withoutAbsentFields,
} from './feed-mapper';

/** One Safety Gate notification with the date of the weekly report that published it. */
export interface EuSafetyGateNotification {
  notification: Record<string, unknown>;
  /** DD/MM/YYYY, from the nearest enclosing report_date. */
  reportDate?: string;
}

/**
 * One notification of an EU Safety Gate weekly report, as `parseEuSafetyGateXml` returns it:
 * `{ notification, reportDate }`, where `notification` is the `<notifications>` element parsed by fast-xml-parser
 * (element names as keys, text values as strings, `xsi:nil` elements as `{ '@_xsi:nil': 'true' }` or '').
 */
export class EuSafetyGateFeedMapper implements FeedMapper {
  readonly source = 'eu-safety-gate' as const;
  readonly agencyCode = 'EU_SAFETY_GATE' as const;

  map(raw: unknown): RecallRecord {
    const input = requireFeedObject(raw);
    const notification = requireFeedObject(input.notification, 'notification');
    const caseNumber = xmlText(notification, 'caseNumber');
    if (!caseNumber) throw new RecordRejectedError('caseNumber is missing or empty');
    const reportDate = textOf(input.reportDate, 'reportDate');
    if (!reportDate) throw new RecordRejectedError('the notification has no report date');
    const recallDate = dayFirstDay(reportDate, 'report_date');

    const product = xmlText(notification, 'product');
    const brand = xmlText(notification, 'brand');
    const name = xmlText(notification, 'name');
    const danger = xmlText(notification, 'danger');
    const riskType = xmlText(notification, 'riskType');
    const level = xmlText(notification, 'level');
    const notifyingCountry = xmlText(notification, 'notifyingCountry');
    const category = xmlText(notification, 'category');
    const productDescription = xmlText(notification, 'description');

    const detail = [brand, name].filter(Boolean).join(' ');
    const title = product ? (detail ? `${product}: ${detail}` : product) : detail || caseNumber;
    // riskType is the assessor's own label for the hazard; the danger text is the fallback.
    const { severity, hazardCategory } = deriveSeverity({ hazardText: riskType, text: danger ?? '', euLevel: level });
    const country = notifyingCountry ? countryCodeFor(notifyingCountry) : undefined;

    return withoutAbsentFields({
      recallId: recallIdFor(this.agencyCode, caseNumber),
      agencyCode: this.agencyCode,
      title,
      productName: name ?? product,
      brand,
      // The notification's own description says what the product is; the danger text is kept as the hazard.
      description: productDescription ?? danger,
      hazard: danger,
      hazardCategory,
      remedy: xmlText(notification, 'measures'),
      recallDate,
      country,
      affectedCountries: country ? [country] : undefined,
      severity,
      riskCategory: deriveRiskCategory({ text: [product, name, productDescription].filter(Boolean).join(' '), category }),
      url: xmlText(notification, 'reference'),
      identifiers: distinctIdentifiers([
        ...splitListedValues(xmlText(notification, 'type_numberOfModel')).map((model) => identifier('model_number', model)),
        ...splitListedValues(xmlText(notification, 'batchNumber')).map((lot) => identifier('lot_number', lot)),
        ...splitListedValues(xmlText(notification, 'barcode')).map((code) => identifier('barcode', code)),
        ...splitListedValues(xmlText(notification, 'batchNumber_barcode')).map(barcodeOrLot),
      ]),
      source: raw,
    });
  }
}

/** Older reports put batch numbers and barcodes in one field: whatever checks out as a barcode is one. */
function barcodeOrLot(value: string): ProductIdentifier | undefined {
  return normalizeBarcode(value).ok ? identifier('barcode', value) : identifier('lot_number', value);
}

/** Text of an element; `xsi:nil` elements and empty ones are absent. */
function xmlText(element: FeedObject, field: string): string | undefined {
  const value = element[field];
  if (isFeedObject(value)) {
    if (value['@_xsi:nil'] === 'true' || value['@_xsi:nil'] === true) return undefined;
    return textOf(value['#text'], field);
  }
  return textOf(value, field);
}

const NOTIFICATION_ELEMENTS = new Set(['notifications', 'report']);

/**
 * Parses a Safety Gate weekly-report XML file into the mapper's input. Each `<notifications>` element is one
 * notification; its date is the nearest enclosing `<report_date>` (the document's in a live file, the `<report>`
 * wrapper's in our sample, which bundles several weeks).
 */
export function parseEuSafetyGateXml(xml: string): EuSafetyGateNotification[] {
  const text = xml.replace(/^\uFEFF/, '');
  // The parser reads whatever it can of a broken document; the validator says where it breaks.
  const validation = XMLValidator.validate(text);
  if (validation !== true) {
    const { line, col, msg } = validation.err;
    throw new Error(`line ${line}${col ? `, column ${col}` : ''}: ${msg}`);
  }
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@_',
    // Keep every value as text: case numbers, model numbers and barcodes must not become numbers.
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: true,
    processEntities: true,
    isArray: (tagName) => NOTIFICATION_ELEMENTS.has(tagName),
  });
  const document: unknown = parser.parse(text);
  const found: EuSafetyGateNotification[] = [];
  collectNotifications(document, undefined, found);
  return found;
}

function collectNotifications(node: unknown, inheritedDate: string | undefined, found: EuSafetyGateNotification[]): void {
  if (Array.isArray(node)) {
    for (const child of node) collectNotifications(child, inheritedDate, found);
    return;
  }
  if (!isFeedObject(node)) return;
  const ownDate = typeof node.report_date === 'string' && node.report_date.trim() ? node.report_date.trim() : undefined;
  const reportDate = ownDate ?? inheritedDate;
  for (const [key, child] of Object.entries(node)) {
    if (key === 'notifications') {
      for (const notification of Array.isArray(child) ? child : [child]) {
        if (isFeedObject(notification)) found.push({ notification, reportDate });
      }
    } else if (!key.startsWith('@_')) {
      collectNotifications(child, reportDate, found);
    }
  }
}
