import { PreparedQuery } from './relevance';
import { SqlExecutor } from './sql-executor';

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
 * The one place where PostgreSQL and SQLite search SQL differ: how typo-tolerant text candidates are found.
 * Final scoring and ordering happen in code (relevance.ts), identically for both.
 */
export interface SearchDialect {
  readonly name: DialectName;
  /** `column IN (values)`, as one array parameter on PostgreSQL (one plan whatever the count). */
  inList(column: string, values: unknown[], parameters: SqlParameters): string;
  /** The recall covers the country (its own country or an affected one). */
  countryCondition(country: string, parameters: SqlParameters): string;
  /**
   * Text candidates, roughly best first; `filters` writes the request's filter conditions (over recalls AS r),
   * `dates` is the request's own date range (already among those conditions), which bounds where to look.
   */
  findTextCandidates(db: SqlExecutor, text: PreparedQuery, filters: FilterWriter, limit: number, dates?: DateRange): Promise<CandidateRow[]>;
}

export type FilterWriter = (parameters: SqlParameters) => string[];

/** Inclusive YYYY-MM-DD bounds, either may be open. */
export interface DateRange {
  from?: string;
  to?: string;
}

/** pg_trgm similarity a vocabulary word needs to count as a spelling of a query word; set on every connection. */
export const PG_TRIGRAM_SIMILARITY_THRESHOLD = 0.3;
/** At most this many query words drive the candidate search (the longest: they carry the most signal). */
const MAX_CANDIDATE_WORDS = 6;
/** Spellings kept per query word: the closest by trigram distance, plus one-edit typos and completions. */
const SPELLINGS_PER_WORD = 6;
/** Below this many rows with every word, rows with all words but one are searched too, and so on. */
const ENOUGH_MATCHES = 5;
const CANDIDATE_COLUMNS = 'r.id, r.recall_id, r.recall_date, r.search_name, r.search_text';
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/**
 * The query words worth an index probe: three or more characters and not only a short number; when there
 * are none (e.g. "pm 60"), every word.
 */
export function candidateWords(text: PreparedQuery): string[] {
  const significant = text.words.filter((word) => word.length >= 3 && !/^\d{1,3}$/.test(word));
  const chosen = significant.length > 0 ? significant : text.words;
  return [...chosen].sort((a, b) => b.length - a.length || a.localeCompare(b)).slice(0, MAX_CANDIDATE_WORDS);
}

/** Every string one edit away (deletion, transposition, substitution, insertion): "seet" -> "seat", "set", ... */
export function oneEditAway(word: string): string[] {
  const variants = new Set<string>();
  for (let i = 0; i <= word.length; i += 1) {
    if (i < word.length) variants.add(word.slice(0, i) + word.slice(i + 1));
    if (i < word.length - 1) variants.add(word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2));
    for (const char of ALPHABET) {
      if (i < word.length) variants.add(word.slice(0, i) + char + word.slice(i + 1));
      variants.add(word.slice(0, i) + char + word.slice(i));
    }
  }
  variants.delete(word);
  return [...variants];
}

/**
 * PostgreSQL: each query word is looked up in the vocabulary of indexed words (trigram neighbours, completions of
 * a partial word, and one-edit typos of short words, where trigrams say little), then rows are found through the
 * word index: rows with a spelling of every word (newest first when there are more than `limit`), and only when
 * those are few, rows with all words but one, and so on. Every step is an index hit whatever the table's size.
 */
