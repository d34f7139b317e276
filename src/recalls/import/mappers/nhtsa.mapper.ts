import { recallIdFor } from '../../domain/agencies';
import { distinctIdentifiers, extractModelNumbers, identifier } from '../../domain/product-identifiers';
import { RecallRecord, RecordRejectedError } from '../../domain/recall-record';
import { deriveSeverity } from '../../domain/severity-rules';
import {
  FeedMapper,
  FeedObject,
  dayFirstDay,
  isoDay,
  joinedOrAbsent,
  readText,
  requireFeedObject,
  requireText,
  withoutAbsentFields,
} from './feed-mapper';

/**
 * One element of `results` in an NHTSA recalls response (`{Count, Message, results}`). NHTSA returns one row per
 * affected model, so a campaign can arrive as several rows: map each, then combine them with `mergeCampaignRows`.
 */
export class NhtsaFeedMapper implements FeedMapper {
  readonly source = 'nhtsa' as const;
  readonly agencyCode = 'NHTSA' as const;

  map(raw: unknown): RecallRecord {
    const row = requireFeedObject(raw);
    const campaignNumber = requireText(row, 'NHTSACampaignNumber');
    const recallDate = reportDateOf(row, campaignNumber);
    const make = readText(row, 'Make');
    const model = readText(row, 'Model');
    const summary = readText(row, 'Summary');
    const consequence = readText(row, 'Consequence');
    const isChildSeatCampaign = /^\d{2}C/i.test(campaignNumber);

    const title = titleFor(make, model ? [model] : [], readText(row, 'Component'), isChildSeatCampaign) ?? firstSentence(summary);
    if (!title) throw new RecordRejectedError('Make, Model and Summary are all missing or empty');
    const { severity, hazardCategory } = deriveSeverity({ text: [summary, consequence].filter(Boolean).join(' ') });

    return withoutAbsentFields({
      recallId: recallIdFor(this.agencyCode, campaignNumber),
      agencyCode: this.agencyCode,
      title,
      productName: joinedOrAbsent([make, model].filter((part): part is string => !!part), ' '),
      brand: make,
      manufacturer: readText(row, 'Manufacturer'),
      description: summary,
      hazard: consequence,
      hazardCategory,
      remedy: readText(row, 'Remedy'),
      recallDate,
      country: 'US',
      affectedCountries: ['US'],
      severity,
      // The "C" in a campaign number (24C001000) marks child-restraint equipment.
      riskCategory: isChildSeatCampaign ? 'baby_product' : 'other',
      unitsAffected: readText(row, 'PotentialNumberofUnitsAffected'),
      identifiers: distinctIdentifiers([
        model ? identifier('model_number', model) : undefined,
        ...extractModelNumbers(summary ?? '').map((found) => identifier('model_number', found)),
      ]),
      source: raw,
    });
  }

  /** One record per campaign: rows of the same campaign (one per model) are combined, in feed order. */
  mergeCampaignRows(records: RecallRecord[]): RecallRecord[] {
    const byId = new Map<string, RecallRecord[]>();
    for (const record of records) byId.set(record.recallId, [...(byId.get(record.recallId) ?? []), record]);
    return [...byId.values()].map((rows) => (rows.length === 1 ? rows[0] : this.combine(rows)));
  }

  private combine(rows: RecallRecord[]): RecallRecord {
    const [first] = rows;
    const sources = rows.map((row) => row.source as FeedObject);
    const models = [...new Set(sources.map((source) => readText(source, 'Model')).filter((model): model is string => !!model))];
    const make = first.brand;
    const component = readText(sources[0], 'Component');
    return withoutAbsentFields({
      ...first,
      title: titleFor(make, models, component, first.riskCategory === 'baby_product') ?? first.title,
      productName: joinedOrAbsent(rows.map((row) => row.productName).filter((name): name is string => !!name), '; '),
      identifiers: distinctIdentifiers(rows.flatMap((row) => row.identifiers)),
      source: sources,
    });
  }
}

function titleFor(make: string | undefined, models: string[], component: string | undefined, childSeat: boolean): string | undefined {
  if (!make && models.length === 0) return undefined;
  const product = [make, models.join(', ')].filter(Boolean).join(' ');
  return `${product} ${childSeat ? 'child seat recall' : 'recall'}${component ? ` (${component})` : ''}`;
}

/** "... STANDARD NO. 213 ..." does not end a sentence; a capital letter after the full stop does. */
function firstSentence(text: string | undefined): string | undefined {
  const sentence = text?.split(/\.\s+(?=[A-Z])/)[0].replace(/\.$/, '');
  return sentence && sentence.length > 200 ? `${sentence.slice(0, 200).replace(/\s+\S*$/, '')}…` : sentence;
}

/**
 * ReportReceivedDate is day first (DD/MM/YYYY) in this feed. NHTSA leaves it empty on some rows; a campaign number
 * starts with the two-digit year the campaign was opened (16C002000), so those rows get January 1st of that year
 * rather than being dropped: the recall is real, and year-level ordering stays right.
 */
function reportDateOf(row: FeedObject, campaignNumber: string): string {
  const received = readText(row, 'ReportReceivedDate');
  if (received) {
    return /^\d{4}-/.test(received) ? isoDay(received, 'ReportReceivedDate') : dayFirstDay(received, 'ReportReceivedDate');
  }
  const year = campaignNumber.match(/^(\d{2})[A-Z]/i)?.[1];
  if (!year) throw new RecordRejectedError('ReportReceivedDate is missing and the campaign number has no year');
  const fullYear = Number(year) >= 66 ? 1900 + Number(year) : 2000 + Number(year);
  return `${fullYear}-01-01`;
}
