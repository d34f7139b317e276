import { readFileSync } from 'fs';
import { join } from 'path';
import {
  distinctIdentifiers,
  extractBarcodes,
  extractLotNumbers,
  extractModelNumbers,
  identifier,
  normalizeBarcode,
  normalizeLotNumber,
  normalizeModelNumber,
} from './product-identifiers';

const cpscSample: Array<{ RecallNumber: string; Description: string | null }> = JSON.parse(
  readFileSync(join(__dirname, '../../../data/samples/cpsc-recalls.json'), 'utf8'),
);
const descriptionOf = (recallNumber: string) => cpscSample.find((recall) => recall.RecallNumber === recallNumber)!.Description!;

describe('normalizeBarcode', () => {
  it('accepts a UPC-A and returns it as a zero-padded GTIN-14', () => {
    expect(normalizeBarcode('036000291452')).toEqual({ ok: true, gtin14: '00036000291452' });
  });

  it('treats a UPC-A and the same code typed with a leading zero as one product', () => {
    expect(normalizeBarcode('079346627035')).toEqual({ ok: true, gtin14: '00079346627035' });
    expect(normalizeBarcode('0079346627035')).toEqual({ ok: true, gtin14: '00079346627035' });
  });

  it('ignores spaces and hyphens as printed under the bars', () => {
    expect(normalizeBarcode('0 70074 60850 1')).toEqual({ ok: true, gtin14: '00070074608501' });
    expect(normalizeBarcode('2000000 256559')).toEqual({ ok: true, gtin14: '02000000256559' });
    expect(normalizeBarcode('0-36000-29145-2')).toEqual({ ok: true, gtin14: '00036000291452' });
  });

  it('accepts an EAN-13', () => {
    expect(normalizeBarcode('4006381333931')).toEqual({ ok: true, gtin14: '04006381333931' });
  });

  it('accepts a GTIN-14', () => {
    expect(normalizeBarcode('10012345678902')).toEqual({ ok: true, gtin14: '10012345678902' });
  });

  it('accepts an EAN-8', () => {
    expect(normalizeBarcode('96385074')).toEqual({ ok: true, gtin14: '00000096385074' });
  });

  it('expands a UPC-E to the UPC-A it stands for, so both forms match', () => {
    expect(normalizeBarcode('04252614')).toEqual({ ok: true, gtin14: '00042100005264' });
    expect(normalizeBarcode('042100005264')).toEqual({ ok: true, gtin14: '00042100005264' });
  });

  it('rejects a bad check digit and says which digit was expected', () => {
    expect(normalizeBarcode('079346627034')).toEqual({ ok: false, reason: 'check digit is 4, expected 5' });
    expect(normalizeBarcode('4006381333932')).toEqual({ ok: false, reason: 'check digit is 2, expected 1' });
    expect(normalizeBarcode('10012345678903')).toEqual({ ok: false, reason: 'check digit is 3, expected 2' });
  });

  it('rejects an 8-digit code that is neither a valid EAN-8 nor a valid UPC-E', () => {
    expect(normalizeBarcode('96385075')).toEqual({ ok: false, reason: 'check digit is 5, expected 4' });
  });

  it('rejects codes of any other length, including an 11-digit UPC-A missing its leading zero', () => {
    expect(normalizeBarcode('79346627035')).toEqual({ ok: false, reason: 'a barcode has 8, 12, 13 or 14 digits, this one has 11' });
    expect(normalizeBarcode('12345')).toMatchObject({ ok: false });
  });

  it('rejects letters and empty input', () => {
    expect(normalizeBarcode('07934662703X')).toEqual({ ok: false, reason: 'a barcode has only digits' });
    expect(normalizeBarcode('  ')).toEqual({ ok: false, reason: 'the barcode is empty' });
  });
});

describe('normalizeModelNumber and normalizeLotNumber', () => {
  it('ignore case, spaces, hyphens, dots, slashes and underscores', () => {
    for (const spelling of ['4M-005', '4m005', '4M 005', '4m.005', '4M/005', '4m_005']) {
      expect(normalizeModelNumber(spelling)).toBe('4M005');
    }
    expect(normalizeModelNumber('702.390.98')).toBe(normalizeModelNumber('702 390 98'));
    expect(normalizeLotNumber('27032-k80')).toBe('27032K80');
  });
});

