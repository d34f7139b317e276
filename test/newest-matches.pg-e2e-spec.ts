import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { POSTGRES_DIALECT } from '../src/database/sql/sql-dialect';
import { RecallImporter } from '../src/recalls/import/recall-importer';
import { RecallCriteria, RecallSearch, TEXT_CANDIDATE_LIMIT } from '../src/recalls/search/recall-search';
import { PostgresSearchTuning } from '../src/recalls/search/postgres-text-search';
import { SAMPLES_DIR } from './support/samples';
import { startTestApp } from './support/test-app';

/**
 * PostgreSQL finds the text candidates of a common query in date slices (newest rows, then year by year, then
 * the rest; or, for rare words, everything at once). Whatever path a query takes, the candidates must be exactly
 * the newest matches. Small tunings force each path on a table of 1,500 rows.
 */
const template = (JSON.parse(readFileSync(join(SAMPLES_DIR, 'cpsc-recalls.json'), 'utf8')) as Array<Record<string, any>>)[0];
const THIS_YEAR = new Date().getUTCFullYear();
const RECORDS = 1500;

/** Words by share of rows: every second, every ninth, every 37th record. */
const WORDS: Array<[word: string, every: number]> = [
  ['vexhammer', 2],
  ['tindleworp', 9],
  ['quorbelline', 37],
];

const FILLERS = ['plainone', 'plaintwo', 'plainthree'];

function dayOf(index: number): string {
  if (index % 97 === 0) return `${THIS_YEAR + 2}-03-04`; // dated after this year (a feed's typo, say)
  if (index % 50 === 1) return '2015-06-15'; // many recalls on one day: ties broken by id
  const year = 1990 + ((index * 7919) % (THIS_YEAR - 1990 + 1));
  const month = 1 + ((index * 31) % 12);
  const day = 1 + ((index * 17) % 28);
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function record(index: number): Record<string, any> {
  // Names of one length (a word or its filler): equal relevance, so results are in date order.
  const words = WORDS.map(([word, every], position) => (index % every === 0 ? word : FILLERS[position]));
  const name = `Gadget ${words.join(' ')} number ${index}`;
  return {
    ...template,
    RecallID: 800_000 + index,
    RecallNumber: `8${String(index).padStart(5, '0')}`,
    RecallDate: `${dayOf(index)}T00:00:00`,
    LastPublishDate: `${dayOf(index)}T00:00:00`,
    Title: `Acme Recalls ${name}`,
    Description: '',
    Products: [{ ...template.Products[0], Name: name, Model: '' }],
  };
}

describe('text candidates on PostgreSQL: the newest matches, whichever slices find them', () => {
  let app: NestFastifyApplication;
  let dataSource: DataSource;
  let stored: Array<{ id: number; recallId: string; date: string; index: number }>;

  beforeAll(async () => {
    app = await startTestApp();
    dataSource = app.get(DataSource);
    const path = join(mkdtempSync(join(tmpdir(), 'babyshield-slices-')), 'cpsc.json');
    writeFileSync(path, JSON.stringify(Array.from({ length: RECORDS }, (_, index) => record(index))));
    expect(await app.get(RecallImporter).importFile(path)).toMatchObject({ inserted: RECORDS, rejected: [] });
    await dataSource.query('ANALYZE recall_words'); // the rare/common estimate reads the table's row count
    const rows: Array<{ id: number; recall_id: string; recall_date: string | Date }> = await dataSource.query(
      "SELECT id, recall_id, recall_date::text AS recall_date FROM recalls WHERE recall_id LIKE 'CPSC-8%'",
    );
    stored = rows.map((row) => ({ id: Number(row.id), recallId: row.recall_id, date: String(row.recall_date), index: Number(row.recall_id.slice(6)) }));
  });
  afterAll(async () => {
    await app?.close();
  });

  /** The newest matches by (date DESC, id ASC), as the database orders candidates; then as results are ordered. */
  function expected(word: string, criteria: RecallCriteria = {}): string[] {
    const every = WORDS.find(([candidate]) => candidate === word)![1];
    return stored
      .filter((row) => row.index % every === 0)
      .filter((row) => (!criteria.dateFrom || row.date >= criteria.dateFrom) && (!criteria.dateTo || row.date <= criteria.dateTo))
      .sort((a, b) => (a.date === b.date ? a.id - b.id : a.date < b.date ? 1 : -1))
      .slice(0, TEXT_CANDIDATE_LIMIT)
      .sort((a, b) => (a.date === b.date ? (a.recallId < b.recallId ? -1 : 1) : a.date < b.date ? 1 : -1))
      .map((row) => row.recallId);
  }

  async function found(tuning: Partial<PostgresSearchTuning>, word: string, criteria: RecallCriteria = {}): Promise<string[]> {
    const search = new RecallSearch({ query: (sql, parameters) => dataSource.query(sql, parameters) }, POSTGRES_DIALECT, 'x'.repeat(32), tuning);
    const page = await search.search({ ...criteria, text: word }, { limit: TEXT_CANDIDATE_LIMIT });
    expect(new Set(page.items.map((item) => item.relevanceScore)).size).toBeLessThanOrEqual(1); // the order below is by date alone
    return page.items.map((item) => item.id);
  }

  // Every word here is in the names of more rows than are read for nearest names (nameMatchesRead): the newest
  // name matches are the candidates.
  const TUNINGS: Array<[path: string, tuning: Partial<PostgresSearchTuning>]> = [
    ['the default (the whole table is "the newest rows")', { nameMatchesRead: 10 }],
    ['newest rows, then all older matches at once', { recentRows: 40, fewMatches: Number.MAX_SAFE_INTEGER, nameMatchesRead: 10 }],
    ['newest rows, then year by year, then the rest', { recentRows: 40, fewMatches: -1, yearsSliced: 6, nameMatchesRead: 10 }],
    ['year by year over most of the years', { recentRows: 10, fewMatches: -1, yearsSliced: 30, nameMatchesRead: 10 }],
  ];

  it.each(TUNINGS.flatMap(([path, tuning]) => WORDS.map(([word]) => [path, word, tuning] as const)))(
    '%s: "%s"',
    async (_path, word, tuning) => {
      const want = expected(word);
      expect(want.length).toBeGreaterThan(0);
      expect(await found(tuning, word)).toEqual(want);
    },
  );

  it.each(TUNINGS)('%s, within a date range (years before it and after it skipped)', async (_path, tuning) => {
    const criteria = { dateFrom: '2001-03-01', dateTo: '2012-10-31' };
    for (const [word] of WORDS) expect(await found(tuning, word, criteria)).toEqual(expected(word, criteria));
  });

  it.each(TUNINGS)('%s, with a filter that keeps every row and with one that keeps none', async (_path, tuning) => {
    for (const [word] of WORDS) {
      expect(await found(tuning, word, { country: 'US' })).toEqual(expected(word));
      expect(await found(tuning, word, { country: 'ZZ' })).toEqual([]);
    }
  });

  it('puts the recalls dated after this year first', async () => {
    const future = (await found({ recentRows: 10, fewMatches: -1, yearsSliced: 3 }, 'vexhammer')).slice(0, 3);
    expect(stored.filter((row) => future.includes(row.recallId)).every((row) => row.date.startsWith(String(THIS_YEAR + 2)))).toBe(true);
  });
});
