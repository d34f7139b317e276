import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CpscFeedMapper } from '../import/mappers/cpsc.mapper';
import { EuSafetyGateFeedMapper, parseEuSafetyGateXml } from '../import/mappers/eu-safety-gate.mapper';
import { RecordRejectedError } from './recall-record';
import { storableRecord, storableText } from './storable-record';

const samples = join(__dirname, '../../../data/samples');
const cpsc = JSON.parse(readFileSync(join(samples, 'cpsc-recalls.json'), 'utf8')) as Array<Record<string, any>>;
const mapCpsc = (changes: Record<string, unknown>) => new CpscFeedMapper().map({ ...cpsc[0], ...changes });

describe('storableText', () => {
  it('drops NUL characters and replaces unpaired surrogates with U+FFFD, keeping paired ones (emoji)', () => {
    expect(storableText('be\u0000fore\u0000')).toBe('before');
    expect(storableText('a\ud800b\udc00c')).toBe('a\uFFFDb\uFFFDc');
    expect(storableText('bottle 🍼 \ud83c')).toBe('bottle 🍼 \uFFFD');
    const plain = 'Tab\there, émoji 🍼, 漢字';
    expect(storableText(plain)).toBe(plain);
  });
});

describe('storableRecord', () => {
  it('returns a record that needs nothing as it is (no copy)', () => {
    const record = mapCpsc({});
    expect(storableRecord(record)).toBe(record);
  });

  it('cleans every text field and identifier, and drops identifiers that become duplicates', () => {
    const record = mapCpsc({
      Title: 'Acme\u0000 Recalls Cribs',
      Products: [{ ...cpsc[0].Products[0], Name: 'Crib\ud800', Model: 'AB-1\u0000, AB-1' }],
    });
    const stored = storableRecord(record);
    expect(stored.title).toBe('Acme Recalls Cribs');
    expect(stored.productName).toBe('Crib\uFFFD');
    expect(stored.identifiers.filter((identifier) => identifier.kind === 'model_number' && identifier.normalized === 'AB1')).toHaveLength(1);
    expect(JSON.stringify({ ...stored, source: undefined })).not.toMatch(/\\u0000|\\ud800/);
  });

  it('rejects a recall id it would have to alter: control characters, unpaired surrogates, more than 120 characters', () => {
    const reasonFor = (recallNumber: string) => {
      try {
        storableRecord(mapCpsc({ RecallNumber: recallNumber }));
      } catch (error) {
        if (error instanceof RecordRejectedError) return error.message;
      }
      return 'accepted';
    };
    expect(reasonFor('19\u0000105')).toBe('the recall id holds a control character');
    expect(reasonFor('19\t105')).toBe('the recall id holds a control character');
    expect(reasonFor('19\udc00105')).toBe('the recall id holds an unpaired UTF-16 surrogate');
    expect(reasonFor('1'.repeat(115))).toBe('accepted'); // "CPSC-" and 115 digits: 120 characters
    expect(reasonFor('1'.repeat(116))).toBe('the recall id is longer than 120 characters');
  });

  it('rejects a record with a text field longer than 100,000 characters (PostgreSQL could not index its words)', () => {
    const words = Array.from({ length: 20_000 }, (_, index) => `w${index.toString(36)}x`).join(' ');
    expect(() => storableRecord(mapCpsc({ Title: `Acme Recalls ${words}` }))).toThrow('the title is longer than 100000 characters');
  });

  it('rejects a record whose title is nothing but NUL characters', () => {
    expect(() => storableRecord(mapCpsc({ Title: '\u0000\u0000', Products: [] }))).toThrow('the title holds no text once NUL characters are dropped');
  });

  it('drops a model "number" too long to be one (longer than 64 characters once normalised)', () => {
    const stored = storableRecord(mapCpsc({ Products: [{ ...cpsc[0].Products[0], Model: `M-${'9'.repeat(70)}` }] }));
    expect(stored.identifiers.every((identifier) => identifier.normalized.length <= 64)).toBe(true);
  });

  it('keeps a country name with no code out of the 8-character country column, in affectedCountries only', () => {
    const [notification] = parseEuSafetyGateXml(readFileSync(join(samples, 'eu-safety-gate.xml'), 'utf8'));
    const raw = { ...notification, notification: { ...notification.notification, notifyingCountry: 'Bosnia and Herzegovina' } };
    const stored = storableRecord(new EuSafetyGateFeedMapper().map(raw));
    expect(stored.country).toBeUndefined();
    expect(stored.affectedCountries).toEqual(['Bosnia and Herzegovina']);
  });
});
