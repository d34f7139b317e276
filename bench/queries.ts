import { ADJECTIVES, BRANDS, PRODUCT_TYPES, Random, mixSeed } from './synthetic-recalls';

/**
 * The fuzzy-search queries of the benchmark: what a parent types, built from the generator's vocabulary (common
 * brands and product types, as the generator skews towards them) with one deterministic typo per query.
 */
export const FUZZY_QUERY_COUNT = 30;

type Typo = (word: string, random: Random) => string;

const TYPOS: Typo[] = [
  // dropped letter: "stroller" -> "stroler"
  (word, random) => {
    const at = random.int(1, word.length - 2);
    return word.slice(0, at) + word.slice(at + 1);
  },
  // swapped neighbours: "seat" -> "saet"
  (word, random) => {
    const at = random.int(1, word.length - 3);
    return word.slice(0, at) + word[at + 1] + word[at] + word.slice(at + 2);
  },
  // doubled letter: "crib" -> "criib"
  (word, random) => {
    const at = random.int(1, word.length - 1);
    return word.slice(0, at) + word[at] + word.slice(at);
  },
  // vowel confusion: "bouncer" -> "bauncer"
  (word, random) => {
    const vowels = [...word].map((char, index) => ('aeiou'.includes(char) ? index : -1)).filter((index) => index > 0);
    if (vowels.length === 0) return word.slice(0, -1);
    const at = random.pick(vowels);
    const replacement = random.pick([...'aeiou'].filter((vowel) => vowel !== word[at]));
    return word.slice(0, at) + replacement + word.slice(at + 1);
  },
];

/** A typo in the longest word of the phrase (short words are rarely mistyped, and typos there match anything). */
export function withTypo(phrase: string, random: Random): string {
  const words = phrase.split(' ');
  const longest = words.reduce((best, word, index) => (word.length > words[best].length ? index : best), 0);
  if (words[longest].length < 4) return phrase;
  words[longest] = random.pick(TYPOS)(words[longest], random);
  return words.join(' ');
}

function simpleWords(text: string): string {
  return text.toLowerCase().replace(/['’]/g, '').replace(/[^a-z0-9]+/g, ' ').trim();
}

/** The query list: the same for a given seed, whatever the database holds. */
export function fuzzyQueries(count = FUZZY_QUERY_COUNT, seed = 7): string[] {
  const random = new Random(mixSeed(seed, 0x5eed));
  const commonBrands = BRANDS.slice(0, 25);
  const commonTypes = PRODUCT_TYPES.slice(0, 60);
  const queries = new Set<string>();
  while (queries.size < count) {
    const type = simpleWords(random.pick(commonTypes).name);
    let phrase: string;
    switch (queries.size % 4) {
      case 0: phrase = `${simpleWords(random.pick(commonBrands))} ${type}`; break; // "graco car seet"
      case 1: phrase = type; break; // "strolr"
      case 2: phrase = `${type.split(' ').slice(-1)[0]} ${random.pick(['infant', 'baby', 'toddler', 'kids'])}`; break; // "strolr infant"
      default: phrase = `${simpleWords(random.pick(ADJECTIVES))} ${type}`; break;
    }
    queries.add(withTypo(phrase, random));
  }
  return [...queries];
}

if (require.main === module) {
  for (const query of fuzzyQueries()) console.log(query);
}
