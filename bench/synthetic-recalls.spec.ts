import { createHash } from 'node:crypto';
import { FEED_MAPPERS } from '../src/recalls/import/mappers';
import {
  agencyCounts,
  cpscRecord,
  DEFAULT_VOCABULARY,
  distinctVocabulary,
  normalizedName,
  nhtsaRecord,
  openFdaRecord,
  realRecallNames,
  SyntheticAgency,
  SyntheticVocabulary,
  RECORD_GENERATORS,
} from './synthetic-recalls';

/** sha256 of the first 200 CPSC, openFDA and NHTSA records of seed 1, as generated before names modes existed. */
const DEFAULT_FIRST_200_SHA256 = '9d7360cb0d435413542f8895f32919d54e173a2ba346a654d19acc0e186d49c2';

function firstRecordsHash(vocabulary?: SyntheticVocabulary): string {
  const hash = createHash('sha256');
  for (let index = 0; index < 200; index += 1) {
    for (const generate of [cpscRecord, openFdaRecord, nhtsaRecord]) hash.update(JSON.stringify(generate(1, index, vocabulary)));
  }
  return hash.digest('hex');
}

/** Brand and manufacturer of each synthetic record as the importer would store them. */
function storedNames(vocabulary: SyntheticVocabulary, rows: number): string[] {
  const counts = agencyCounts(rows);
  const names: string[] = [];
  for (const agency of Object.keys(counts) as SyntheticAgency[]) {
    for (let index = 0; index < counts[agency]; index += 1) {
      const record = FEED_MAPPERS[agency].map(RECORD_GENERATORS[agency](1, index, vocabulary));
      names.push(...[record.brand, record.manufacturer].filter((name): name is string => !!name));
    }
  }
  return names;
}

describe('synthetic recalls', () => {
  let realNames: Set<string>;
  let distinct: SyntheticVocabulary;

  beforeAll(async () => {
    realNames = await realRecallNames();
    distinct = distinctVocabulary(realNames);
  });

  it('gives the same records in default mode as before names modes existed', () => {
    expect(firstRecordsHash()).toBe(DEFAULT_FIRST_200_SHA256);
    expect(firstRecordsHash(DEFAULT_VOCABULARY)).toBe(DEFAULT_FIRST_200_SHA256);
  });

  it('reads the brands and firms of the real sample and corpus recalls', () => {
    expect(realNames.has('fisher price')).toBe(true);
    expect(realNames.size).toBeGreaterThan(50);
  });

  it('never names a real brand or firm in the first 5,000 distinct-mode records', () => {
    const clashes = storedNames(distinct, 5000)
      .map(normalizedName)
      .filter((name) => realNames.has(name) || [...realNames].some((real) => real.startsWith(`${name} `) || name.startsWith(`${real} `)));
    expect(clashes).toEqual([]);
  });

  it('uses no brand of the default vocabulary in distinct mode', () => {
    const defaultBrands = new Set(DEFAULT_VOCABULARY.brands.map(normalizedName));
    expect(distinct.brands.filter((brand) => defaultBrands.has(normalizedName(brand)))).toEqual([]);
    expect(distinct.lineNames).not.toContain('Rock n Play');
  });

  it('keeps common product words in distinct mode, so real recalls meet hard distractors', () => {
    const titles = Array.from({ length: 2000 }, (_, index) => String(cpscRecord(1, index, distinct).Title).toLowerCase());
    for (const words of ['car seats', 'strollers', 'cribs', 'high chairs']) {
      expect(titles.some((title) => title.includes(words))).toBe(true);
    }
  });

  it('is deterministic and keeps its ids apart from the default mode', () => {
    expect(firstRecordsHash(distinctVocabulary(realNames))).toBe(firstRecordsHash(distinct));
    expect(cpscRecord(1, 0, distinct).RecallNumber).not.toBe(cpscRecord(1, 0).RecallNumber);
  });
});
