import { POSTGRES_DIALECT, SQLITE_DIALECT } from '../sql/sql-dialect';
import { RECALL_CANDIDATE_COLUMNS, RECALL_ITEM_COLUMNS, RECALL_WRITTEN_COLUMNS, recallItemOf, RecallItemRow } from './recalls.table';

describe('the recalls table description', () => {
  it('writes every column except those the database or the update sets', () => {
    expect(RECALL_WRITTEN_COLUMNS).not.toContain('id');
    expect(RECALL_WRITTEN_COLUMNS).not.toContain('created_at');
    expect(RECALL_WRITTEN_COLUMNS).not.toContain('updated_at');
    expect(RECALL_WRITTEN_COLUMNS).toEqual(expect.arrayContaining(['recall_id', 'search_text', 'content_hash', 'source']));
  });

  it('reads items without the search text, hash or source, and candidates with only what scoring needs', () => {
    expect(RECALL_ITEM_COLUMNS[0]).toBe('id');
    for (const internal of ['search_name', 'search_text', 'content_hash', 'source', 'created_at']) expect(RECALL_ITEM_COLUMNS).not.toContain(internal);
    expect(RECALL_CANDIDATE_COLUMNS).toEqual(['id', 'recall_id', 'recall_date', 'search_name', 'search_text']);
  });

  it('maps a stored row to the API item, JSON as text (SQLite) or parsed (PostgreSQL), absent fields omitted', () => {
    const row = {
      ...Object.fromEntries(RECALL_ITEM_COLUMNS.map((column) => [column, null])),
      id: 7,
      recall_id: 'CPSC-1',
      agency_code: 'CPSC',
      title: 'Crib recall',
      recall_date: '2024-03-05',
      severity: 'high',
      risk_category: 'baby_product',
      affected_countries: '["US","CA"]',
      last_updated: new Date('2024-03-06T10:00:00Z'),
    } as RecallItemRow;
    const expected = {
      id: 'CPSC-1',
      agencyCode: 'CPSC',
      title: 'Crib recall',
      recallDate: '2024-03-05',
      severity: 'high',
      riskCategory: 'baby_product',
      affectedCountries: ['US', 'CA'],
      lastUpdated: '2024-03-06T10:00:00.000Z',
      model: 'AB-1',
      modelNumber: 'AB-1',
    };
    expect(recallItemOf(row, [{ kind: 'model_number', value: 'AB-1' }])).toEqual(expected);
    expect(recallItemOf({ ...row, affected_countries: ['US', 'CA'] }, [{ kind: 'model_number', value: 'AB-1' }])).toEqual(expected);
  });
});

describe('the SQL dialects', () => {
  it('cast bound text to dates, timestamps and JSON on PostgreSQL only', () => {
    expect(POSTGRES_DIALECT.cast('$1', 'jsonb')).toBe('$1::jsonb');
    expect(POSTGRES_DIALECT.cast('$2', 'text')).toBe('$2');
    expect(SQLITE_DIALECT.cast('?', 'timestamptz')).toBe('?');
  });

  it('bind a list of values as one array on PostgreSQL and one placeholder each on SQLite', () => {
    const postgres = POSTGRES_DIALECT.parameters();
    expect(POSTGRES_DIALECT.inList('r.id', [1, 2, 3], postgres)).toBe('r.id = ANY($1)');
    expect(postgres.values).toEqual([[1, 2, 3]]);
    const sqlite = SQLITE_DIALECT.parameters();
    expect(SQLITE_DIALECT.inList('r.id', [1, 2], sqlite)).toBe('r.id IN (?, ?)');
    expect(sqlite.values).toEqual([1, 2]);
  });
});
