import { joinedPairs, normalizeSearchText, wordsOf } from './search-text';
import { ALTERNATIVE_WEIGHT, synonymAlternatives } from './synonyms';

/**
 * Relevance of a recall to a query, in 0..1, computed the same way whichever database found the candidates,
 * so SQLite (development) and PostgreSQL (production) rank alike.
 *
 * Each query word is matched to its most similar word in the recall (pg_trgm-style padded trigrams, so
 * "sleper" ~ "sleeper"; a prefix of 4+ letters counts as a strong match, so "lound" ~ "lounger"). Words weigh by
 * length, so "n" in "rock n play" hardly counts. A query word also matches through its alternatives (synonyms.ts,
 * and the word joined with a neighbour: "car seat" ~ "carseat"), at ALTERNATIVE_WEIGHT; a name's adjacent words
 * joined count as its words ("carseat" ~ "car seat"). A phrase signal (query trigrams found in the text, spaces
 * ignored) catches other splits ("mama roo" ~ "mamaroo"). Name text (brand, product, title, models) counts fully,
 * less a little per word the name has beyond the query's (of two names holding every query word, the one that
 * adds fewer wins before recency decides); description and hazard count at BODY_WEIGHT.
 */
export const BODY_WEIGHT = 0.8;
const WORD_WEIGHT_CAP = 8;

const trigramCache = new Map<string, Set<string>>();

/** pg_trgm's trigrams of one word: padded with two spaces before and one after. */
export function wordTrigrams(word: string): Set<string> {
  let cached = trigramCache.get(word);
  if (cached) return cached;
  cached = new Set<string>();
  const padded = `  ${word} `;
  for (let i = 0; i + 3 <= padded.length; i += 1) cached.add(padded.slice(i, i + 3));
  if (trigramCache.size > 50_000) trigramCache.clear();
  trigramCache.set(word, cached);
  return cached;
}

export function trigramSimilarity(a: string, b: string): number {
  if (a === b) return 1;
  const ta = wordTrigrams(a);
  const tb = wordTrigrams(b);
  let shared = 0;
  for (const trigram of ta) if (tb.has(trigram)) shared += 1;
  return shared / (ta.size + tb.size - shared);
}

function wordMatch(queryWord: string, candidate: string): number {
  if (queryWord === candidate) return 1;
  if (queryWord.length >= 4 && candidate.startsWith(queryWord)) return 0.9;
  if (/^\d+$/.test(queryWord) !== /^\d+$/.test(candidate)) return 0; // digits only match digits
  return trigramSimilarity(queryWord, candidate);
}

function bestWordMatch(queryWord: string, words: Iterable<string>, memo?: Map<string, number>): number {
  let best = 0;
  for (const candidate of words) {
    let score = memo?.get(candidate);
    if (score === undefined) {
      score = wordMatch(queryWord, candidate);
      memo?.set(candidate, score);
    }
    if (score > best) {
      best = score;
      if (best === 1) break;
    }
  }
  return best;
}

function joinedTrigrams(text: string): Set<string> {
  const joined = text.replace(/ /g, '');
  const trigrams = new Set<string>();
  for (let i = 0; i + 3 <= joined.length; i += 1) trigrams.add(joined.slice(i, i + 3));
  return trigrams;
}

/** What a name loses per word beyond the query's, and at most: a tie-break, never more than a typo costs. */
const EXTRA_WORD_PENALTY = 0.0005;
const MAX_EXTRA_WORD_PENALTY = 0.01;

/** An alternative's word is spelled right: it matches as written or with a plural ending, never approximately. */
function hasAlternativeWord(word: string, words: ReadonlySet<string>, memo: Map<string, number>): number {
  let found = memo.get(word);
  if (found === undefined) {
    found = words.has(word) || words.has(`${word}s`) || words.has(`${word}es`) ? 1 : 0;
    memo.set(word, found);
  }
  return found;
}

/** The best match of a query word in the text: as typed, or through one of its alternatives (every word of it). */
function queryWordMatch(query: PreparedQuery, index: number, words: ReadonlySet<string>): number {
  const memo = query.alternativeMemo(words);
  let best = bestWordMatch(query.words[index], words, query.memo[index]);
  for (const alternative of query.alternatives[index]) {
    if (best >= ALTERNATIVE_WEIGHT) break;
    let weakest = 1;
    for (const word of alternative) {
      weakest = Math.min(weakest, hasAlternativeWord(word, words, memo));
      if (weakest * ALTERNATIVE_WEIGHT <= best) break;
    }
    best = Math.max(best, weakest * ALTERNATIVE_WEIGHT);
  }
  return best;
}

