import { rejectionReason } from '../../../../test/support/rejection-reason';
import { readFileSync } from 'fs';
import { join } from 'path';
import { OpenFdaFeedMapper } from './openfda.mapper';

const feed = JSON.parse(readFileSync(join(__dirname, '../../../../data/samples/openfda-food-enforcement.json'), 'utf8'));
const sample: Array<Record<string, unknown>> = feed.results;
const mapper = new OpenFdaFeedMapper();
const byNumber = (recallNumber: string) => sample.find((raw) => raw.recall_number === recallNumber)!;

const rejectionOf = (raw: unknown) => rejectionReason(mapper, raw);

describe('OpenFdaFeedMapper on the real sample feed', () => {
  const records = sample.map((raw) => mapper.map(raw));

  it('maps every record of the sample as a critical, open food recall in the US', () => {
    expect(records.map((record) => record.recallId)).toEqual([
      'FDA-F-0928-2022', 'FDA-F-0933-2022', 'FDA-F-0943-2022', 'FDA-F-0947-2022', 'FDA-F-0949-2022', 'FDA-F-0955-2022', 'FDA-F-0958-2022',
    ]);
    for (const record of records) {
      expect(record).toMatchObject({
        agencyCode: 'FDA',
        recallDate: '2022-02-17',
        lastUpdated: '2022-03-30T00:00:00.000Z',
        severity: 'critical',
        hazardCategory: 'microbial',
        riskCategory: 'food',
        status: 'open',
        country: 'US',
        affectedCountries: ['US'],
        manufacturer: 'Abbott Laboratories',
      });
      expect(record.recallReason).toContain('Cronobacter sakazakii');
    }
  });

  it('titles a recall with the first sentence of the product description', () => {
    const pm6040 = mapper.map(byNumber('F-0958-2022'));
    expect(pm6040.title).toBe('Abbott Similac PM 60/40 Low Iron Infant Formula, 14.1oz. can');
    expect(pm6040.productName).toContain('Retail UPCs: 070074608501');
    expect(pm6040.unitsAffected).toBe('8,358 cases');
  });

  it('finds the retail UPCs in the product description and the lots in code_info', () => {
    const elecare = mapper.map(byNumber('F-0949-2022'));
    const barcodes = elecare.identifiers.filter((item) => item.kind === 'barcode').map((item) => item.normalized);
    expect(barcodes).toEqual(['00070074535111', '00070074116297', '00070074119854']);
    expect(elecare.identifiers).toContainEqual({ kind: 'lot_number', value: '22331Z200', normalized: '22331Z200' });
    const pm6040 = mapper.map(byNumber('F-0958-2022'));
    expect(pm6040.identifiers.filter((item) => item.kind === 'lot_number').map((item) => item.value)).toEqual(['27032K80', '27032K800']);
  });

  it('omits the brand when openfda is empty, as it is for food', () => {
    expect(records[0]).not.toHaveProperty('brand');
    expect(records[0]).not.toHaveProperty('url');
  });
});

describe('OpenFdaFeedMapper on edge cases', () => {
  const base = byNumber('F-0955-2022');

  it('reads the brand and UPCs of the openfda block', () => {
    const record = mapper.map({ ...base, openfda: { brand_name: ['Similac'], upc: ['0070074608501', '123'] } });
    expect(record.brand).toBe('Similac');
    expect(record.identifiers).toContainEqual({ kind: 'barcode', value: '0070074608501', normalized: '00070074608501' });
  });

  it('closes terminated and completed recalls and reads both spellings of ongoing', () => {
    expect(mapper.map({ ...base, status: 'Terminated' }).status).toBe('closed');
    expect(mapper.map({ ...base, status: 'Completed' }).status).toBe('closed');
    expect(mapper.map({ ...base, status: 'On-Going' }).status).toBe('open');
  });

  it('rates Class II and Class III recalls by their class', () => {
    expect(mapper.map({ ...base, classification: 'Class II' }).severity).toBe('medium');
    expect(mapper.map({ ...base, classification: 'Class III' }).severity).toBe('low');
  });

  it('uses the report date when the initiation date is missing, and treats "N/A" and "" as absent', () => {
    expect(mapper.map({ ...base, recall_initiation_date: '' }).recallDate).toBe('2022-03-16');
    const record = mapper.map({ ...base, recalling_firm: 'N/A', product_quantity: '' });
    expect(record).not.toHaveProperty('manufacturer');
    expect(record).not.toHaveProperty('unitsAffected');
  });

  it('rejects a record without a recall_number', () => {
    expect(rejectionOf({ ...base, recall_number: '' })).toBe('recall_number is missing or empty');
  });

  it('rejects dates that are not YYYYMMDD calendar days', () => {
    expect(rejectionOf({ ...base, recall_initiation_date: '20221399' })).toBe('recall_initiation_date "20221399" is not a date');
    expect(rejectionOf({ ...base, report_date: '2022-03-16' })).toBe('report_date "2022-03-16" is not a date');
    expect(rejectionOf({ ...base, recall_initiation_date: undefined, report_date: undefined })).toBe(
      'recall_initiation_date and report_date are both missing',
    );
  });

  it('rejects an openfda block that is not an object and a brand list that is not a list', () => {
    expect(rejectionOf({ ...base, openfda: 'Similac' })).toBe('openfda is not an object');
    expect(rejectionOf({ ...base, openfda: { brand_name: 'Similac' } })).toBe('brand_name is not a list');
  });
});
