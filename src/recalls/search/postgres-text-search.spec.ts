import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  candidateWords,
  DEFAULT_POSTGRES_SEARCH_TUNING,
  PostgresTextSearch,
  searchedYears,
  splits,
  SqlStatement,
  wordGroups,
  yearToken,
} from './postgres-text-search';
import { prepareQuery } from './relevance';
import { SqlParameters } from './search-dialect';

describe('searchedYears', () => {
  const today = new Date('2026-11-25T12:00:00Z');

  it('slices back from this year', () => {
    expect(searchedYears({}, today, 8)).toEqual({ newest: 2026, oldest: 2019 });
  });

  it('starts at the end of the requested range and stops at its start', () => {
    expect(searchedYears({ from: '2012-05-01', to: '2015-06-30' }, today, 8)).toEqual({ newest: 2015, oldest: 2012 });
    expect(searchedYears({ to: '2015-06-30' }, today, 8)).toEqual({ newest: 2015, oldest: 2008 });
    expect(searchedYears({ from: '2024-01-01' }, today, 8)).toEqual({ newest: 2026, oldest: 2024 });
  });

  it('never starts after this year, whatever the range asks', () => {
    expect(searchedYears({ to: '2099-12-31' }, today, 3)).toEqual({ newest: 2026, oldest: 2024 });
  });

  it('never slices before year 1, for a range that ends in the first years', () => {
    expect(searchedYears({ to: '0003-06-30' }, today, 8)).toEqual({ newest: 3, oldest: 1 });
  });

  it('slices nothing for a range that ends before it starts', () => {
    const { newest, oldest } = searchedYears({ from: '2020-01-01', to: '2010-01-01' }, today, 8);
    expect(oldest).toBeGreaterThan(newest);
  });
});

describe('wordGroups', () => {
  it('gives each word its spellings, its synonyms and joined neighbours in singular and plural, its known halves', () => {
    const query = prepareQuery('carseat pram');
    const groups = wordGroups(query, candidateWords(query), new Map([[2, ['pram', 'prams']]]), new Set(['car', 'seat']));
    expect(groups[0]).toBe('((carseatpram | carseatprams | carseatprames) | ((car | cars | cares) & (seat | seats | seates)))');
    expect(groups[1]).toContain('(pram | prams | (stroller | strollers | strolleres) |');
    expect(groups[1]).toContain('((baby | babys | babyes) & (carriage | carriages | carriagees))');
  });

  it('looks a word with digits up as a prefix, never through the vocabulary', () => {
    const query = prepareQuery('extend 2 fit');
    expect(wordGroups(query, ['extend'], new Map(), new Set())).toEqual(['(extend2:*)']);
  });
});

describe('splits', () => {
  it('cuts a word in two halves of three letters or more, never one with digits', () => {
    expect(splits('carseat')).toEqual([['car', 'seat'], ['cars', 'eat']]);
    expect(splits('crib')).toEqual([]);
    expect(splits('sx100')).toEqual([]);
  });
});

describe('yearToken', () => {
  it('cannot be spelled by a query word (a-z0-9 only)', () => {
    expect(yearToken(2024)).toBe('~2024');
    expect(/^[a-z0-9]+$/.test(yearToken(2024))).toBe(false);
  });
});

/**
 * The statements PostgresTextSearch sends, for a few fixed inputs, as files a reviewer reads
 * (src/recalls/search/sql/*.sql). A change to a statement shows up as a change to its file: rewrite them with
 * UPDATE_SQL_SNAPSHOTS=1 and read the difference.
 */
describe('PostgresTextSearch statements (sql/*.sql)', () => {
  const search = new PostgresTextSearch(DEFAULT_POSTGRES_SEARCH_TUNING, () => new Date('2026-06-15T12:00:00Z'));
  const noFilters = () => [];
  const agencyAndCountry = (parameters: SqlParameters) => [
    `r.agency_code = ANY(${parameters.add(['CPSC', 'HC'])})`,
    `(r.country = ${parameters.add('CA')} OR jsonb_exists(r.affected_countries, ${parameters.add('CA')}))`,
  ];
  const query = prepareQuery('graco car seat');
  const tsquery = wordGroups(query, candidateWords(query), new Map([[1, ['graco']], [2, ['seat', 'seats']], [3, ['car', 'cars']]]), new Set()).join(' & ');

  const cases: Array<[file: string, statement: () => SqlStatement]> = [
    ['vocabulary.sql', () => search.vocabularyStatement(['stroller', 'graco'])],
    ['name-matches.sql', () => search.nameMatchesStatement(tsquery, noFilters, 200, {}, 1000)],
    ['name-matches-filtered.sql', () => search.nameMatchesStatement(tsquery, agencyAndCountry, 200, { from: '2015-01-01', to: '2020-12-31' }, 1000)],
    ['rare-name-matches.sql', () => search.rareNameMatchesStatement(['graco & (seat | seats)', 'graco & (car | cars)'], noFilters, 200, {}, 300)],
    ['newest-matches.sql', () => search.newestMatchesStatement('words', tsquery, noFilters, 200, {})],
    ['newest-matches-filtered.sql', () => search.newestMatchesStatement('name_words', tsquery, agencyAndCountry, 200, { from: '2019-01-01' })],
  ];

  it.each(cases)('%s', (file, statement) => {
    const path = join(__dirname, 'sql', file);
    const text = snapshotOf(statement());
    if (process.env.UPDATE_SQL_SNAPSHOTS === '1' || !existsSync(path)) writeFileSync(path, text);
    expect(text).toBe(readFileSync(path, 'utf8'));
  });
});

/** The statement, then each parameter as a comment (long lists cut short). */
function snapshotOf(statement: SqlStatement): string {
  const values = statement.values.map((value, index) => {
    const json = JSON.stringify(value);
    return `-- $${index + 1} = ${json.length > 300 ? `${json.slice(0, 300)}... (${Array.isArray(value) ? `${value.length} values` : `${json.length} characters`})` : json}`;
  });
  return `${statement.text};\n\n${values.join('\n')}\n`;
}
