import { rejectionReason } from '../../../../test/support/rejection-reason';
import { readFileSync } from 'fs';
import { join } from 'path';
import { RecallRecord } from '../../domain/recall-record';
import { CpscFeedMapper } from './cpsc.mapper';

const root = join(__dirname, '../../../..');
const readJson = (path: string) => JSON.parse(readFileSync(join(root, path), 'utf8'));
const sample: Array<Record<string, unknown>> = readJson('data/samples/cpsc-recalls.json');
const mapper = new CpscFeedMapper();

const rejectionOf = (raw: unknown) => rejectionReason(mapper, raw);

describe('CpscFeedMapper on the real sample feed', () => {
  const records = sample.map((raw) => mapper.map(raw));
  const byId = (id: string) => records.find((record) => record.recallId === id) as RecallRecord;

  it('maps every record of the sample', () => {
    expect(records).toHaveLength(19);
    expect(new Set(records.map((record) => record.recallId)).size).toBe(19);
    for (const record of records) {
      expect(record).toMatchObject({ agencyCode: 'CPSC', country: 'US', status: 'open' });
      expect(record.recallId).toMatch(/^CPSC-\d{5}$/);
      expect(record.recallDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(record.title.length).toBeGreaterThan(0);
    }
  });

  it("maps Fisher-Price's Rock 'n Play recall (19105) as a critical baby-product recall", () => {
    const rockNPlay = byId('CPSC-19105');
    expect(rockNPlay).toMatchObject({
      title: "Fisher-Price Recalls Rock 'n Play Sleepers Due to Reports of Deaths",
      recallDate: '2019-04-12',
      lastUpdated: '2019-04-12T00:00:00.000Z',
      brand: 'Fisher-Price',
      manufacturer: 'Fisher-Price, of East Aurora, N.Y.',
      severity: 'critical',
      riskCategory: 'baby_product',
      unitsAffected: 'About 4.7 million products',
      url: 'https://www.cpsc.gov/Recalls/2019/Fisher-Price-Recalls-Rock-n-Play-Sleepers-Due-to-Reports-of-Deaths',
    });
    expect(rockNPlay.productName).toContain("Rock 'n Play");
    expect(rockNPlay.remedy).toContain('refund or voucher');
    expect(rockNPlay.imageUrl).toMatch(/^https:\/\/www\.cpsc\.gov\//);
    expect(rockNPlay.source).toBe(sample.find((raw) => raw.RecallNumber === '19105'));
  });

  it('takes model numbers from the Model field and from the description prose', () => {
    expect(byId('CPSC-22200').identifiers.map((item) => item.normalized)).toEqual(['4M005', '1026', '1037', '4M012']);
    expect(byId('CPSC-16226').identifiers.map((item) => item.value)).toContain('702.390.98');
    expect(byId('CPSC-22211').identifiers).toEqual([{ kind: 'model_number', value: '55061', normalized: '55061' }]);
  });

  it('keeps the recall-level UPCs as GTIN-14 barcodes (Target, 19108)', () => {
    const barcodes = byId('CPSC-19108').identifiers.filter((item) => item.kind === 'barcode');
    expect(barcodes).toHaveLength(9);
    expect(barcodes).toContainEqual({ kind: 'barcode', value: '765940893043', normalized: '00765940893043' });
  });

  it('names the hazard and rates it from the hazard text', () => {
    expect(byId('CPSC-22200')).toMatchObject({ hazardCategory: 'strangulation', severity: 'critical' });
    expect(byId('CPSC-21198')).toMatchObject({ hazardCategory: 'suffocation', severity: 'critical' });
    expect(byId('CPSC-19108')).toMatchObject({ hazardCategory: 'choking', severity: 'high', riskCategory: 'toy' });
    expect(byId('CPSC-22211')).toMatchObject({ hazardCategory: 'fall', severity: 'medium' });
    expect(byId('CPSC-21194')).toMatchObject({ hazardCategory: 'chemical' });
  });

  it('adds Canada to the affected countries of recalls made jointly with Health Canada', () => {
    expect(byId('CPSC-21198').affectedCountries).toEqual(['US', 'CA']);
    expect(byId('CPSC-19105').affectedCountries).toEqual(['US']);
  });

  it('takes the brand from a "<firm> Recalls ..." title and leaves it out otherwise', () => {
    expect(byId('CPSC-21778').brand).toBe('Step2');
    expect(byId('CPSC-21781')).not.toHaveProperty('brand');
  });

  it('omits fields the feed leaves empty', () => {
    const record = mapper.map({ ...sample[0], Description: null, Images: [] });
    expect(record).not.toHaveProperty('description');
    expect(record).not.toHaveProperty('imageUrl');
  });

  it('keeps the letter suffix of an old recall number', () => {
    expect(mapper.map({ ...sample[0], RecallNumber: '99003a' }).recallId).toBe('CPSC-99003a');
  });
});

describe('CpscFeedMapper on broken records', () => {
  const broken: unknown[] = readJson('test/fixtures/feeds/cpsc-with-broken-records.json');

  it('maps the three good records of the broken-records fixture', () => {
    const good = [broken[0], broken[2], broken[4]].map((raw) => mapper.map(raw).recallId);
    expect(good).toEqual(['CPSC-22200', 'CPSC-21198', 'CPSC-19105']);
  });

  it('rejects a record without a RecallNumber', () => {
    expect(rejectionOf(broken[1])).toBe('RecallNumber is missing or empty');
  });

  it('rejects a record whose RecallDate is not a date', () => {
    expect(rejectionOf(broken[3])).toBe('RecallDate "not-a-date" is not a date');
  });

  it('rejects a record whose Products is not a list', () => {
    expect(rejectionOf(broken[5])).toBe('Products is not a list');
  });

  it('rejects the "Error retrieving Recalls" row the API sends instead of an error status', () => {
    const [errorRow] = readJson('test/fixtures/feeds/cpsc-error-row.json');
    expect(rejectionOf(errorRow)).toBe('the feed returned an error row: Error retrieving Recalls: The underlying provider failed on Open.');
  });

  it('rejects an impossible date', () => {
    expect(rejectionOf({ ...sample[0], RecallDate: '2019-02-30T00:00:00' })).toBe('RecallDate "2019-02-30T00:00:00" is not a date');
    expect(rejectionOf({ ...sample[0], LastPublishDate: '2019-13-01T00:00:00' })).toBe('LastPublishDate "2019-13-01T00:00:00" is not a date');
  });

  it('rejects values of the wrong type', () => {
    expect(rejectionOf({ ...sample[0], Title: { text: 'x' } })).toBe('Title is not text');
    expect(rejectionOf({ ...sample[0], Hazards: [{ Name: 'x' }, 'fall'] })).toBe('Hazards[1] is not an object');
    expect(rejectionOf({ ...sample[0], RecallNumber: '  ' })).toBe('RecallNumber is missing or empty');
  });

  it('rejects anything that is not an object', () => {
    expect(rejectionOf('19105')).toBe('the record is not an object');
    expect(rejectionOf(null)).toBe('the record is not an object');
    expect(rejectionOf([sample[0]])).toBe('the record is not an object');
  });
});
