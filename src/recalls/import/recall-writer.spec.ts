import { copyRows } from './postgres-bulk-writes';
import { classifyWriteFailure, ConcurrentChangeError } from './recall-writer';

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

describe('classifyWriteFailure', () => {
  const failure = (code: string) => Object.assign(new Error(code), { code });
  const wrapped = (code: string) => Object.assign(new Error('query failed'), { driverError: { code } });

  it('takes PostgreSQL data and integrity errors, and SQLite constraint errors, as about a record', () => {
    for (const code of ['22001', '22021', '22P05', '22008', '23514', '23502', '54000', 'SQLITE_CONSTRAINT_CHECK', 'SQLITE_CONSTRAINT_TRIGGER', 'SQLITE_TOOBIG']) {
      expect([code, classifyWriteFailure(wrapped(code))]).toEqual([code, 'record']);
    }
  });

  it('writes again after another writer got in the way', () => {
    for (const code of ['23505', '40001', '40P01', 'SQLITE_BUSY', 'SQLITE_BUSY_SNAPSHOT']) expect(classifyWriteFailure(wrapped(code))).toBe('retry');
    expect(classifyWriteFailure(new ConcurrentChangeError('CPSC-1'))).toBe('retry');
  });

  it('stops on anything else: lost connections, a server going down, a full disk, a read-only file', () => {
    for (const code of ['ECONNRESET', 'ECONNREFUSED', '08006', '57P01', '57014', '53100', 'SQLITE_FULL', 'SQLITE_IOERR_WRITE', 'SQLITE_READONLY']) {
      expect([code, classifyWriteFailure(failure(code))]).toEqual([code, 'infrastructure']);
    }
    expect(classifyWriteFailure(new Error('Connection terminated unexpectedly'))).toBe('infrastructure');
  });
});
