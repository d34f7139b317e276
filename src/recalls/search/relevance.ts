import { joinedPairsOf, normalizeSearchText, wordsOf } from './search-text';
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

/**
 * Trigrams as small integers: a space, a-z and 0-9 (all a normalised text holds) are symbols 0..36, any other
 * character 37. Comparing numbers instead of three-letter strings makes scoring a candidate list several times
 * cheaper; the similarity of normalised words is the same.
 */
const SYMBOLS = 38;
const TRIGRAM_CODES = SYMBOLS * SYMBOLS * SYMBOLS;

function symbol(code: number): number {
  if (code === 32) return 0;
  if (code >= 97 && code <= 122) return code - 96; // a-z: 1..26
  if (code >= 48 && code <= 57) return code - 21; // 0-9: 27..36
  return 37;
}

/** The trigram at padded position i of a word (pg_trgm pads with two spaces before and one after). */
function trigramAt(word: string, i: number): number {
  return (paddedSymbol(word, i) * SYMBOLS + paddedSymbol(word, i + 1)) * SYMBOLS + paddedSymbol(word, i + 2);
}

/** The symbol at a position of the padded word ("  word "): no closure per trigram on the scoring's hot path. */
function paddedSymbol(word: string, position: number): number {
  return position < 2 || position >= word.length + 2 ? 0 : symbol(word.charCodeAt(position - 2));
}

/** Per trigram code, the last comparison that saw it in the candidate word: its repeats count once. */
const seenIn = new Uint32Array(TRIGRAM_CODES);
let comparison = 0;

/** A query word as compared with a text's words: its distinct trigrams, and its similarity to each word compared. */
class QueryWord {
  private readonly trigrams: Int32Array;
  private readonly digitsOnly: boolean;
  /** Similarity to each text word already compared (the candidates of one search share many words). */
  private readonly memo = new Map<string, number>();

  constructor(readonly word: string) {
    const distinct = new Set<number>();
    for (let i = 0; i < word.length + 1; i += 1) distinct.add(trigramAt(word, i));
    this.trigrams = Int32Array.from(distinct);
    this.digitsOnly = /^\d+$/.test(word);
  }

  /** 1 for the word itself, 0.9 for a completion of a word of 4+ letters, else trigram similarity (digits only match digits). */
  match(candidate: string): number {
    if (this.word === candidate) return 1;
    if (this.word.length >= 4 && candidate.startsWith(this.word)) return 0.9;
    if (this.digitsOnly !== /^\d+$/.test(candidate)) return 0;
    return this.similarity(candidate);
  }

  /**
   * The best match among a text's words. The word itself is a set lookup; a word too short or too long to beat the
   * best so far (similarity is at most the smaller trigram count over the larger) is not compared.
   */
  best(words: ReadonlySet<string>): number {
    if (words.has(this.word)) return 1;
    let best = 0;
    for (const candidate of words) {
      let score = this.memo.get(candidate);
      if (score === undefined) {
        if (best > 0 && !this.mayBeat(candidate, best)) continue;
        score = this.match(candidate);
        this.memo.set(candidate, score);
      }
      if (score > best) {
        best = score;
        if (best === 1) break;
      }
    }
    return best;
  }

  private mayBeat(candidate: string, best: number): boolean {
    if (this.word.length >= 4 && candidate.startsWith(this.word)) return 0.9 > best;
    // A word of n characters has at most n + 1 distinct trigrams.
    const most = candidate.length + 1;
    const own = this.trigrams.length;
    return most < own ? most / own > best : true;
  }

  /** Shared distinct trigrams over all distinct trigrams of both words (pg_trgm's similarity). */
  private similarity(candidate: string): number {
    comparison += 1;
    if (comparison === 0xffffffff) {
      seenIn.fill(0);
      comparison = 1;
    }
    let distinct = 0;
    let shared = 0;
    for (let i = 0; i < candidate.length + 1; i += 1) {
      const trigram = trigramAt(candidate, i);
      if (seenIn[trigram] === comparison) continue;
      seenIn[trigram] = comparison;
      distinct += 1;
      if (this.trigrams.includes(trigram)) shared += 1;
    }
    return shared / (this.trigrams.length + distinct - shared);
  }
}

