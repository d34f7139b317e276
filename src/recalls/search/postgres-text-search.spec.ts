import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  candidateWords,
  DEFAULT_POSTGRES_SEARCH_TUNING,
  isWordIn,
  LexemeFrequencies,
  PostgresTextSearch,
  searchedYears,
  splits,
  subsetQuery,
  SqlStatement,
  wordGroups,
  yearToken,
} from './postgres-text-search';
import { prepareQuery } from './relevance';
import { SqlParameters } from '../../database/sql/sql-parameters';

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
  it('gives a known word its spellings, synonyms and joined neighbours in singular and plural', () => {
    const query = prepareQuery('graco pram');
    const groups = wordGroups(query, candidateWords(query), new Map([[1, ['graco']], [2, ['pram', 'prams']]]));
    expect(groups[0].query).toBe('(graco | (gracopram | gracoprams | gracoprames))');
    expect(groups[1].query).toContain('(pram | prams | (stroller | strollers | strolleres) |');
    expect(groups[1].query).toContain('((baby | babys | babyes) & (carriage | carriages | carriagees))');
  });

  it('looks an unknown word up in plural and cut in two at every place', () => {
    const query = prepareQuery('carseat');
    expect(wordGroups(query, ['carseat'], new Map()).map((group) => group.query)).toEqual([
      '((carseat | carseats | carseates) | ((ca | cas | caes) & (rseat | rseats | rseates)) | ((car | cars | cares) & (seat | seats | seates)) | ' +
        '((cars | carss | carses) & (eat | eats | eates)) | ((carse | carses | carsees) & (at | ats | ates)))',
    ]);
  });

  it('cuts an unknown word only where the vocabulary knows both parts, in singular or plural', () => {
    const vocabulary = new Set(['car', 'seats', 'eat', 'at']);
    expect(wordGroups(prepareQuery('carseat'), ['carseat'], new Map(), () => true, (word) => vocabulary.has(word)).map((group) => group.query)).toEqual([
      '((carseat | carseats | carseates) | ((car | cars | cares) & (seat | seats | seates)))',
    ]);
  });

  it('asks the vocabulary about the parts of every cut of the words and their halves, at position 0', () => {
    const { values } = new PostgresTextSearch().vocabularyStatement(['carseat']);
    const asked = (values[1] as string[]).filter((_word, index) => (values[2] as number[])[index] === 0);
    expect(asked).toEqual(expect.arrayContaining(['car', 'cars', 'seat', 'seats', 'carse', 'at', 'rs', 'eat']));
    expect(asked).not.toContain('carseat');
  });

  it('takes a part for a word when the vocabulary holds it, or it is two words together as a name index holds them', () => {
    const known = new Set(['rock', 'play', 'car', 'seat', 'ad']);
    expect(isWordIn('seat', known)).toBe(true);
    expect(isWordIn('carseat', known)).toBe(true); // two vocabulary words
    expect(isWordIn('nplay', known)).toBe(true); // "rock n play": a single letter and a word
    expect(isWordIn('rockn', known)).toBe(true);
    expect(isWordIn('adj', known)).toBe(false); // a single letter beside a two-letter word: too easy to make up
    expect(isWordIn('jusable', known)).toBe(false);
  });

  it('looks a word with digits up as a prefix, never through the vocabulary', () => {
    const query = prepareQuery('extend 2 fit');
    expect(wordGroups(query, ['extend'], new Map()).map((group) => group.query)).toEqual(['((extend | extends | extendes) | extend2:* | ((ex | exs | exes) & (tend | tends | tendes)) | ((ext | exts | extes) & (end | ends | endes)) | ((exte | extes | extees) & (nd | nds | ndes)))']);
    expect(wordGroups(prepareQuery('sx100 seat'), ['sx100'], new Map()).map((group) => group.query)).toEqual(['(sx100:* | sx100seat:*)']);
  });
});

