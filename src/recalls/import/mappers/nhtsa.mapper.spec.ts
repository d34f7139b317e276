import { rejectionReason } from '../../../../test/support/rejection-reason';
import { readFileSync } from 'fs';
import { join } from 'path';
import { NhtsaFeedMapper } from './nhtsa.mapper';

const feed = JSON.parse(readFileSync(join(__dirname, '../../../../data/samples/nhtsa-child-seat-recalls.json'), 'utf8'));
const rows: Array<Record<string, unknown>> = feed.results;
const mapper = new NhtsaFeedMapper();

const rejectionOf = (raw: unknown) => rejectionReason(mapper, raw);

describe('NhtsaFeedMapper on the real sample feed', () => {
  const records = rows.map((row) => mapper.map(row));

  it('maps every row of the sample as a US child-seat recall', () => {
    expect(records).toHaveLength(6);
    for (const record of records) {
      expect(record).toMatchObject({ agencyCode: 'NHTSA', brand: 'GRACO', country: 'US', riskCategory: 'baby_product' });
    }
  });

  it('reads ReportReceivedDate day first (08C001000: 02/01/2008 is 2 January 2008)', () => {
    expect(records.find((record) => record.recallId === 'NHTSA-08C001000')).toMatchObject({
      recallDate: '2008-01-02',
      title: 'GRACO COMFORTSPORT child seat recall',
      productName: 'GRACO COMFORTSPORT',
      manufacturer: "Graco Children's Products",
      unitsAffected: '18',
      hazardCategory: 'crash_protection',
      severity: 'medium',
    });
  });

  it('dates a row without ReportReceivedDate to the start of its campaign year', () => {
    expect(records.find((record) => record.recallId === 'NHTSA-16C002000')!.recallDate).toBe('2016-01-01');
  });

  it('takes model numbers from the Model field and from the summary', () => {
    const turboBooster = records.find((record) => record.recallId === 'NHTSA-16C004000')!;
    expect(turboBooster.identifiers.map((item) => item.normalized)).toEqual([
      'TURBOBOOSTER', '1967886', '1963973', '1963974', '1963975', '1963976', '1975173',
    ]);
    expect(records.find((record) => record.recallId === 'NHTSA-08C001000')!.identifiers.map((item) => item.value)).toContain('8C02MRC2');
  });

  it('combines the rows of one campaign into one recall', () => {
    const campaigns = mapper.mergeCampaignRows(records);
    expect(campaigns.map((record) => record.recallId)).toEqual(['NHTSA-16C004000', 'NHTSA-16C002000', 'NHTSA-15C001000', 'NHTSA-08C001000']);
    const comfortSport = campaigns[2];
    expect(comfortSport.title).toBe('GRACO COMFORTSPORT, READY RIDE, CLASSIC RIDE child seat recall');
    expect(comfortSport.productName).toBe('GRACO COMFORTSPORT; GRACO READY RIDE; GRACO CLASSIC RIDE');
    expect(comfortSport.identifiers.map((item) => item.normalized)).toEqual(
      expect.arrayContaining(['COMFORTSPORT', 'READYRIDE', 'CLASSICRIDE', '1924520']),
    );
    expect(comfortSport.source).toHaveLength(3);
  });
});

describe('NhtsaFeedMapper on edge cases', () => {
  const base = rows[5];

  it('titles a row without Make and Model with the first sentence of its summary', () => {
    expect(mapper.map({ ...base, Make: '', Model: '' }).title).toBe(
      'CERTAIN GRACO COMFORTSPORT CHILD RESTRAINT SYSTEMS, MODEL 8C02MRC2, MANUFACTURED ON OCTOBER 22, 2007, WERE NOT CERTIFIED TO COMPLY WITH FEDERAL MOTOR VEHICLE SAFETY STANDARD NO. 213, "CHILD RESTRAINT…',
    );
    expect(mapper.map({ ...rows[1], Make: '', Model: '' }).title).toBe(
      "Graco Children's Products, Inc. (Graco) is recalling certain Extend2Fit Convertible child seats manufactured November 27, 2015, to January 20, 2016",
    );
  });

  it('names the component in the title when the feed gives one', () => {
    expect(mapper.map({ ...base, Component: 'CHILD SEAT' }).title).toBe('GRACO COMFORTSPORT child seat recall (CHILD SEAT)');
  });

  it('rejects a row without a campaign number', () => {
    expect(rejectionOf({ ...base, NHTSACampaignNumber: '' })).toBe('NHTSACampaignNumber is missing or empty');
  });

  it('rejects a ReportReceivedDate that is not a day-first date', () => {
    expect(rejectionOf({ ...base, ReportReceivedDate: '30/02/2008' })).toBe('ReportReceivedDate "30/02/2008" is not a date');
    expect(rejectionOf({ ...base, ReportReceivedDate: 'not-a-date' })).toBe('ReportReceivedDate "not-a-date" is not a date');
  });

  it('rejects a summary that is not text', () => {
    expect(rejectionOf({ ...base, Summary: ['x'] })).toBe('Summary is not text');
  });
});
