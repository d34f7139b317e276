import { buildSearchName, buildSearchText, MAX_WORD_LENGTH, normalizeSearchText } from './search-text';

describe('search text', () => {
  it('lower-cases, drops accents and apostrophes, and keeps letters and digits one space apart', () => {
    expect(normalizeSearchText("Fisher-Price Rock 'n Play Sleeper®, Model #CHP55")).toBe('fisher price rock n play sleeper model chp55');
    expect(normalizeSearchText('Crème  Brûlée')).toBe('creme brulee');
    expect(normalizeSearchText(undefined)).toBe('');
  });

  it(`drops runs of letters and digits longer than ${MAX_WORD_LENGTH} characters (no one types them)`, () => {
    const blob = 'a1'.repeat(MAX_WORD_LENGTH);
    expect(normalizeSearchText(`crib ${blob} recall`)).toBe('crib recall');
    expect(normalizeSearchText(blob)).toBe('');
    expect(normalizeSearchText('x'.repeat(MAX_WORD_LENGTH))).toBe('x'.repeat(MAX_WORD_LENGTH));
  });

  it('builds the stored text from the name fields, then the description and hazard', () => {
    const fields = { title: 'Sleeper Recall', brand: 'Acme', description: 'Infants can roll over.', hazard: 'Suffocation' };
    expect(buildSearchName(fields)).toBe('acme sleeper recall');
    expect(buildSearchText(fields)).toBe('acme sleeper recall infants can roll over suffocation');
  });
});
