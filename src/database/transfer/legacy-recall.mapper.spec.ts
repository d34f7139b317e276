import { RecordRejectedError } from '../../recalls/domain/recall-record';
import { mapLegacyRecall } from './legacy-recall.mapper';

const row = (fields: Record<string, unknown>) => ({ id: 1, recall_id: 'CPSC-19105', product_name: 'Rock n Play Sleeper', recall_date: '2019-04-12', ...fields });

describe('mapLegacyRecall', () => {
  it('keeps a RAPEX- recall id as it is, with the EU Safety Gate agency', () => {
    const record = mapLegacyRecall(row({ recall_id: 'RAPEX-A12/0001/23', source_agency: 'EU RAPEX' }));
    expect(record.recallId).toBe('RAPEX-A12/0001/23');
    expect(record.agencyCode).toBe('EU_SAFETY_GATE');
  });

  it.each([
    ['Health Canada', 'HEALTH_CANADA'],
    ['Health_Canada', 'HEALTH_CANADA'],
    ['US FDA', 'FDA'],
    ['EU_RAPEX', 'EU_SAFETY_GATE'],
    ['EU Safety Gate', 'EU_SAFETY_GATE'],
  ])('reads the agency label "%s" when the id has no prefix of ours', (label, agency) => {
    expect(mapLegacyRecall(row({ recall_id: '12345', source_agency: label })).agencyCode).toBe(agency);
  });

  it('rejects a recall of an agency this service does not serve, naming the label', () => {
    expect(() => mapLegacyRecall(row({ recall_id: 'UKOPSS-1', source_agency: 'UK OPSS' }))).toThrow(/source_agency "UK OPSS"/);
  });

  it('splits model numbers and barcodes on , ; and /, and restores a UPC that lost its leading zero', () => {
    const record = mapLegacyRecall(row({ model_number: 'A-1, B 2; C3/D4', upc: '0 79346 62703 5, 36000291452', ean_code: 'not a code' }));
    expect(record.identifiers).toEqual([
      { kind: 'barcode', value: '0 79346 62703 5', normalized: '00079346627035' },
      { kind: 'barcode', value: '36000291452', normalized: '00036000291452' },
      { kind: 'model_number', value: 'A-1', normalized: 'A1' },
      { kind: 'model_number', value: 'B 2', normalized: 'B2' },
      { kind: 'model_number', value: 'C3', normalized: 'C3' },
      { kind: 'model_number', value: 'D4', normalized: 'D4' },
    ]);
  });

  it('treats empty strings as absent', () => {
    const record = mapLegacyRecall(row({ brand: '', hazard: '', country: '', severity: '', status: '', regions_affected: '' }));
    expect(record).not.toHaveProperty('brand');
    expect(record).not.toHaveProperty('hazard');
    expect(record).not.toHaveProperty('country');
    expect(record).not.toHaveProperty('affectedCountries');
    expect(record.severity).toBe('medium');
  });

  it('reads JSON columns stored as text (SQLite) and as JSON (PostgreSQL) alike', () => {
    const asText = mapLegacyRecall(row({ regions_affected: '["US-CA", "EU"]', registry_codes: '{"anvisa": "ABC123"}' }));
    const asJson = mapLegacyRecall(row({ regions_affected: ['US-CA', 'EU'], registry_codes: { anvisa: 'ABC123' } }));
    expect(asText.affectedCountries).toEqual(['US-CA', 'EU']);
    expect(asText).toEqual(asJson);
  });

  it('keeps a valid severity in any case and derives one from the FDA class otherwise', () => {
    expect(mapLegacyRecall(row({ severity: 'HIGH' })).severity).toBe('high');
    expect(mapLegacyRecall(row({ severity: null, recall_class: 'Class I' })).severity).toBe('critical');
  });

  it.each([
    [{ recall_date: null }, /recall_date is missing/],
    [{ recall_date: '' }, /recall_date is missing/],
    [{ recall_date: '1899-12-31' }, /not a date/],
    [{ recall_date: '2101-01-01' }, /not a date/],
    [{ product_name: '' }, /product_name is missing/],
    [{ recall_id: '' }, /recall_id is missing/],
    [{ last_updated: '0201-13-40' }, /not a date/],
  ])('rejects %j', (fields, reason) => {
    expect(() => mapLegacyRecall(row(fields))).toThrow(RecordRejectedError);
    expect(() => mapLegacyRecall(row(fields))).toThrow(reason);
  });

  it('reads PostgreSQL timestamps and SQLite date-time text', () => {
    expect(mapLegacyRecall(row({ last_updated: new Date('2021-12-01T09:00:00Z') })).lastUpdated).toBe('2021-12-01T09:00:00.000Z');
    expect(mapLegacyRecall(row({ last_updated: '2021-12-01 09:00:00', recall_date: '2021-12-01 00:00:00.000000' })).recallDate).toBe('2021-12-01');
  });
});