function postgresDialect(tuning: NewestMatchesTuning): SearchDialect {
  return {
    name: 'postgres',
    inList: (column, values, parameters) => `${column} = ANY(${parameters.add(values)})`,
    countryCondition: (country, parameters) => {
      const value = parameters.add(country);
      return `(r.country = ${value} OR jsonb_exists(r.affected_countries, ${value}))`;
    },
    async findTextCandidates(db, text, filters, limit, dates = {}) {
      const words = candidateWords(text);
      const spellings = await vocabularySpellings(db, words);
      // Words with digits are not in the vocabulary (see the migration): they match as typed, or as a prefix.
      const groups = words
        .map((word, index) => [...(spellings.get(index + 1) ?? []), ...(/\d/.test(word) ? [`${word}:*`] : [])])
        .filter((group) => group.length > 0)
        .map((group) => `(${group.join(' | ')})`);
      if (groups.length === 0) return [];
      const found = new Map<number, CandidateRow>();
      // Rows with a spelling of every word; when those are few, of all words but one, and so on down to half of
      // them. Each step is one tsquery (an OR of ANDs) answered by the word index, newest rows first: never a
      // ranking pass over every row that shares one common word.
      for (let size = groups.length; size >= Math.max(1, Math.ceil(groups.length / 2)); size -= 1) {
        const tsquery = combinations(groups, size)
          .map((combination) => combination.join(' & '))
          .map((conjunction) => (size > 1 && size < groups.length ? `(${conjunction})` : conjunction))
          .join(' | ');
        for (const row of await newestMatches(db, tsquery, filters, limit, dates, tuning)) if (!found.has(row.id)) found.set(row.id, row);
        if (found.size >= ENOUGH_MATCHES) break;
      }
      return [...found.values()];
    },
  };
}

/** How newestMatches slices the dates; the defaults are for a million rows and more, tests use small values. */
export interface NewestMatchesTuning {
  /** How many of the newest rows are checked first: enough to fill a page when one row in 25 has the words. */
  recentRows: number;
  /** Below this many matches (estimated from the newest rows), sorting all of them beats looking year by year. */
  fewMatches: number;
  /** Years given a slice of their own, newest first; older and newer ones are searched together, last. */
  yearsSliced: number;
}

export const DEFAULT_NEWEST_MATCHES_TUNING: NewestMatchesTuning = { recentRows: 3000, fewMatches: 2000, yearsSliced: 8 };

/**
 * The word index token of a row's year (see the YearTokensInWords migration). Query words are a-z0-9 only, so
 * no word or prefix can match one.
 */
export function yearToken(year: number): string {
  return `~${year}`;
}

/**
 * The newest `limit` rows with the words, from the narrow recall_words table (joined to recalls only when
 * filters need it), then their candidate columns by primary key. One statement, in slices of dates that do
 * not overlap, newest first; an Append under a LIMIT runs its branches in order and stops once it has enough,
 * so the rows are exactly the newest `limit` matches whatever the data's dates:
 * 1. the newest few thousand rows (within the request's dates), read off the date index: words in one row in
 *    25 or more fill the page here;
 * 2. when the rows with the words among those say the words are rare (under fewMatches in the whole table,
 *    filters aside: the words decide how many rows a slice reads), or that the filters keep none of them (a
 *    filter that rare may keep nothing anywhere: one pass over every match costs least then), all older
 *    matches at once, from the word index, sorted;
 * 3. otherwise any rows dated after this year (off the date index: normally none), then year by year: each
 *    year's token narrows the word index to that year's matches, so "baby carrier" (10,000 rows, 35 ms to sort
 *    them all at a million rows) reads a few hundred rows; then every older year at once.
 * The choice is made inside the statement (one-time filters on the first slice's count), not by the planner,
 * whose estimate for several words together can be off by a hundred times either way.
 */
