import { DataSource, SelectQueryBuilder } from 'typeorm';
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

/** Lowest pg_trgm word similarity for a row to be a candidate; set per connection (see buildDataSourceOptions). */
export const PG_WORD_SIMILARITY_THRESHOLD = 0.4;

class PostgresSearchDialect implements SearchDialect {
  readonly countryCondition = '(r.country = :country OR jsonb_exists(r.affected_countries, :country))';

  textCandidates(query: SelectQueryBuilder<any>, text: PreparedQuery, limit: number) {
    return query
      .andWhere('r.search_text %> :text', { text: text.normalized })
      .addSelect('word_similarity(:text, r.search_text)', 'similarity')
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

