import { BODY_WEIGHT, prepareQuery, scoreRelevance } from './relevance';

describe('scoreRelevance', () => {
  const score = (query: string, searchName: string, body = '') =>
    scoreRelevance(prepareQuery(query), { searchName, searchText: `${searchName} ${body}`.trim() });

  it('scores an exact name match 1 and a one-letter typo well above unrelated text', () => {
    expect(score('rock n play sleeper', 'rock n play sleeper')).toBe(1);
    expect(score('rock n play sleeper', 'fisher price rock n play sleeper')).toBeGreaterThan(0.99);
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

  it('prefers, of two names holding every query word, the one with fewer other words, by less than a typo costs', () => {
    const near = score('boppy newborn lounger', 'boppy newborn lounger');
    const far = score('boppy newborn lounger', 'boppy newborn lounger cover pillow set with many other words in the name');
    expect(near).toBeGreaterThan(far);
    expect(far).toBeGreaterThan(score('boppy newborn lounger', 'boppy newborn loungr'));
  });

  it('matches words written together or apart, both ways', () => {
    expect(score('car seat', 'acme carseat')).toBeGreaterThan(0.9);
    expect(score('carseat', 'acme car seat')).toBeGreaterThan(0.9);
    expect(score('babybjorn carrier', 'baby bjorn carrier one')).toBeGreaterThan(0.9);
    expect(score('drop side crib', 'dropside crib')).toBeGreaterThan(0.9);
  });

  it('matches regional and French words through the synonym table, a little below the word itself', () => {
    const own = score('graco stroller', 'graco stroller');
    const regional = score('graco pram', 'graco stroller');
    expect(regional).toBeGreaterThan(0.9);
    expect(regional).toBeLessThan(own);
    expect(score('nuk dummy', 'nuk pacifiers')).toBeGreaterThan(0.9);
    expect(score('chicco poussette', 'chicco strollers')).toBeGreaterThan(0.9);
    expect(score('evenflo car seat', 'evenflo child restraint')).toBeGreaterThan(0.9);
    expect(score('siège d\'auto evenflo', 'evenflo car seats')).toBeGreaterThan(0.9);
    expect(score('graco pram', 'graco high chair')).toBeLessThan(0.6);
  });
});
