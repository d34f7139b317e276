import { PreparedQuery } from './relevance';

/** A row cheap enough to fetch for every text candidate: enough to score and order it. */
export interface CandidateRow {
  id: number;
  recall_id: string;
  recall_date: string;
  search_name: string;
  search_text: string;
}

export type DialectName = 'postgres' | 'sqlite';

/** Collects positional parameters in the dialect's placeholder style ($1 or ?). */
export class SqlParameters {
  readonly values: unknown[] = [];
  constructor(private readonly dialect: DialectName) {}

  add(value: unknown): string {
    this.values.push(value);
    return this.dialect === 'postgres' ? `$${this.values.length}` : '?';
  }
}

/**
 * The one place where PostgreSQL and SQLite search SQL differ. PostgreSQL: pg_trgm word similarity over a GIN
 * trigram index. SQLite: FTS5 trigram tokenizer, OR of the query's trigrams, ranked by bm25. Final scoring and
 * ordering happen in code (relevance.ts), identically for both.
 */
export interface SearchDialect {
  readonly name: DialectName;
  /** `column IN (values)`, as one array parameter on PostgreSQL (one plan whatever the count). */
  inList(column: string, values: unknown[], parameters: SqlParameters): string;
  /** The recall covers the country (its own country or an affected one). */
  countryCondition(country: string, parameters: SqlParameters): string;
  /** SELECT of text candidates (CandidateRow columns), best first, with `where` (over recalls AS r) applied. */
  textCandidatesSql(text: PreparedQuery, where: string[], parameters: SqlParameters, limit: number): string;
}

/**
 * Lowest pg_trgm word similarity between one query word and a row's text for the row to be a candidate
 * ("sleper" ~ "sleeper" is 0.86, "elecaer" ~ "elecare" 0.63). Set on every connection by buildDataSourceOptions.
 */
export const PG_WORD_SIMILARITY_THRESHOLD = 0.5;
/** At most this many query words drive the candidate search (the longest: they carry the most signal). */
const MAX_CANDIDATE_WORDS = 6;
const CANDIDATE_COLUMNS = 'r.id, r.recall_id, r.recall_date, r.search_name, r.search_text';

/**
 * The query words worth an index probe: three or more characters and not only a short number; when there
 * are none (e.g. "pm 60"), every word.
 */
export function candidateWords(text: PreparedQuery): string[] {
  const significant = text.words.filter((word) => word.length >= 3 && !/^\d{1,3}$/.test(word));
  const chosen = significant.length > 0 ? significant : text.words;
  return [...chosen].sort((a, b) => b.length - a.length || a.localeCompare(b)).slice(0, MAX_CANDIDATE_WORDS);
}

const postgres: SearchDialect = {
  name: 'postgres',
  inList: (column, values, parameters) => `${column} = ANY(${parameters.add(values)})`,
  countryCondition: (country, parameters) => {
    const value = parameters.add(country);
    return `(r.country = ${value} OR jsonb_exists(r.affected_countries, ${value}))`;
  },
  // A row is a candidate when any query word is close to a word of its text (each an index probe, OR-ed);
  // rows with more and closer words come first.
  textCandidatesSql: (text, where, parameters, limit) => {
    const words = candidateWords(text).map((word) => parameters.add(word));
    return `SELECT ${CANDIDATE_COLUMNS}, ${words.map((word) => `word_similarity(${word}, r.search_text)`).join(' + ')} AS similarity
      FROM recalls r
      WHERE ${[...where, `(${words.map((word) => `r.search_text %> ${word}`).join(' OR ')})`].join(' AND ')}
      ORDER BY similarity DESC, r.id ASC
      LIMIT ${Number(limit)}`;
  },
};

const sqlite: SearchDialect = {
  name: 'sqlite',
  inList: (column, values, parameters) => `${column} IN (${values.map((value) => parameters.add(value)).join(', ')})`,
  countryCondition: (country, parameters) => {
    const value = parameters.add(country);
    const again = parameters.add(country);
    return `(r.country = ${value} OR EXISTS (SELECT 1 FROM json_each(r.affected_countries) WHERE json_each.value = ${again}))`;
  },
  // "?" placeholders are positional: the MATCH parameter is added after the filters' and written after them.
  textCandidatesSql: (text, where, parameters, limit) => {
    const match = parameters.add(ftsTrigramQuery(text));
    return `SELECT ${CANDIDATE_COLUMNS}
      FROM recalls_fts f JOIN recalls r ON r.id = f.rowid
      WHERE ${[...where, `recalls_fts MATCH ${match}`].join(' AND ')}
      ORDER BY f.rank ASC, r.id ASC
      LIMIT ${Number(limit)}`;
  },
};

/** Every trigram of every query word, OR-ed: typo tolerance comes from partial trigram overlap. */
export function ftsTrigramQuery(text: PreparedQuery): string {
  const trigrams = new Set<string>();
  for (const word of text.words) {
    if (word.length < 3) continue;
    for (let i = 0; i + 3 <= word.length; i += 1) trigrams.add(word.slice(i, i + 3));
  }
  if (trigrams.size === 0) return text.words.map((word) => `"${word}"`).join(' OR ');
  return [...trigrams].map((trigram) => `"${trigram}"`).join(' OR ');
}

export function searchDialect(name: DialectName): SearchDialect {
  return name === 'postgres' ? postgres : sqlite;
}