async function newestMatches(
  db: SqlExecutor,
  tsquery: string,
  filters: FilterWriter,
  limit: number,
  dates: DateRange,
  tuning: NewestMatchesTuning,
): Promise<CandidateRow[]> {
  const { recentRows, fewMatches } = tuning;
  const parameters = new SqlParameters('postgres');
  const words = `to_tsquery('simple', ${parameters.add(tsquery)})`;
  // Written once; every slice repeats the same conditions and placeholders.
  const filtered = filters(parameters);
  const join = filtered.length > 0 ? 'JOIN recalls r ON r.id = w.recall_pk' : '';
  const inRange = [
    ...(dates.from ? [`recall_date >= ${parameters.add(dates.from)}`] : []),
    ...(dates.to ? [`recall_date <= ${parameters.add(dates.to)}`] : []),
  ];
  const newestRows = (columns: string) => `SELECT ${columns} FROM recall_words ${inRange.length > 0 ? `WHERE ${inRange.join(' AND ')}` : ''}
    ORDER BY recall_date DESC, recall_pk ASC`;
  const matches = (source: string, conditions: string[], order = 'w.recall_date DESC') => {
    const all = [...filtered, ...conditions];
    return `SELECT w.recall_pk, w.recall_date FROM ${source} ${join} ${all.length > 0 ? `WHERE ${all.join(' AND ')}` : ''}
      ORDER BY ${order}, w.recall_pk ASC LIMIT ${Number(limit)}`;
  };
  // Slices after the first: rows past the newest ones, in (recall_date DESC, recall_pk ASC) order. "+ 0" keeps
  // them off the date index, for the order and for the bound: their matches come from the word index, sorted.
  const past = '(w.recall_date + 0, -w.recall_pk) < (SELECT recall_date, -recall_pk FROM boundary)';
  const later = (gate: string, conditions: string[]) => `(${matches('recall_words w', [gate, past, ...conditions], 'w.recall_date + 0 DESC')})`;

  const { newest, oldest } = searchedYears(dates, new Date(), tuning.yearsSliced);
  const common = '(SELECT common FROM estimate)';
  const slices = [
    `(SELECT recall_pk, recall_date FROM recent ORDER BY recall_date DESC, recall_pk ASC)`,
    later(`NOT ${common}`, [`w.words @@ ${words}`]),
    // Dated after the sliced years (normally none: read off the date index, the word index left alone).
    `(${matches(
      `(SELECT recall_pk, recall_date, words FROM recall_words WHERE recall_date >= ${parameters.add(firstDayOf(newest + 1))}
        ORDER BY recall_date DESC, recall_pk ASC OFFSET 0) w`,
      [common, past, `w.words @@ ${words}`],
    )})`,
  ];
  for (let year = newest; year >= oldest; year -= 1) {
    slices.push(later(common, [`w.words @@ (${words} && ${parameters.add(`'${yearToken(year)}'`)}::tsquery)`]));
  }
  slices.push(later(common, [`w.recall_date + 0 < ${parameters.add(firstDayOf(oldest))}`, `w.words @@ ${words}`]));

  return db.query<CandidateRow>(
    `WITH newest_with_words AS MATERIALIZED (
       SELECT w.recall_pk, w.recall_date FROM (${newestRows('recall_pk, recall_date, words')} LIMIT ${Number(recentRows)}) w WHERE w.words @@ ${words}),
     recent AS MATERIALIZED (${matches('newest_with_words w', [])}),
     boundary AS MATERIALIZED (${newestRows('recall_date, recall_pk')} OFFSET ${Number(recentRows) - 1} LIMIT 1),
     estimate AS MATERIALIZED (
       SELECT count(*) * (SELECT reltuples FROM pg_class WHERE oid = 'recall_words'::regclass) / ${Number(recentRows)} > ${Number(fewMatches)}
              AND EXISTS (SELECT 1 FROM recent) AS common
       FROM newest_with_words)
     SELECT c.id, c.recall_id, c.recall_date, c.search_name, c.search_text
     FROM (${slices.join('\n     UNION ALL\n     ')} LIMIT ${Number(limit)}) m
     JOIN recalls c ON c.id = m.recall_pk`,
    parameters.values,
  );
}

/** The years sliced one by one: back from this year (or the range's end), to the range's start (or year 1) at most. */
export function searchedYears(dates: DateRange, today: Date, yearsSliced: number): { newest: number; oldest: number } {
  const newest = Math.min(today.getUTCFullYear(), yearOf(dates.to) ?? Infinity);
  const oldest = Math.max(newest - yearsSliced + 1, yearOf(dates.from) ?? -Infinity, 1);
  return { newest, oldest };
}

/** YYYY-01-01 with four digits: PostgreSQL reads "99-01-01" as a two-digit year, or not at all. */
function firstDayOf(year: number): string {
  return `${String(year).padStart(4, '0')}-01-01`;
}

function yearOf(day: string | undefined): number | undefined {
  const year = day === undefined ? NaN : Number.parseInt(day.slice(0, 4), 10);
  return Number.isFinite(year) ? year : undefined;
}

/** Every way to choose `size` of the items, in order. */
export function combinations<T>(items: T[], size: number): T[][] {
  if (size === 0) return [[]];
  if (items.length < size) return [];
  const [first, ...rest] = items;
  return [...combinations(rest, size - 1).map((tail) => [first, ...tail]), ...combinations(rest, size)];
}