/** Scores one normalised text (its distinct words, and the text without spaces) against the query; 0..1. */
function textScore(query: PreparedQuery, words: ReadonlySet<string>, joinedText: string): number {
  if (query.words.length === 0 || words.size === 0) return 0;
  let weighted = 0;
  let totalWeight = 0;
  query.words.forEach((word, index) => {
    const weight = Math.min(word.length, WORD_WEIGHT_CAP);
    weighted += weight * queryWordMatch(query, index, words);
    totalWeight += weight;
  });
  const wordScore = weighted / totalWeight;
  if (query.joined.size === 0) return wordScore;
  let found = 0;
  for (const trigram of query.joined) if (joinedText.includes(trigram)) found += 1;
  const phraseScore = found / query.joined.size;
  return Math.max(wordScore, 0.7 * wordScore + 0.3 * phraseScore, 0.95 * phraseScore * (wordScore > 0.3 ? 1 : 0.5));
}

export interface PreparedQuery {
  normalized: string;
  /** The distinct query words, in query order. */
  words: string[];
  /**
   * Per query word, other ways to write it, each a list of words that must all appear: its synonyms (synonyms.ts)
   * and the word joined with its neighbour ("car seat": "carseat" for both words).
   */
  alternatives: string[][][];
  joined: Set<string>;
  /** Per query word: similarity to each recall word already compared (recalls of one result share many words). */
  memo: Array<Map<string, number>>;
  /** Per recall text (its word set): whether each alternative word is in it. */
  alternativeMemo(words: ReadonlySet<string>): Map<string, number>;
}

export function prepareQuery(text: string): PreparedQuery {
  const normalized = normalizeSearchText(text);
  const sequence = wordsOf(normalized);
  const words = [...new Set(sequence)];
  const alternatives = words.map(() => new Map<string, string[]>());
  const synonyms = synonymAlternatives(sequence);
  sequence.forEach((word, position) => {
    const own = alternatives[words.indexOf(word)];
    const joined = [position > 0 ? joinedPairs(`${sequence[position - 1]} ${word}`) : [], joinedPairs(`${word} ${sequence[position + 1] ?? ''}`)].flat();
    for (const alternative of [...synonyms[position], ...joined.map((pair) => [pair])]) {
      if (alternative.length === 1 && alternative[0] === word) continue;
      own.set(alternative.join(' '), alternative);
    }
  });
  const alternativeMemos = new WeakMap<ReadonlySet<string>, Map<string, number>>();
  return {
    normalized,
    words,
    alternatives: alternatives.map((own) => [...own.values()]),
    joined: joinedTrigrams(normalized),
    memo: words.map(() => new Map()),
    alternativeMemo(recallWords) {
      let memo = alternativeMemos.get(recallWords);
      if (!memo) alternativeMemos.set(recallWords, (memo = new Map()));
      return memo;
    },
  };
}

export interface ScoredText {
  searchName: string;
  searchText: string;
}

/** The recall's relevance to the query (name text fully, body at BODY_WEIGHT), rounded to 4 decimals. */
export function scoreRelevance(query: PreparedQuery, recall: ScoredText): number {
  const nameWords = new Set(wordsOf(recall.searchName));
  const extraWords = Math.max(0, nameWords.size - query.words.length);
  for (const pair of joinedPairs(recall.searchName)) nameWords.add(pair);
  const nameMatch = textScore(query, nameWords, recall.searchName.replace(/ /g, ''));
  const nameScore = nameMatch > 0 ? Math.max(0, nameMatch - Math.min(MAX_EXTRA_WORD_PENALTY, EXTRA_WORD_PENALTY * extraWords)) : 0;
  // The body counts at BODY_WEIGHT: it cannot beat a name that scores that much.
  const bodyScore =
    nameScore >= BODY_WEIGHT ? 0 : textScore(query, new Set(wordsOf(recall.searchText)), recall.searchText.replace(/ /g, '')) * BODY_WEIGHT;
  return Math.round(Math.max(nameScore, bodyScore) * 10_000) / 10_000;
}

/** A keyword matches when each of its words has a close word in the recall's text. */
export function keywordMatches(keyword: string, recall: ScoredText): boolean {
  const query = prepareQuery(keyword);
  if (query.words.length === 0) return true;
  const words = new Set(wordsOf(recall.searchText));
  return query.words.every((word) => bestWordMatch(word, words) >= 0.5 || recall.searchText.includes(word));
}

