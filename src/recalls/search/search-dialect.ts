import { POSTGRES_DIALECT, SqlDialect, SQLITE_DIALECT } from '../../database/sql/sql-dialect';
import { SqlExecutor } from '../../database/sql/sql-executor';
import { SqlParameters } from '../../database/sql/sql-parameters';
import { CandidateRow, RECALL_CANDIDATE_COLUMNS, RECALLS } from '../../database/tables/recalls.table';
import { columnList } from '../../database/tables/table';
import { candidateWords, DEFAULT_POSTGRES_SEARCH_TUNING, PostgresSearchTuning, PostgresTextSearch } from './postgres-text-search';
import { PreparedQuery } from './relevance';

export type { CandidateRow } from '../../database/tables/recalls.table';

/**
 * The one place where PostgreSQL and SQLite search SQL differ: how typo-tolerant text candidates are found
 * (PostgreSQL: postgres-text-search.ts), and how a country is matched. Placeholders and lists of values come from
 * the SqlDialect it extends. Final scoring and ordering happen in code (relevance.ts), identically for both.
 */
export interface SearchDialect extends SqlDialect {
  /** The recall covers the country (its own country or an affected one). */
  countryCondition(country: string, parameters: SqlParameters): string;
  /**
   * Up to `limit` text candidates, roughly best first; `filters` writes the request's filter conditions (over
   * recalls AS r), `dates` is the request's own date range (already among those conditions), which bounds where
   * to look. `firstPage` is the depth of the first pages (a deeper `limit` ranks later pages).
   */
  findTextCandidates(db: SqlExecutor, text: PreparedQuery, filters: FilterWriter, limit: number, firstPage: number, dates?: DateRange): Promise<CandidateSet>;
}

/**
 * Text candidates, whether they are every row the search would consider (nothing cut off by a limit), and how
 * many of them, from the start, are what a search `firstPage` deep returns: the same rows at every depth, so the
 * first pages are ranked alike whichever depth a request needs.
 */
export interface CandidateSet {
  rows: CandidateRow[];
  complete: boolean;
  firstPage: number;
  /** A deeper search (a larger `limit`) would find more candidates. */
  deeper: boolean;
}

export type FilterWriter = (parameters: SqlParameters) => string[];

/** Inclusive YYYY-MM-DD bounds, either may be open. */
export interface DateRange {
  from?: string;
  to?: string;
}

/** SQLite: FTS5's trigram index; a row is a candidate when it shares trigrams with the query, best bm25 first. */
const sqlite: SearchDialect = {
  ...SQLITE_DIALECT,
  countryCondition: (country, parameters) => {
    const value = parameters.add(country);
    const again = parameters.add(country);
    return `(r.country = ${value} OR EXISTS (SELECT 1 FROM json_each(r.affected_countries) WHERE json_each.value = ${again}))`;
  },
  async findTextCandidates(db, text, filters, limit, firstPage) {
    const candidates = (match: string, shortWords: string[] = []) => {
      // "?" placeholders are positional: the MATCH parameter is added after the filters' and written after them.
      const parameters = SQLITE_DIALECT.parameters();
      const where = [
        ...filters(parameters),
        // Words too short for a trigram index ("Kids II"): as whole words of the text.
        ...shortWords.map((word) => `instr(' ' || r.search_text || ' ', ${parameters.add(` ${word} `)}) > 0`),
        `recalls_fts MATCH ${parameters.add(match)}`,
      ];
      return db.query<CandidateRow>(
        `SELECT ${columnList(RECALL_CANDIDATE_COLUMNS, 'r')}
         FROM recalls_fts f JOIN ${RECALLS.name} r ON r.id = f.rowid
         WHERE ${where.join(' AND ')}
         ORDER BY f.rank ASC, r.id ASC
         LIMIT ${Number(limit)}`,
        parameters.values,
      );
    };
    // Rows holding every word (or an alternative of it) as written; when those are few, rows sharing trigrams
    // with the words (typos, words written together or apart), best bm25 first.
    const everyWord = ftsWordsQuery(text);
    const shortWords = candidateWords(text).filter((word) => word.length < 3);
    const rows = everyWord ? await candidates(everyWord, shortWords) : [];
    if (rows.length >= ENOUGH_EXACT_MATCHES) {
      return { rows, complete: rows.length < limit, firstPage: Math.min(firstPage, rows.length), deeper: rows.length >= limit };
    }
    const found = new Map(rows.map((row) => [row.id, row]));
    const similar = await candidates(ftsTrigramQuery(text));
    for (const row of similar) if (found.size < limit && !found.has(row.id)) found.set(row.id, row);
    return { rows: [...found.values()], complete: similar.length < limit, firstPage: Math.min(firstPage, found.size), deeper: similar.length >= limit };
  },
};

/** Below this many rows holding every query word as written, SQLite looks for similar words too. */
const ENOUGH_EXACT_MATCHES = 5;

/**
 * FTS5 (trigram tokenizer) query for rows holding every query word of three letters or more, or one of its
 * alternatives, as a substring: ("plovix") AND ("teether" OR "teething ring" OR ...). Null when no word qualifies.
 */
export function ftsWordsQuery(text: PreparedQuery): string | null {
  const groups = text.words.flatMap((word, index) => {
    if (word.length < 3 || /^\d{1,3}$/.test(word)) return [];
    const options = [word, ...text.alternatives[index].map((alternative) => alternative.join(' '))].filter((option) => option.length >= 3);
    return [`(${[...new Set(options)].map((option) => `"${option}"`).join(' OR ')})`];
  });
  return groups.length > 0 ? groups.join(' AND ') : null;
}

/**
 * Every trigram of every query word and of its alternatives (synonyms, joined words), OR-ed: typo tolerance
 * comes from partial trigram overlap.
 */
export function ftsTrigramQuery(text: PreparedQuery): string {
  const trigrams = new Set<string>();
  for (const word of [...text.words, ...text.alternatives.flat(2)]) {
    if (word.length < 3) continue;
    for (let i = 0; i + 3 <= word.length; i += 1) trigrams.add(word.slice(i, i + 3));
  }
  if (trigrams.size === 0) return text.words.map((word) => `"${word}"`).join(' OR ');
  return [...trigrams].map((trigram) => `"${trigram}"`).join(' OR ');
}

/** PostgreSQL: country from the jsonb list; text candidates from PostgresTextSearch. */
function postgresDialect(textSearch: PostgresTextSearch): SearchDialect {
  return {
    ...POSTGRES_DIALECT,
    countryCondition: (country, parameters) => {
      const value = parameters.add(country);
      return `(r.country = ${value} OR jsonb_exists(r.affected_countries, ${value}))`;
    },
    findTextCandidates: (db, text, filters, limit, firstPage, dates) => textSearch.findTextCandidates(db, text, filters, limit, firstPage, dates),
  };
}

export function searchDialect(dialect: SqlDialect, tuning: Partial<PostgresSearchTuning> = {}): SearchDialect {
  return dialect.name === 'postgres' ? postgresDialect(new PostgresTextSearch({ ...DEFAULT_POSTGRES_SEARCH_TUNING, ...tuning })) : sqlite;
}
