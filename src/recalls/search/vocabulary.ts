import { wordsOf } from './search-text';

/**
 * The PostgreSQL spelling vocabulary (search_vocabulary): every word of the stored search texts that a typo
 * can be corrected to. Words with digits stay out (model numbers and barcodes match exactly, through
 * recall_identifiers), and so do single letters and words too long to be typed.
 */
export function isVocabularyWord(word: string): boolean {
  return word.length >= 2 && word.length <= 64 && !/[0-9]/.test(word);
}

/**
 * The vocabulary words of these stored search texts that are not in `added` (or `known`) yet, sorted (one lock
 * order for every writer, so concurrent transactions adding the same new words cannot deadlock); they are added
 * to `added`.
 */
export function newVocabularyWords(searchTexts: Iterable<string>, added: Set<string>, known: ReadonlySet<string> = added): string[] {
  const words: string[] = [];
  for (const text of searchTexts) {
    for (const word of wordsOf(text)) {
      if (known.has(word) || added.has(word) || !isVocabularyWord(word)) continue;
      added.add(word);
      words.push(word);
    }
  }
  return words.sort();
}