describe('identifier', () => {
  it('keeps the value as printed and stores the comparable form', () => {
    expect(identifier('barcode', ' 2000000 256559 ')).toEqual({ kind: 'barcode', value: '2000000 256559', normalized: '02000000256559' });
    expect(identifier('model_number', '4M-005')).toEqual({ kind: 'model_number', value: '4M-005', normalized: '4M005' });
    expect(identifier('lot_number', '23420SH00')).toEqual({ kind: 'lot_number', value: '23420SH00', normalized: '23420SH00' });
  });

  it('skips barcodes that do not check out and empty values', () => {
    expect(identifier('barcode', '079346627034')).toBeUndefined();
    expect(identifier('model_number', '  ')).toBeUndefined();
    expect(identifier('model_number', '--')).toBeUndefined();
  });

  it('keeps one identifier per kind and comparable value', () => {
    const kept = distinctIdentifiers([identifier('model_number', '4M-005'), identifier('model_number', '4m005'), undefined, identifier('lot_number', '4M-005')]);
    expect(kept.map((item) => `${item.kind}:${item.value}`)).toEqual(['model_number:4M-005', 'lot_number:4M-005']);
  });
});

describe('extractModelNumbers', () => {
  it('finds "The model number is 55061" and stops at the date codes that follow (Huffy, 22211)', () => {
    expect(extractModelNumbers(descriptionOf('22211'))).toEqual(['55061']);
  });

  it('finds every model number named in parentheses and sentences (4moms, 22200)', () => {
    expect(extractModelNumbers(descriptionOf('22200'))).toEqual(['4M-005', '1026', '1037', '4M-012']);
  });

  it('reads lists joined with commas and "and" (Little Lotus, 16756)', () => {
    expect(extractModelNumbers(descriptionOf('16756'))).toEqual(['901-01', '830-03', '830-05', '830-07']);
  });

  it('ends a list at the first word that is not a model number (ALEX, 16248)', () => {
    expect(extractModelNumbers(descriptionOf('16248'))).toEqual(['1982', '1981P', '1981S']);
  });

  it('reads a quoted model number and one in parentheses', () => {
    expect(extractModelNumbers(descriptionOf('21778'))).toEqual(['4134']);
    expect(extractModelNumbers(descriptionOf('19110'))).toEqual(['3010874']);
  });

  it('handles "Model:", "style numbers", "item #" and "or"', () => {
    expect(extractModelNumbers('Model: ABC123. Style numbers 4M-005, 4M-006 and 4M-007.')).toEqual(['ABC123', '4M-005', '4M-006', '4M-007']);
    expect(extractModelNumbers('Item # 12345 or 12346 were sold')).toEqual(['12345', '12346']);
    expect(extractModelNumbers('SKU: XK-220; XK-221')).toEqual(['XK-220', 'XK-221']);
  });

  it('finds nothing where the cue is followed by ordinary words or version numbers', () => {
    expect(extractModelNumbers('The MamaRoo model that uses a 5-point harness is not included.')).toEqual([]);
    expect(extractModelNumbers('The model number is located on the bottom of the unit.')).toEqual([]);
    expect(extractModelNumbers('This recall involves two styles of sleepwear sold in sizes 120 and 130.')).toEqual([]);
    expect(extractModelNumbers('model 2.0 and the model year')).toEqual([]);
  });

  it('returns each model number once, in order of first mention', () => {
    expect(extractModelNumbers('model TR314. Model number TR-314 is on the label, model 01451CCYA')).toEqual(['TR314', '01451CCYA']);
  });
});

describe('extractLotNumbers', () => {
  it('reads space-separated batch lists as openFDA code_info prints them', () => {
    expect(extractLotNumbers('Batches: 25558Z260 27940Z260 29267Z260')).toEqual(['25558Z260', '27940Z260', '29267Z260']);
  });

  it('skips packaging notes between lots', () => {
    expect(extractLotNumbers('Batches: 27032K80 (can) / 27032K800 (case)')).toEqual(['27032K80', '27032K800']);
  });

  it('reads "Lot #" and "lot numbers" cues and stops at words', () => {
    expect(extractLotNumbers('Lot #: 2201A, 2202B exp 12/2023')).toEqual(['2201A', '2202B']);
    expect(extractLotNumbers('lot numbers 7731 and 7732 only')).toEqual(['7731', '7732']);
    expect(extractLotNumbers('a lot of product was shipped')).toEqual([]);
  });
});

describe('extractBarcodes', () => {
  it('finds UPCs in free text and keeps only those whose check digit is right', () => {
    expect(extractBarcodes('Retail UPCs: 055325626602 055325626626 055325626627 Item 6635013')).toEqual(['055325626602', '055325626626']);
  });
});