function joinedTrigrams(text: string): Set<string> {
  const joined = text.replace(/ /g, '');
  const trigrams = new Set<string>();
  for (let i = 0; i + 3 <= joined.length; i += 1) trigrams.add(joined.slice(i, i + 3));
  return trigrams;
}

/** What a text whose words are all there but apart loses, at most: a tie-break. */
const PHRASE_TIE_BREAK = 0.02;
/** What a name loses per word beyond the query's, and at most: a tie-break, never more than a typo costs. */
const EXTRA_WORD_PENALTY = 0.0005;
const MAX_EXTRA_WORD_PENALTY = 0.01;

/**
 * An alternative's word is spelled right: it matches as written or with a plural ending, never approximately; one
 * with digits (words joined with a number) as the start of a word, as model names run on: "extend2" ~ "extend2fit".
 */
function hasAlternativeWord(word: string, words: ReadonlySet<string>, memo: Map<string, number>): number {
  let found = memo.get(word);
  if (found === undefined) {
    found = words.has(word) || words.has(`${word}s`) || words.has(`${word}es`) ? 1 : 0;
    if (found === 0 && /[0-9]/.test(word)) for (const candidate of words) if (candidate.startsWith(word)) found = 1;
    memo.set(word, found);
  }
  return found;
}

/** The best match of a query word in the text: as typed, or through one of its alternatives (every word of it). */
function queryWordMatch(query: PreparedQuery, index: number, words: ReadonlySet<string>): number {
  const memo = query.alternativeMemo(words);
  let best = query.matchers[index].best(words);
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

/** Each query word's weight by its length: "n" in "rock n play" hardly counts. */
function lengthWeights(query: PreparedQuery): number[] {
  return query.words.map((word) => Math.min(word.length, WORD_WEIGHT_CAP));
}

/** How well each query word matches a text's words (0 each when the text has none). */
function wordMatches(query: PreparedQuery, words: ReadonlySet<string>): number[] {
  return query.words.map((_word, index) => (words.size === 0 ? 0 : queryWordMatch(query, index, words)));
}

/**
 * Scores one normalised text (how well each query word matches its words, and the text without spaces) against the
 * query, each query word counting by its weight; 0..1.
 */
function textScore(query: PreparedQuery, matches: number[], joinedText: string, weights: number[]): number {
  if (query.words.length === 0 || joinedText.length === 0) return 0;
  let weighted = 0;
  let totalWeight = 0;
  query.words.forEach((_word, index) => {
    weighted += weights[index] * matches[index];
    totalWeight += weights[index];
  });
  const wordScore = weighted / totalWeight;
  if (query.joined.size === 0) return wordScore;
  let found = 0;
  for (const trigram of query.joined) if (joinedText.includes(trigram)) found += 1;
  const phraseScore = found / query.joined.size;
  const best = Math.max(wordScore, 0.7 * wordScore + 0.3 * phraseScore, 0.95 * phraseScore * (wordScore > 0.3 ? 1 : 0.5));
  // Of two texts holding every word, the one holding them together and in order ("kids ii") first.
  return best * (1 - PHRASE_TIE_BREAK * (1 - phraseScore));
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
  /** Per query word, its comparison with recall words (recalls of one result share many words). */
  matchers: QueryWord[];
  /** Per recall text (its word set): whether each alternative word is in it. */
  alternativeMemo(words: ReadonlySet<string>): Map<string, number>;
}

/** Query words joined with a neighbour are alternatives up to this length (a vocabulary word's). */
const MAX_JOINED_QUERY_WORD = 64;

export function prepareQuery(text: string): PreparedQuery {
  const normalized = normalizeSearchText(text);
  const sequence = wordsOf(normalized);
  const words = [...new Set(sequence)];
  const alternatives = words.map(() => new Map<string, string[]>());
  const synonyms = synonymAlternatives(sequence);
  sequence.forEach((word, position) => {
    const own = alternatives[words.indexOf(word)];
    // With digits too: "extend 2 fit" finds "extend2fit" through "extend2" (a prefix: see hasAlternativeWord).
    const before = position > 0 ? [sequence[position - 1] + word] : [];
    const after = position + 1 < sequence.length ? [word + sequence[position + 1]] : [];
    const joined = [...before, ...after].filter((pair) => pair.length <= MAX_JOINED_QUERY_WORD);
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
    matchers: words.map((word) => new QueryWord(word)),
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

/**
 * A name as scored: how well each query word matches its words (adjacent pairs joined count as words), the name
 * without spaces, its words beyond the query's.
 */
interface ScoredName {
  matches: number[];
  joined: string;
  extraWords: number;
}

function scoredName(query: PreparedQuery, searchName: string): ScoredName {
  const nameWords = wordsOf(searchName);
  const words = new Set(nameWords);
  const extraWords = Math.max(0, words.size - query.words.length);
  for (const pair of joinedPairsOf(nameWords)) words.add(pair);
  return { matches: wordMatches(query, words), joined: searchName.replace(/ /g, ''), extraWords };
}

function weightedScore(query: PreparedQuery, recall: ScoredText, name: ScoredName, weights: number[]): number {
  const nameMatch = textScore(query, name.matches, name.joined, weights);
  const nameScore = nameMatch > 0 ? Math.max(0, nameMatch - Math.min(MAX_EXTRA_WORD_PENALTY, EXTRA_WORD_PENALTY * name.extraWords)) : 0;
  // The body counts at BODY_WEIGHT: it cannot beat a name that scores that much.
  const bodyScore =
    nameScore >= BODY_WEIGHT
      ? 0
      : textScore(query, wordMatches(query, new Set(wordsOf(recall.searchText))), recall.searchText.replace(/ /g, ''), weights) * BODY_WEIGHT;
  return roundScore(Math.max(nameScore, bodyScore));
}

/** Relevance as listed: 4 decimals. */
export function roundScore(score: number): number {
  return Math.round(score * 10_000) / 10_000;
}

/** The recall's relevance to the query (name text fully, body at BODY_WEIGHT), rounded to 4 decimals. */
export function scoreRelevance(query: PreparedQuery, recall: ScoredText): number {
  return weightedScore(query, recall, scoredName(query, recall.searchName), lengthWeights(query));
}

/** A name "holds" a query word that matches this well (a one-letter typo does). */
const HOLDS_WORD = 0.5;
/** A query word that few candidates' names hold weighs up to this many times more than one every name holds. */
const MAX_RARITY_FACTOR = 3;

/**
 * The relevance of each candidate, with each query word weighted also by how few of the candidates' names hold
 * it (1 + ln(candidates / holding), at most MAX_RARITY_FACTOR): of "zintra formula", the brand that one name holds
 * tells recalls apart, the word two hundred names hold hardly does. The candidates are the database's matches of
 * the query, so this is the query's own inverse document frequency, computed the same way on both databases.
 * Only the first `counted` candidates are counted: a deeper page, ranked from more candidates, weighs the words
 * as the first pages did.
 */
export function scoreRelevances(query: PreparedQuery, recalls: ScoredText[], counted = recalls.length): number[] {
  const names = recalls.map((recall) => scoredName(query, recall.searchName));
  const weights = lengthWeights(query);
  const sample = names.slice(0, counted);
  if (sample.length > 1 && query.words.length > 1) {
    query.words.forEach((_word, index) => {
      const holding = sample.filter((name) => name.matches[index] >= HOLDS_WORD).length;
      // A word no candidate holds tells none apart: it keeps its plain weight.
      if (holding > 0) weights[index] *= Math.min(MAX_RARITY_FACTOR, 1 + Math.log(sample.length / holding));
    });
  }
  return recalls.map((recall, index) => weightedScore(query, recall, names[index], weights));
}

/** A keyword matches when each of its words has a close word in the recall's text. */
export function keywordMatches(keyword: string, recall: ScoredText): boolean {
  const query = prepareQuery(keyword);
  if (query.words.length === 0) return true;
  const words = new Set(wordsOf(recall.searchText));
  return query.matchers.every((matcher) => matcher.best(words) >= 0.5 || recall.searchText.includes(matcher.word));
}

