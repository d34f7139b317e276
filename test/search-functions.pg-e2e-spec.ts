import fc from 'fast-check';
import { DataSource } from 'typeorm';
import { loadConfiguration } from '../src/config/configuration';
import { buildDataSourceOptions } from '../src/database/data-source-options';
import { yearToken } from '../src/recalls/search/postgres-text-search';
import { joinedPairs, normalizeSearchText, wordsOf } from '../src/recalls/search/search-text';
import { resetPostgresTestDatabase } from './support/test-database';

/**
 * The migrations hold their own SQL (frozen history), so the words PostgreSQL indexes are computed by SQL functions
 * written there, and the words a search looks for by TypeScript. They must agree: these compare them value by value
 * on names and dates chosen at the edges, and on generated text (fixed seed).
 */
const FUZZ_SEED = 20261130;

const NAMES = [
  '',
  'crib',
  'car seat',
  'baby bjorn carrier',
  'pack n play',
  'rock n play sleeper 2019 model fhp30',
  'model 12345 abc',
  'a b c d e f',
  'x1 y2',
  'infant car seat base 22 000',
  `${'a'.repeat(32)} ${'b'.repeat(32)}`, // joined: 64 characters, the longest kept
  `${'a'.repeat(33)} ${'b'.repeat(32)}`, // joined: 65, left out
  `${'c'.repeat(100)} ${'d'.repeat(100)} e`,
  Array.from({ length: 300 }, (_, i) => `w${i % 7 === 0 ? i : ''}x`).join(' '),
];

/** Raw feed text: what the importer normalises before storing search_name. */
const RAW_TEXTS = [
  "Fisher-Price Rock 'n Play Sleeper",
  'Siège d’auto pour bébé',
  'Poussette   double -- modèle   X-200',
  'ＢＡＢＹ ＢＪＯＲＮ', // full-width letters
  'crème brûlée 🍼 bottle',
  'tab\there\nnew line\u0000nul',
  "children's  O'Brien's",
  '---',
  '   ',
];

const DATES = ['0001-01-01', '0099-06-30', '0999-12-31', '1000-01-01', '1900-01-01', '1999-12-31', '2000-01-01', '2024-02-29', '9999-12-31'];

describe('the SQL functions of the migrations compute what the TypeScript search code computes', () => {
  let dataSource: DataSource;

  beforeAll(async () => {
    await resetPostgresTestDatabase();
    dataSource = new DataSource(buildDataSourceOptions({ ...loadConfiguration().database, runMigrationsOnStart: false }));
    await dataSource.initialize();
    await dataSource.runMigrations();
  });
  afterAll(async () => {
    await dataSource?.destroy();
  });

  async function namesInSql(names: string[]): Promise<Array<{ terms: string[]; length: number }>> {
    const rows: Array<{ terms: string[]; length: number }> = await dataSource.query(
      `SELECT recall_name_terms(t.name) AS terms, recall_name_length(t.name) AS length
         FROM unnest($1::text[]) WITH ORDINALITY AS t(name, i) ORDER BY t.i`,
      [names],
    );
    return rows;
  }

  /** A name's indexed terms as search looks for them: its words, then each pair of adjacent words joined. */
  const termsInTypeScript = (name: string) => [...wordsOf(name), ...joinedPairs(name)];

  async function expectSameTerms(names: string[]): Promise<void> {
    const inSql = await namesInSql(names);
    expect(inSql).toEqual(names.map((name) => ({ terms: termsInTypeScript(name), length: Math.min(wordsOf(name).length, 32767) })));
  }

  it('recall_name_terms and recall_name_length agree with wordsOf and joinedPairs on names at the edges', async () => {
    await expectSameTerms(NAMES);
  });

  it('agree on raw feed text once normalised as the importer stores it (accents, apostrophes, control characters)', async () => {
    await expectSameTerms(RAW_TEXTS.map(normalizeSearchText));
  });

  it('agree on generated text', async () => {
    const word = fc.oneof(
      fc.stringMatching(/^[a-z]{1,12}$/),
      fc.stringMatching(/^[a-z0-9]{1,8}$/),
      fc.stringMatching(/^[a-z]{30,40}$/),
      fc.constantFrom('n', 'car', 'seat', 'baby', '2024', 'x1'),
    );
    const names = fc.sample(
      fc.oneof(
        fc.array(word, { maxLength: 12 }).map((words) => words.join(' ')),
        fc.string({ maxLength: 60 }).map(normalizeSearchText),
        fc.string({ unit: 'grapheme', maxLength: 40 }).map(normalizeSearchText),
      ),
      { numRuns: 500, seed: FUZZ_SEED },
    );
    await expectSameTerms(names);
  });

  it('recall_year_token agrees with yearToken from year 1 to 9999', async () => {
    const rows: Array<{ token: string }> = await dataSource.query(
      'SELECT recall_year_token(t.day::date) AS token FROM unnest($1::text[]) WITH ORDINALITY AS t(day, i) ORDER BY t.i',
      [DATES],
    );
    expect(rows.map((row) => row.token)).toEqual(DATES.map((day) => yearToken(Number(day.slice(0, 4)))));
  });
});
