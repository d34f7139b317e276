import { normalizeSearchText, wordsOf } from './search-text';

/**
 * Words for the same product, as parents in the US, Canada, the UK, Ireland and Australia write them, and in
 * French (Health Canada and EU Safety Gate publish French titles). A query word or phrase of a group also finds
 * recalls that use another member of it, on both databases (query expansion: the candidates' SQL and the
 * relevance score read the same alternatives), at a little less than the word the parent typed.
 *
 * To extend: add a phrase to a group, or a group, written naturally (accents, apostrophes and hyphens are
 * normalised like recall text: "siège d'auto" is "siege dauto"). Keep groups to one product each: a group is
 * a claim that its members mean the same thing. Plurals need no entry ("stroller" also finds "strollers").
 * Brands never go here: words written apart or together ("BabyBjorn", "Baby Bjorn") are matched from the data.
 */
export const SYNONYM_GROUPS: readonly string[][] = [
  ['pacifier', 'dummy', 'soother', 'binky', 'sucette', 'suce', 'tetine'],
  ['stroller', 'pram', 'pushchair', 'buggy', 'baby carriage', 'poussette', 'landau'],
  ['crib', 'cot', 'baby bed', 'lit de bebe', 'lit pour bebe', 'lit denfant', 'berceau'],
  ['portable crib', 'travel cot', 'play yard', 'playpen', 'play pen', 'parc pour bebe', 'lit parapluie'],
  ['diaper', 'nappy', 'couche'],
  ['high chair', 'highchair', 'feeding chair', 'chaise haute'],
  ['car seat', 'child restraint', 'child car seat', 'baby seat', 'siege dauto', 'siege auto', 'siege de voiture', 'siege pour enfant'],
  ['booster seat', 'booster cushion', 'rehausseur', 'siege dappoint'],
  ['bassinet', 'moses basket', 'cradle', 'couffin', 'bercelonnette', 'moise'],
  ['baby carrier', 'baby sling', 'porte bebe', 'echarpe de portage'],
  ['baby walker', 'trotteur', 'youpala'],
  ['bouncer', 'bouncy seat', 'baby rocker', 'transat', 'sauteur'],
  ['baby swing', 'balancoire'],
  ['teether', 'teething ring', 'teething toy', 'anneau de dentition', 'jouet de dentition'],
  ['baby bottle', 'feeding bottle', 'biberon'],
  ['sippy cup', 'tasse dapprentissage', 'gobelet'],
  ['bib', 'bavoir'],
  ['onesie', 'bodysuit', 'babygrow', 'romper', 'grenouillere', 'cache couche'],
  ['robe', 'bathrobe', 'dressing gown', 'housecoat', 'peignoir', 'robe de chambre'],
  ['pajamas', 'pyjamas', 'sleepwear', 'nightwear', 'pyjama', 'vetements de nuit'],
  ['sleeping bag', 'sleep sack', 'wearable blanket', 'gigoteuse', 'turbulette', 'sac de couchage'],
  ['baby blanket', 'couverture'],
  ['crib mattress', 'cot mattress', 'matelas'],
  ['baby gate', 'safety gate', 'stair gate', 'barriere de securite'],
  ['baby monitor', 'babyphone', 'moniteur pour bebe', 'ecoute bebe'],
  ['bath seat', 'bath ring', 'siege de bain', 'anneau de bain'],
  ['baby bath', 'bath tub', 'baignoire'],
  ['changing table', 'changing unit', 'baby changer', 'table a langer'],
  ['infant formula', 'baby formula', 'baby milk', 'formula milk', 'preparation pour nourrissons', 'lait maternise', 'lait infantile'],
  ['baby food', 'aliments pour bebes', 'nourriture pour bebe', 'petits pots'],
  ['toy', 'jouet'],
  ['rattle', 'hochet'],
  ['bicycle', 'bike', 'velo'],
  ['tricycle', 'trike'],
  ['scooter', 'trottinette'],
  ['helmet', 'casque'],
  ['chest of drawers', 'dresser', 'commode'],
  ['bunk bed', 'lits superposes'],
  ['toddler bed', 'lit pour tout petit'],
  ['nursing pillow', 'feeding pillow', 'coussin dallaitement'],
  ['breast pump', 'tire lait'],
];

/** How much an alternative counts next to the word the parent typed. */
export const ALTERNATIVE_WEIGHT = 0.95;

/** Longest phrase of any group, in words. */
const MAX_PHRASE_WORDS = Math.max(...SYNONYM_GROUPS.flat().map((phrase) => wordsOf(normalizeSearchText(phrase)).length));

/** Each phrase (its normalised words joined by spaces) -> every other phrase of its groups, as word lists. */
const ALTERNATIVES_OF: ReadonlyMap<string, string[][]> = (() => {
  const alternatives = new Map<string, string[][]>();
  for (const group of SYNONYM_GROUPS) {
    const phrases = group.map((phrase) => normalizeSearchText(phrase));
    for (const phrase of phrases) {
      const others = phrases.filter((other) => other !== phrase).map((other) => wordsOf(other));
      alternatives.set(phrase, [...(alternatives.get(phrase) ?? []), ...others]);
    }
  }
  return alternatives;
})();

/**
 * Synonym alternatives for each word of a normalised query, by position: every word of a phrase found in the
 * table gets each other phrase of its group (a list of words that must all appear), so "car seat" gives both "car"
 * and "seat" the alternative ["child", "restraint"]. The longest phrase starting at a position wins.
 */
export function synonymAlternatives(words: readonly string[]): string[][][] {
  const alternatives: string[][][] = words.map(() => []);
  for (let start = 0; start < words.length; start += 1) {
    for (let size = Math.min(MAX_PHRASE_WORDS, words.length - start); size >= 1; size -= 1) {
      const found = alternativesOf(words.slice(start, start + size).join(' '));
      if (!found) continue;
      for (let i = start; i < start + size; i += 1) alternatives[i].push(...found);
      break;
    }
  }
  return alternatives;
}

/** A phrase's alternatives, also when its last word is a plural: "strollers", "car seats", "couches". */
function alternativesOf(phrase: string): string[][] | undefined {
  const found = ALTERNATIVES_OF.get(phrase);
  if (found) return found;
  for (const ending of ['es', 's']) {
    if (phrase.endsWith(ending) && phrase.length > ending.length + 2) {
      const singular = ALTERNATIVES_OF.get(phrase.slice(0, -ending.length));
      if (singular) return singular;
    }
  }
  return undefined;
}
