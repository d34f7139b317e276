import { copyRows } from './recall-writer';

describe('copyRows (COPY text format)', () => {
  it('writes one line per row, fields separated by tabs, NULL as \\N', () => {
    expect(copyRows([[1, 'CPSC-1', null], [2, 'CPSC-2', 'text']]).toString('utf8')).toBe('1\tCPSC-1\t\\N\n2\tCPSC-2\ttext\n');
  });

  it('escapes what would end a field or a row, and a literal backslash, so every text arrives as it was', () => {
    expect(copyRows([['a\tb', 'c\nd', 'e\rf', 'back\\slash', '\\N']]).toString('utf8')).toBe('a\\tb\tc\\nd\te\\rf\tback\\\\slash\t\\\\N\n');
  });

  it('encodes any text as UTF-8, however long', () => {
    const long = 'émoji 🍼 漢字 '.repeat(20_000);
    const rows = Array.from({ length: 3 }, (_, index) => [index, long]);
    expect(copyRows(rows).toString('utf8')).toBe(rows.map(([index]) => `${index}\t${long}\n`).join(''));
  });
});
