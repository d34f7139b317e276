import { rejectionReason } from '../../../../test/support/rejection-reason';
import { readFileSync } from 'fs';
import { join } from 'path';
import { EuSafetyGateFeedMapper, parseEuSafetyGateXml } from './eu-safety-gate.mapper';

const xml = readFileSync(join(__dirname, '../../../../data/samples/eu-safety-gate.xml'), 'utf8');
const mapper = new EuSafetyGateFeedMapper();

const rejectionOf = (raw: unknown) => rejectionReason(mapper, raw);

describe('parseEuSafetyGateXml', () => {
  const notifications = parseEuSafetyGateXml(xml);

  it('returns each notification with the date of the report that published it', () => {
    expect(notifications.map(({ notification, reportDate }) => [notification.caseNumber, reportDate])).toEqual([
      ['SR/03644/25', '24/10/2025'],
      ['SR/03062/25', '29/08/2025'],
      ['A12/03432/24', '06/12/2024'],
      ['A12/01192/23', '26/05/2023'],
      ['A12/00398/20', '13/03/2020'],
    ]);
  });

  it('refuses XML that is not well-formed, naming the line and column where it breaks', () => {
    expect(() => parseEuSafetyGateXml('<report>\n  <notifications><caseNumber>SR/1</caseNumbr></notifications>\n</report>')).toThrow(
      /^line 2, column \d+: .*closing tag/,
    );
  });

  it('keeps every value as text, so barcodes and model numbers are not turned into numbers', () => {
    expect(notifications[3].notification.barcode).toBe('2000000 256559');
  });

  it('reads a live-style report: one report_date at the top, notifications directly under the root', () => {
    const live = `<?xml version="1.0"?><Safety-Gate xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><report_date>07/03/2025</report_date>
      <notifications><caseNumber>SR/00001/25</caseNumber><product><![CDATA[Rattle]]></product><level>Other risk</level></notifications>
      <notifications><caseNumber>SR/00002/25</caseNumber><product><![CDATA[Bib]]></product></notifications></Safety-Gate>`;
    expect(parseEuSafetyGateXml(live).map((item) => [item.notification.caseNumber, item.reportDate])).toEqual([
      ['SR/00001/25', '07/03/2025'],
      ['SR/00002/25', '07/03/2025'],
    ]);
  });
});

describe('EuSafetyGateFeedMapper on the real sample feed', () => {
  const records = parseEuSafetyGateXml(xml).map((item) => mapper.map(item));
  const byId = (id: string) => records.find((record) => record.recallId === id)!;

  it('maps every notification of the sample as a serious-risk recall', () => {
    expect(records.map((record) => record.recallId)).toEqual([
      'EU-SR/03644/25', 'EU-SR/03062/25', 'EU-A12/03432/24', 'EU-A12/01192/23', 'EU-A12/00398/20',
    ]);
    for (const record of records) expect(record).toMatchObject({ agencyCode: 'EU_SAFETY_GATE', severity: 'high' });
  });

  it('maps the Novoka pacifier (SR/03062/25), which has no product type', () => {
    expect(byId('EU-SR/03062/25')).toMatchObject({
      title: 'Novoka Kreativ Silikonsmokk',
      productName: 'Kreativ Silikonsmokk',
      brand: 'Novoka',
      recallDate: '2025-08-29',
      country: 'NO',
      affectedCountries: ['NO'],
      // riskType "Choking, Suffocation": the table names the more dangerous hazard.
      hazardCategory: 'suffocation',
      riskCategory: 'baby_product',
      remedy: 'Withdrawal of the product from the market; Recall of the product from end users',
    });
  });

  it('maps the soft toy (SR/03644/25) with its model number and leaves nil elements out', () => {
    const softToy = byId('EU-SR/03644/25');
    expect(softToy).toMatchObject({ title: 'Soft toy', country: 'LT', riskCategory: 'toy', hazardCategory: 'choking' });
    expect(softToy.description).toContain('barking brown dog');
    expect(softToy.hazard).toContain('small parts (the eyes)');
    expect(softToy.identifiers).toEqual([{ kind: 'model_number', value: 'P-903-6', normalized: 'P9036' }]);
    expect(softToy).not.toHaveProperty('brand');
    expect(softToy).not.toHaveProperty('url');
  });

  it('keeps the published barcode and both model numbers', () => {
    expect(byId('EU-A12/01192/23')).toMatchObject({ title: "Children's hoodie: Sweet Junior", hazardCategory: 'strangulation', country: 'IT' });
    expect(byId('EU-A12/01192/23').identifiers).toContainEqual({ kind: 'barcode', value: '2000000 256559', normalized: '02000000256559' });
    expect(byId('EU-A12/03432/24').identifiers.map((item) => item.value)).toEqual(['24W-04TG-005-PK-SY04', 'ND-6049']);
  });
});

describe('EuSafetyGateFeedMapper on edge cases', () => {
  const [item] = parseEuSafetyGateXml(xml);

  it('sorts an older batchNumber_barcode field into barcodes and lots', () => {
    const record = mapper.map({ ...item, notification: { ...item.notification, batchNumber_barcode: '4006381333931, LOT 2231' } });
    expect(record.identifiers).toEqual(
      expect.arrayContaining([
        { kind: 'barcode', value: '4006381333931', normalized: '04006381333931' },
        { kind: 'lot_number', value: 'LOT 2231', normalized: 'LOT2231' },
      ]),
    );
  });

  it('rates an "Other risk" notification medium', () => {
    expect(mapper.map({ ...item, notification: { ...item.notification, level: 'Other risk' } }).severity).toBe('medium');
  });

  it('rejects a notification without a case number or report date', () => {
    expect(rejectionOf({ ...item, notification: { ...item.notification, caseNumber: { '@_xsi:nil': 'true' } } })).toBe('caseNumber is missing or empty');
    expect(rejectionOf({ notification: item.notification })).toBe('the notification has no report date');
    expect(rejectionOf({ ...item, reportDate: '31/02/2025' })).toBe('report_date "31/02/2025" is not a date');
  });

  it('rejects input that is not a { notification, reportDate } object', () => {
    expect(rejectionOf(item.notification)).toBe('notification is not an object');
    expect(rejectionOf('SR/03644/25')).toBe('the record is not an object');
  });
});
