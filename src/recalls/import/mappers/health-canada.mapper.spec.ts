import { rejectionReason } from '../../../../test/support/rejection-reason';
import { readFileSync } from 'fs';
import { join } from 'path';
import { decodeHtml, HealthCanadaFeedMapper } from './health-canada.mapper';

const text = readFileSync(join(__dirname, '../../../../data/samples/health-canada-recalls.json'), 'utf8');
const sample: Array<Record<string, unknown>> = JSON.parse(text.replace(/^\uFEFF/, ''));
const mapper = new HealthCanadaFeedMapper();
const byNid = (nid: string) => sample.find((raw) => raw.NID === nid)!;

const rejectionOf = (raw: unknown) => rejectionReason(mapper, raw);

describe('HealthCanadaFeedMapper on the real sample feed', () => {
  const records = sample.map((raw) => mapper.map(raw));

  it('maps every record of the sample (the file starts with a byte-order mark)', () => {
    expect(text.charCodeAt(0)).toBe(0xfeff);
    expect(records.map((record) => record.recallId)).toEqual(['HC-59920', 'HC-76483', 'HC-76335', 'HC-69584', 'HC-68812', 'HC-59912', 'HC-59914']);
    for (const record of records) {
      expect(record).toMatchObject({ agencyCode: 'HEALTH_CANADA', country: 'CA', status: 'closed' });
    }
  });

  it("maps McDonald's Step-iT wristbands (59920) as a joint recall with the US CPSC", () => {
    expect(records[0]).toMatchObject({
      title: 'McDonald\'s recalls "Step-iT" Activity Wristbands',
      productName: '"Step-iT" Activity Wristbands',
      brand: "McDonald's",
      recallDate: '2016-08-23',
      lastUpdated: '2016-08-23T00:00:00.000Z',
      affectedCountries: ['CA', 'US'],
      hazardCategory: 'burn',
      url: 'https://recalls-rappels.canada.ca/en/alert-recall/mcdonald-s-recalls-step-it-activity-wristbands',
    });
  });

  it('decodes HTML entities in every text field', () => {
    expect(records[0].remedy).toContain("any McDonald's for a free replacement");
    expect(records[0].remedy).toContain('4622. Joint recall with Health Canada');
    const bathrobes = mapper.map(byNid('69584'));
    expect(bathrobes.productName).toBe("H&M children's hooded bathrobes");
    expect(bathrobes.remedy).not.toMatch(/&(?:amp|nbsp);/);
  });

  it('titles a record with an empty Title by its Product', () => {
    expect(mapper.map(byNid('76483'))).toMatchObject({
      title: 'Boppy Original Newborn Loungers, Boppy Preferred Newborn Loungers and Pottery Barn Kids Boppy Newborn Loungers',
      hazardCategory: 'suffocation',
      severity: 'high',
      riskCategory: 'baby_product',
    });
  });

  it('finds the model numbers listed in the product name', () => {
    expect(mapper.map(byNid('59912')).identifiers.map((item) => item.value)).toEqual(['TR314', '01451CCYA', '01451CDGI', '01451CDGJ']);
  });
});

describe('HealthCanadaFeedMapper on edge cases', () => {
  const base = byNid('59914');

  it('keeps a recall open until it is archived', () => {
    expect(mapper.map({ ...base, Archived: '0' }).status).toBe('open');
  });

  it('follows the recall class when the record has one', () => {
    expect(mapper.map({ ...base, 'Recall class': 'Type III' }).severity).toBe('low');
    expect(mapper.map({ ...base, 'Recall class': 'Type I' }).severity).toBe('critical');
  });

  it('reads a full ISO timestamp in "Last updated"', () => {
    expect(mapper.map({ ...base, 'Last updated': '2024-05-01T14:30:00Z' })).toMatchObject({
      recallDate: '2024-05-01',
      lastUpdated: '2024-05-01T14:30:00.000Z',
    });
  });

  it('uses the Toys category', () => {
    expect(mapper.map({ ...base, Category: 'Toys' }).riskCategory).toBe('toy');
  });

  it('rejects a record without an NID or without a date', () => {
    expect(rejectionOf({ ...base, NID: '' })).toBe('NID is missing or empty');
    expect(rejectionOf({ ...base, 'Last updated': '' })).toBe('Last updated is missing or empty');
    expect(rejectionOf({ ...base, 'Last updated': '2019-02-30' })).toBe('Last updated "2019-02-30" is not a date');
  });

  it('rejects a record with neither Title nor Product', () => {
    expect(rejectionOf({ ...base, Title: '', Product: '' })).toBe('Title and Product are both missing or empty');
  });
});

describe('decodeHtml', () => {
  it('decodes named and numeric entities and strips tags', () => {
    expect(decodeHtml('<p>A&nbsp;&amp;&#39;B&quot;&lt;&gt;&#x2019;</p><br/>C')).toBe('A &\'B"<>’ C');
  });
});
