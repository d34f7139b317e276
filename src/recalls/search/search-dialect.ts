import { Brackets, DataSource, SelectQueryBuilder } from 'typeorm';
import { PreparedQuery } from './relevance';

/** A row cheap enough to fetch for every text candidate: enough to score and order it. */
export interface CandidateRow {
  id: number;
  recall_id: string;
  recall_date: string;
  search_name: string;
  search_text: string;
}

/**
 * The one place where PostgreSQL and SQLite search differ: how typo-tolerant text candidates are found.
 * PostgreSQL: pg_trgm word similarity over a GIN trigram index. SQLite: FTS5 trigram tokenizer, OR of the
 * query's trigrams, ranked by bm25. Final scoring and ordering happen in code, identically for both.
 */
export interface SearchDialect {
  /** SQL condition: the recall covers :country (its own country or an affected one). */
  readonly countryCondition: string;
  /** Narrows `query` (a builder over recalls AS r, filters applied) to text candidates, best first. */
  textCandidates(query: SelectQueryBuilder<any>, text: PreparedQuery, limit: number): SelectQueryBuilder<any>;
}

/**
 * Lowest pg_trgm word similarity between one query word and a row's text for the row to be a candidate
 * ("sleper" ~ "sleeper" is 0.86, "elecaer" ~ "elecare" 0.63). Set on every connection by buildDataSourceOptions.
 */
export const PG_WORD_SIMILARITY_THRESHOLD = 0.5;
/** At most this many query words drive the candidate search (the longest: they carry the most signal). */
const MAX_CANDIDATE_WORDS = 6;

/**
 * The query words worth an index probe: three or more characters and not only digits; when there are none
 * (e.g. "pm 60"), every word.
 */
export function candidateWords(text: PreparedQuery): string[] {
  const significant = text.words.filter((word) => word.length >= 3 && !/^\d{1,3}$/.test(word));
  const chosen = significant.length > 0 ? significant : text.words;
  return [...chosen].sort((a, b) => b.length - a.length || a.localeCompare(b)).slice(0, MAX_CANDIDATE_WORDS);
}

class PostgresSearchDialect implements SearchDialect {
  readonly countryCondition = '(r.country = :country OR jsonb_exists(r.affected_countries, :country))';

  // A row is a candidate when any query word is close to a word of its text (each an index probe, OR-ed);
  // candidates with more and closer words come first.
  textCandidates(query: SelectQueryBuilder<any>, text: PreparedQuery, limit: number) {
    const words = candidateWords(text);
    const parameters = Object.fromEntries(words.map((word, index) => [`word${index}`, word]));
    return query
      .andWhere(new Brackets((where) => words.forEach((_word, index) => where.orWhere(`r.search_text %> :word${index}`))))
      .addSelect(words.map((_word, index) => `word_similarity(:word${index}, r.search_text)`).join(' + '), 'similarity')
      .setParameters(parameters)
      .orderBy('similarity', 'DESC')
      .addOrderBy('r.id', 'ASC')
      .limit(limit);
  }
}

class SqliteSearchDialect implements SearchDialect {
  readonly countryCondition =
    '(r.country = :country OR EXISTS (SELECT 1 FROM json_each(r.affected_countries) WHERE json_each.value = :country))';

  textCandidates(query: SelectQueryBuilder<any>, text: PreparedQuery, limit: number) {
    return query
      .innerJoin('recalls_fts', 'f', 'f.rowid = r.id')
      .andWhere('recalls_fts MATCH :match', { match: ftsTrigramQuery(text) })
      .orderBy('f.rank', 'ASC')
      .addOrderBy('r.id', 'ASC')
      .limit(limit);
  }
}

/** Every trigram of every query word, OR-ed: typo tolerance comes from partial trigram overlap. */
export function ftsTrigramQuery(text: PreparedQuery): string {
  const trigrams = new Set<string>();
  for (const word of text.words) {
    if (word.length < 3) continue;
    for (let i = 0; i + 3 <= word.length; i += 1) trigrams.add(word.slice(i, i + 3));
  }
  // Words of one or two letters only: match them as prefixes of a word.
  if (trigrams.size === 0) return text.words.map((word) => `"${word}"`).join(' OR ') || '""';
  return [...trigrams].map((trigram) => `"${trigram}"`).join(' OR ');
}

export function searchDialectFor(dataSource: DataSource): SearchDialect {
  return dataSource.options.type === 'postgres' ? new PostgresSearchDialect() : new SqliteSearchDialect();
}

