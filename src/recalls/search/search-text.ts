/**
 * Search text normalisation, shared by import (what is stored and indexed) and by queries (what is looked up),
 * so both sides agree: lower case, no accents, apostrophes dropped ("Rock 'n Play" -> "rock n play",
 * "children's" -> "childrens"), every other non-alphanumeric a space; words are at most MAX_WORD_LENGTH long.
 */
export function normalizeSearchText(text: string | null | undefined): string {
  if (!text) return '';
  // Most feed text is ASCII: skip the (costly) Unicode decomposition then.
  const plain = /^[\x00-\x7f]*$/.test(text) ? text : text.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
  const normalized = plain
    .toLowerCase()
    .replace(/['’‘`´]/g, '')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
  return hasLongWord(normalized) ? wordsOf(normalized).filter((word) => word.length <= MAX_WORD_LENGTH).join(' ') : normalized;
}

/** Longer runs of letters and digits are no words anyone types (encoded blobs, run-together junk) and are dropped. */
export const MAX_WORD_LENGTH = 100;

/** Word by word (a regular expression for a long run tries every letter, several times slower on feed text). */
function hasLongWord(normalized: string): boolean {
  if (normalized.length <= MAX_WORD_LENGTH) return false;
  for (let start = 0; ; ) {
    const space = normalized.indexOf(' ', start);
    const end = space === -1 ? normalized.length : space;
    if (end - start > MAX_WORD_LENGTH) return true;
    if (space === -1) return false;
    start = space + 1;
  }
}

/** The words of a normalised text. */
export function wordsOf(normalized: string): string[] {
  return normalized === '' ? [] : normalized.split(' ');
}

export interface SearchableFields {
  title: string;
  productName?: string | null;
  brand?: string | null;
  manufacturer?: string | null;
  description?: string | null;
  hazard?: string | null;
  modelNumbers?: string[];
}

const MAX_BODY_CHARS = 1500;

/** High-signal text: brand, product name, title, model numbers. */
export function buildSearchName(fields: SearchableFields): string {
  return normalizeSearchText(
    [fields.brand, fields.productName, fields.title, fields.manufacturer, ...(fields.modelNumbers ?? [])].filter(Boolean).join(' '),
  );
}

/** Everything searchable: the name text plus description and hazard (bounded, for index size). */
export function buildSearchText(fields: SearchableFields, searchName = buildSearchName(fields)): string {
  const body = normalizeSearchText([fields.description, fields.hazard].filter(Boolean).join(' ')).slice(0, MAX_BODY_CHARS);
  return `${searchName} ${body}`.trim();
}

/** Adjacent words joined into one may be at most this long (a vocabulary word's limit). */
const MAX_JOINED_LENGTH = 64;

/**
 * Each pair of adjacent words of a normalised text written together, letters only: "car seat" -> "carseat",
 * "baby bjorn" -> "babybjorn", "pack n play" -> "packn", "nplay". Names are indexed with these on PostgreSQL, so a
 * word written together in the query finds the name that writes it apart. Must match recall_name_terms() (the
 * NameWords migration).
 */
export function joinedPairs(normalized: string): string[] {
  return joinedPairsOf(wordsOf(normalized));
}

/** joinedPairs of a text already split into words. */
export function joinedPairsOf(words: readonly string[]): string[] {
  const pairs: string[] = [];
  let previousJoinable = false;
  for (let i = 0; i < words.length; i += 1) {
    const joinable = !hasDigit(words[i]);
    if (previousJoinable && joinable && words[i - 1].length + words[i].length <= MAX_JOINED_LENGTH) pairs.push(words[i - 1] + words[i]);
    previousJoinable = joinable;
  }
  return pairs;
}

function hasDigit(word: string): boolean {
  for (let i = 0; i < word.length; i += 1) {
    const code = word.charCodeAt(i);
    if (code >= 48 && code <= 57) return true;
  }
  return false;
}
