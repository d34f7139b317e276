import { recallIdFor } from '../../domain/agencies';
import { distinctIdentifiers, extractModelNumbers, identifier } from '../../domain/product-identifiers';
import { RecallRecord, RecordRejectedError } from '../../domain/recall-record';
import { deriveRiskCategory, deriveSeverity } from '../../domain/severity-rules';
import {
  FeedMapper,
  FeedObject,
  brandFromRecallTitle,
  isoDay,
  isoTimestamp,
  readText,
  requireFeedObject,
  withoutAbsentFields,
} from './feed-mapper';

const JOINT_WITH_CPSC = /\bCPSC\b|Consumer Product Safety Commission/i;

/**
 * One element of Health Canada's recalls open data (`HCRSAMOpenData.json`). The file may start with a UTF-8
 * byte-order mark: strip it before JSON.parse. Text fields hold HTML (entities, sometimes tags); all are decoded.
 */
export class HealthCanadaFeedMapper implements FeedMapper {
  readonly source = 'health-canada' as const;
  readonly agencyCode = 'HEALTH_CANADA' as const;

  map(raw: unknown): RecallRecord {
    const record = requireFeedObject(raw);
    const nid = htmlText(record, 'NID');
    if (!nid) throw new RecordRejectedError('NID is missing or empty');
    const lastUpdated = htmlText(record, 'Last updated');
    if (!lastUpdated) throw new RecordRejectedError('Last updated is missing or empty');
    const recallDate = isoDay(lastUpdated, 'Last updated');

    const product = htmlText(record, 'Product');
    const title = htmlText(record, 'Title') ?? product;
    if (!title) throw new RecordRejectedError('Title and Product are both missing or empty');
    const issue = htmlText(record, 'Issue');
    const whatToDo = htmlText(record, 'What you should do');
    const category = htmlText(record, 'Category');
    const archived = readText(record, 'Archived');

    const { severity, hazardCategory } = deriveSeverity({
      hazardText: issue,
      text: [title, whatToDo].filter(Boolean).join('. '),
      classification: htmlText(record, 'Recall class'),
    });

    return withoutAbsentFields({
      recallId: recallIdFor(this.agencyCode, nid),
      agencyCode: this.agencyCode,
      title,
      productName: product,
      brand: brandFromRecallTitle(title),
      hazard: issue,
      hazardCategory,
      remedy: whatToDo,
      recallDate,
      lastUpdated: isoTimestamp(lastUpdated, 'Last updated'),
      country: 'CA',
      affectedCountries: JOINT_WITH_CPSC.test(`${whatToDo ?? ''} ${title}`) ? ['CA', 'US'] : ['CA'],
      severity,
      riskCategory: deriveRiskCategory({ text: [title, product, issue].filter(Boolean).join(' '), category }),
      status: archived === '1' ? 'closed' : 'open',
      url: readText(record, 'URL'),
      identifiers: distinctIdentifiers(
        extractModelNumbers([title, product].filter(Boolean).join('. ')).map((model) => identifier('model_number', model)),
      ),
      source: raw,
    });
  }
}

const NAMED_ENTITIES: Record<string, string> = { nbsp: ' ', amp: '&', quot: '"', apos: "'", lt: '<', gt: '>', rsquo: '’', lsquo: '‘', rdquo: '”', ldquo: '“', ndash: '–', mdash: '—', eacute: 'é', egrave: 'è', agrave: 'à', ccedil: 'ç' };

function htmlText(record: FeedObject, field: string): string | undefined {
  const text = readText(record, field);
  if (text === undefined) return undefined;
  const decoded = decodeHtml(text);
  return decoded === '' ? undefined : decoded;
}

/** Plain text of an HTML fragment: tags dropped, entities decoded, runs of whitespace collapsed. */
export function decodeHtml(html: string): string {
  return html
    .replace(/<br\s*\/?>|<\/p>/gi, ' ')
    .replace(/<[^>]*>/g, '')
    .replace(/&#(\d+);/g, (entity, code: string) => characterFor(Number(code)) ?? entity)
    .replace(/&#x([0-9a-f]+);/gi, (entity, code: string) => characterFor(parseInt(code, 16)) ?? entity)
    .replace(/&([a-z]+);/gi, (entity, name: string) => NAMED_ENTITIES[name.toLowerCase()] ?? entity)
    .replace(/\s+/g, ' ')
    .trim();
}

function characterFor(codePoint: number): string | undefined {
  return codePoint > 0 && codePoint <= 0x10ffff ? String.fromCodePoint(codePoint) : undefined;
}