describe('subsetQuery', () => {
  const frequencies = new LexemeFrequencies(
    1_000_000,
    new Map([['words', { shares: new Map([['play', 0.03], ['playard', 0.004], ['robe', 0.001], ['baby', 0.4], ['er', 0.02]]), rarest: 0.0002 }]]),
  );

  it('keeps a cheap group whole', () => {
    const [robe] = wordGroups(prepareQuery('robe'), ['robe'], new Map([[1, ['robe']]]));
    expect(subsetQuery([robe], frequencies)).toBe(robe.query);
  });

  it('keeps of a costly group the word as typed and the rarest spellings and alternatives that fit in the budget', () => {
    // "player" is no vocabulary word: its corrections are how it finds rows; "baby" would read 40 % of the index.
    const [player] = wordGroups(prepareQuery('player'), ['player'], new Map([[1, ['playard', 'play', 'baby']]]), () => true, (word) => word === 'play' || word === 'er');
    expect(player.query).toContain('baby');
    expect(subsetQuery([player], frequencies)).toBe('(playard | play | (player | players | playeres))');
  });
});

describe('LexemeFrequencies', () => {
  const frequencies = new LexemeFrequencies(
    1_000_000,
    new Map([['words', { shares: new Map([['baby', 0.4], ['babys', 0.01], ['seat', 0.1], ['graco', 0.02]]), rarest: 0.0005 }]]),
  );

  it('estimates the rows holding every group, each group the sum of its forms and alternatives', () => {
    const baby = [[['baby', 'babys']]];
    const seat = [[['seat']]];
    expect(frequencies.estimatedRows('words', [baby, seat])).toBeCloseTo(0.41 * 0.1 * 1_000_000, 0);
    // car is not listed: car & seat adds nothing the listed lexemes do not, and graco's share is above a rare one's.
    expect(frequencies.estimatedRows('words', [[[['graco']], [['car'], ['seat']]]])).toBeCloseTo(0.02 * 1_000_000, 0);
  });

  it('counts unlisted lexemes once, as one rare lexeme, however many forms a group names; knows nothing of a column without statistics', () => {
    expect(frequencies.estimatedRows('words', [[[['zintra']]]])).toBeCloseTo(500, 0);
    expect(frequencies.estimatedRows('words', [[[['zintra', 'zintras', 'zintraes']], [['zintraformula']]]])).toBeCloseTo(500, 0);
    expect(frequencies.estimatedRows('name_words', [[[['baby']]]])).toBe(0);
  });
});

describe('wordGroups with affordable lexemes', () => {
  it('leaves out synonyms and cuts holding a lexeme most rows hold, never the word or its spellings', () => {
    const query = prepareQuery('acme cot');
    const [, cot] = wordGroups(query, ['acme', 'cot'], new Map([[2, ['cot', 'cots']]]), (lexeme) => !lexeme.startsWith('baby'));
    expect(cot.query).toContain('cot | cots');
    expect(cot.query).toContain('(crib | cribs | cribes)');
    expect(cot.query).not.toContain('baby');
  });
});

describe('splits', () => {
  it('cuts a word in two parts of two letters or more, never one with digits', () => {
    expect(splits('carseat')).toEqual([['ca', 'rseat'], ['car', 'seat'], ['cars', 'eat'], ['carse', 'at']]);
    expect(splits('cot')).toEqual([]);
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
  const tsquery = wordGroups(query, candidateWords(query), new Map([[1, ['graco']], [2, ['seat', 'seats']], [3, ['car', 'cars']]]))
    .map((group) => group.query)
    .join(' & ');

  const cases: Array<[file: string, statement: () => SqlStatement]> = [
    ['vocabulary.sql', () => search.vocabularyStatement(['stroller', 'graco'])],
    ['name-matches.sql', () => search.nameMatchesStatement(tsquery, 'graco & (car | cars) & (seat | seats)', noFilters, 200, {}, 1000)],
    [
      'name-matches-filtered.sql',
      () => search.nameMatchesStatement(tsquery, 'graco & (car | cars) & (seat | seats)', agencyAndCountry, 200, { from: '2015-01-01', to: '2020-12-31' }, 1000),
    ],
    ['rare-name-matches.sql', () => search.rareMatchesStatement('name_words', ['graco & (seat | seats)', 'graco & (car | cars)'], noFilters, 200, {}, 300)],
    ['rare-matches-filtered.sql', () => search.rareMatchesStatement('words', ['graco & (seat | seats)', 'graco & (car | cars)'], agencyAndCountry, 200, {}, 300)],
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
