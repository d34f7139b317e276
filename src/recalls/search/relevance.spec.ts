import { BODY_WEIGHT, prepareQuery, scoreRelevance } from './relevance';

describe('scoreRelevance', () => {
  const score = (query: string, searchName: string, body = '') =>
    scoreRelevance(prepareQuery(query), { searchName, searchText: `${searchName} ${body}`.trim() });

  it('scores an exact name match 1 and a one-letter typo well above unrelated text', () => {
    expect(score('rock n play sleeper', 'fisher price rock n play sleeper')).toBe(1);
    expect(score('rock n play sleper', 'fisher price rock n play sleeper')).toBeGreaterThan(0.6);
    expect(score('rock n play sleper', 'graco stroller')).toBeLessThan(0.3);
  });

  it('counts a match found only in the description at BODY_WEIGHT at most', () => {
    expect(score('bath seat', 'acme tub', 'this bath seat may tip over')).toBeCloseTo(BODY_WEIGHT, 4);
  });

  it('never lets the body lower or beat a name that already scores BODY_WEIGHT or more', () => {
    const nameOnly = score('infant sleepwer', 'carters infant sleepwear');
    expect(nameOnly).toBeGreaterThanOrEqual(BODY_WEIGHT);
    expect(nameOnly).toBeLessThan(1);
    expect(score('infant sleepwer', 'carters infant sleepwear', 'infant sleepwer infant sleepwer')).toBe(nameOnly);
  });

  it('lets the body win when the name scores below it', () => {
    const nameOnly = score('crib bumper', 'acme nursery set');
    expect(score('crib bumper', 'acme nursery set', 'includes a crib bumper')).toBeGreaterThan(nameOnly);
  });
});