/** Vocabulary words that may be what the user meant by each query word, keyed by the word's 1-based position. */
async function vocabularySpellings(db: SqlExecutor, words: string[]): Promise<Map<number, string[]>> {
  const edits = words.flatMap((word, index) =>
    word.length >= 3 && word.length <= 8 ? oneEditAway(word).map((variant) => [variant, index + 1] as const) : [],
  );
  const rows = await db.query<{ position: number; word: string }>(
    `SELECT q.position, s.word
       FROM unnest($1::text[]) WITH ORDINALITY AS q(word, position)
       CROSS JOIN LATERAL (
         (SELECT v.word FROM search_vocabulary v WHERE v.word % q.word ORDER BY v.word <-> q.word, v.word LIMIT ${SPELLINGS_PER_WORD})
         UNION
         (SELECT v.word FROM search_vocabulary v
           WHERE length(q.word) >= 3 AND v.word LIKE q.word || '%' ORDER BY length(v.word), v.word LIMIT ${SPELLINGS_PER_WORD})
       ) s
     UNION
     SELECT e.position, v.word
       FROM unnest($2::text[], $3::int[]) AS e(word, position)
       JOIN search_vocabulary v ON v.word = e.word`,
    [words, edits.map(([variant]) => variant), edits.map(([, position]) => position)],
  );
  const found = new Map<number, string[]>();
  for (const row of rows) {
    const position = Number(row.position);
    found.set(position, [...(found.get(position) ?? []), row.word]);
  }
  const spellings = new Map<number, string[]>();
  for (const [position, candidates] of found) spellings.set(position, plausibleSpellings(words[position - 1], candidates));
  return spellings;
}

/** Endings a correctly typed word may still carry in the text: "seat" -> "seats", "carrier" -> "carriers". */
const MAX_COMPLETION = 2;

/**
 * Which vocabulary words to search for a query word. A word the vocabulary knows was most likely meant as typed:
 * it and its short completions only ("bag" must not become "ba" or "ban"). An unknown word is a typo: its
 * neighbours of about its length, never a one- or two-letter word, which would match almost everything.
 */
export function plausibleSpellings(word: string, candidates: string[]): string[] {
  const unique = [...new Set(candidates)];
  if (unique.includes(word)) {
    return unique.filter((candidate) => candidate === word || (candidate.startsWith(word) && candidate.length <= word.length + MAX_COMPLETION));
  }
  // A typo changes the length by a letter or two: "headbad" is "headband", not "head".
  return unique.filter((candidate) => (candidate.length >= 3 || candidate.length >= word.length) && Math.abs(candidate.length - word.length) <= 2);
}

/** SQLite: FTS5's trigram index; a row is a candidate when it shares trigrams with the query, best bm25 first. */
const sqlite: SearchDialect = {
  name: 'sqlite',
  inList: (column, values, parameters) => `${column} IN (${values.map((value) => parameters.add(value)).join(', ')})`,
  countryCondition: (country, parameters) => {
    const value = parameters.add(country);
    const again = parameters.add(country);
    return `(r.country = ${value} OR EXISTS (SELECT 1 FROM json_each(r.affected_countries) WHERE json_each.value = ${again}))`;
  },
  async findTextCandidates(db, text, filters, limit) {
    // "?" placeholders are positional: the MATCH parameter is added after the filters' and written after them.
    const parameters = new SqlParameters('sqlite');
    const where = filters(parameters);
    const match = parameters.add(ftsTrigramQuery(text));
    return db.query<CandidateRow>(
      `SELECT ${CANDIDATE_COLUMNS}
       FROM recalls_fts f JOIN recalls r ON r.id = f.rowid
       WHERE ${[...where, `recalls_fts MATCH ${match}`].join(' AND ')}
       ORDER BY f.rank ASC, r.id ASC
       LIMIT ${Number(limit)}`,
      parameters.values,
    );
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

export function searchDialect(name: DialectName, tuning: Partial<NewestMatchesTuning> = {}): SearchDialect {
  return name === 'postgres' ? postgresDialect({ ...DEFAULT_NEWEST_MATCHES_TUNING, ...tuning }) : sqlite;
}
