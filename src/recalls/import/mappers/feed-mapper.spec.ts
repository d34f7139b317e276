import { RecordRejectedError } from '../../domain/recall-record';
import { dayFirstDay, isoDay, isoTimestamp, textOf, withoutAbsentFields } from './feed-mapper';

describe('feed dates', () => {
  it('reads calendar days and refuses days that do not exist', () => {
    expect(isoDay('2024-02-29', 'RecallDate')).toBe('2024-02-29');
    expect(isoDay('2000-02-29T00:00:00', 'RecallDate')).toBe('2000-02-29');
    expect(dayFirstDay('2/1/2008', 'date')).toBe('2008-01-02');
    for (const day of ['2023-02-29', '1900-02-29', '2019-04-31', '2019-13-01', '2019-00-10', '1850-01-01']) {
      expect(() => isoDay(day, 'RecallDate')).toThrow(RecordRejectedError);
    }
  });

  it('reads a zoneless timestamp as UTC and keeps an explicit zone', () => {
    expect(isoTimestamp('2019-04-12T10:11:12', 'LastPublishDate')).toBe('2019-04-12T10:11:12.000Z');
    expect(isoTimestamp('2019-04-12', 'LastPublishDate')).toBe('2019-04-12T00:00:00.000Z');
    expect(isoTimestamp('2019-04-12T10:11:12.5+02:00', 'LastPublishDate')).toBe('2019-04-12T08:11:12.500Z');
    expect(() => isoTimestamp('2019-04-12T10:71:12', 'LastPublishDate')).toThrow(RecordRejectedError);
  });
});

describe('withoutAbsentFields', () => {
  it('omits the fields a feed left empty and keeps the rest in order', () => {
    const record = withoutAbsentFields({ recallId: 'CPSC-1', brand: undefined, title: 'T' } as never);
    expect(Object.keys(record)).toEqual(['recallId', 'title']);
  });
});

describe('textOf', () => {
  it('reads a number as its decimal text and rejects one past the double range (1e400 parses as Infinity)', () => {
    expect(textOf(99999999999999999999, 'NumberOfUnits')).toBe('100000000000000000000');
    expect(() => textOf(JSON.parse('1e400'), 'NumberOfUnits')).toThrow('NumberOfUnits is not a finite number');
    expect(() => textOf(Number.NaN, 'NumberOfUnits')).toThrow('NumberOfUnits is not a finite number');
  });
});
