import { recallIdFor } from '../../domain/agencies';
import { extractModelNumbers, distinctIdentifiers, identifier } from '../../domain/product-identifiers';
import { RecallRecord, RecordRejectedError } from '../../domain/recall-record';
import { deriveRiskCategory, deriveSeverity } from '../../domain/severity-rules';
import {
  FeedMapper,
  brandFromRecallTitle,
  isoDay,
  isoTimestamp,
  joinedOrAbsent,
  readObjectList,
  readText,
  requireFeedObject,
  requireText,
  splitListedValues,
  textsOf,
  withoutAbsentFields,
} from './feed-mapper';

const HEALTH_CANADA_NOTICE = /canada\.ca|healthycanadians\.gc\.ca|hc-sc\.gc\.ca/i;

/** One element of the CPSC SaferProducts Recall API array (`/RestWebServices/Recall?format=json`). */
export class CpscFeedMapper implements FeedMapper {
  readonly source = 'cpsc' as const;
  readonly agencyCode = 'CPSC' as const;

  map(raw: unknown): RecallRecord {
    const record = requireFeedObject(raw);
    const title = readText(record, 'Title');
    // The API reports its own failures as HTTP 200 with a single row like this.
    if (record.RecallID === 0 && title?.startsWith('Error retrieving Recalls')) {
      throw new RecordRejectedError(`the feed returned an error row: ${title}`);
    }

    const recallNumber = requireText(record, 'RecallNumber');
    const recallDate = isoDay(requireText(record, 'RecallDate'), 'RecallDate');
    const lastPublished = readText(record, 'LastPublishDate');
    const products = readObjectList(record, 'Products');
    const hazards = readObjectList(record, 'Hazards');
    const remedies = readObjectList(record, 'Remedies');
    const remedyOptions = readObjectList(record, 'RemedyOptions');
    const injuries = readObjectList(record, 'Injuries');
    const images = readObjectList(record, 'Images');
    const upcs = readObjectList(record, 'ProductUPCs');
    const inConjunctions = readObjectList(record, 'Inconjunctions');
    const firms = [
      ...readObjectList(record, 'Manufacturers'),
      ...readObjectList(record, 'Importers'),
      ...readObjectList(record, 'Distributors'),
    ];
    const description = readText(record, 'Description');

    const productName = joinedOrAbsent(textsOf(products, 'Products', 'Name'), '; ');
    const recallTitle = title ?? productName;
    if (!recallTitle) throw new RecordRejectedError('Title is missing or empty');
    const hazard = joinedOrAbsent(textsOf(hazards, 'Hazards', 'Name'), ' ');
    const productDescriptions = textsOf(products, 'Products', 'Description');

    const jointWithHealthCanada =
      /Health Canada/i.test(`${recallTitle} ${description ?? ''}`) ||
      textsOf(inConjunctions, 'Inconjunctions', 'URL').some((url) => HEALTH_CANADA_NOTICE.test(url));

    const { severity, hazardCategory } = deriveSeverity({
      hazardText: [recallTitle, hazard].filter(Boolean).join('. '),
      text: textsOf(injuries, 'Injuries', 'Name').join(' '),
    });

    return withoutAbsentFields({
      recallId: recallIdFor(this.agencyCode, recallNumber),
      agencyCode: this.agencyCode,
      title: recallTitle,
      productName,
      brand: title ? brandFromRecallTitle(title) : undefined,
      manufacturer: textsOf(firms, 'Manufacturers', 'Name')[0],
      description,
      hazard,
      hazardCategory,
      remedy:
        joinedOrAbsent(textsOf(remedies, 'Remedies', 'Name'), ' ') ??
        joinedOrAbsent(textsOf(remedyOptions, 'RemedyOptions', 'Option'), ', '),
      recallDate,
      lastUpdated: lastPublished ? isoTimestamp(lastPublished, 'LastPublishDate') : undefined,
      country: 'US',
      affectedCountries: jointWithHealthCanada ? ['US', 'CA'] : ['US'],
      severity,
      riskCategory: deriveRiskCategory({
        text: [recallTitle, productName, description, ...textsOf(products, 'Products', 'Type')].filter(Boolean).join(' '),
      }),
      status: 'open',
      url: readText(record, 'URL'),
      imageUrl: textsOf(images, 'Images', 'URL')[0],
      unitsAffected: joinedOrAbsent(textsOf(products, 'Products', 'NumberOfUnits'), '; '),
      identifiers: distinctIdentifiers([
        ...textsOf(upcs, 'ProductUPCs', 'UPC').map((upc) => identifier('barcode', upc)),
        ...textsOf(products, 'Products', 'Model').flatMap(splitListedValues).map((model) => identifier('model_number', model)),
        ...[description ?? '', ...productDescriptions]
          .flatMap(extractModelNumbers)
          .map((model) => identifier('model_number', model)),
      ]),
      source: raw,
    });
  }
}
