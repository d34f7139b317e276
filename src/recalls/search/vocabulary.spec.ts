import { isVocabularyWord, newVocabularyWords } from './vocabulary';

describe('spelling vocabulary', () => {
  it('holds words a typo can be corrected to: 2 to 64 letters, no digits', () => {
    expect(isVocabularyWord('sleeper')).toBe(true);
    expect(isVocabularyWord('ab')).toBe(true);
    expect(isVocabularyWord('a')).toBe(false);
    expect(isVocabularyWord('rnp100')).toBe(false);
    expect(isVocabularyWord('x'.repeat(65))).toBe(false);
  });

  it('gives the new words of stored search texts once, sorted, and remembers them', () => {
    const added = new Set<string>(['sleeper']);
    expect(newVocabularyWords(['rock n play sleeper rnp100', 'play yard sleeper'], added)).toEqual(['play', 'rock', 'yard']);
    expect(newVocabularyWords(['play yard bassinet'], added)).toEqual(['bassinet']);
    expect(newVocabularyWords([''], added)).toEqual([]);
  });
});
