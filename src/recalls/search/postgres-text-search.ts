import { SqlExecutor } from '../../database/sql/sql-executor';
import { SqlParameters } from '../../database/sql/sql-parameters';
import { CandidateRow, RECALL_CANDIDATE_COLUMNS } from '../../database/tables/recalls.table';
import { columnList } from '../../database/tables/table';
import { PreparedQuery } from './relevance';
import { CandidateSet, DateRange, FilterWriter } from './search-dialect';

/** A statement as it is sent: its text and its parameters ($1, $2, ...). */
export interface SqlStatement {
  text: string;
  values: unknown[];
}

/** pg_trgm similarity a vocabulary word needs to count as a spelling of a query word; set on every connection. */
export const PG_TRIGRAM_SIMILARITY_THRESHOLD = 0.3;
/** At most this many query words drive the candidate search (the longest: they carry the most signal). */
const MAX_CANDIDATE_WORDS = 6;
/** Spellings kept per query word: the closest by trigram distance, plus one-edit typos and completions. */
const SPELLINGS_PER_WORD = 6;
/** Below this many rows with every word, rows with all words but one are searched too, and so on. */
const ENOUGH_MATCHES = 5;
/** Rows found with part of the words when some were found with all of them: enough for a first page. */
const PAGE_FILL = 40;
/** This many rows holding every word in their name are the first pages' candidates, without description matches. */
const NAME_MATCHES_FOR_FIRST_PAGES = 40;
/** Name matches the statistics estimate at this many times nameMatchesRead or more are not read: the newest are. */
const GENERIC_FACTOR = 1.5;
/** A synonym or cut of a word whose lexemes this share of rows holds is not looked for in the index. */
const MAX_ALTERNATIVE_SHARE = 0.05;
/** A query word this share of names holds (by the statistics) does not drive the candidate search. */
const UNINFORMATIVE_SHARE = 0.3;
/** Subsets leave out at most this many of the query's words (a query matching nothing costs a bounded search). */
const MAX_WORDS_DROPPED = 2;
/** At most this many subsets of the words are asked for in one statement (each costs index reads). */
const MAX_SUBSETS_ASKED = 6;
/** A subset of words the statistics estimate this many times over partialMatchesRead rows hold is not asked for. */
const COMMON_SUBSET_FACTOR = 20;
/** Endings a correctly typed word may still carry in the text: "seat" -> "seats", "carrier" -> "carriers". */
const MAX_COMPLETION = 2;
/** Endings an alternative (a synonym, joined words) is also looked for with: "cot" -> "cots", "couche" -> "couches". */
const PLURAL_ENDINGS = ['', 's', 'es'];
/** Letters a one-edit variant may hold: vocabulary words have no digits (isVocabularyWord), so a digit finds nothing. */
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz';
const CANDIDATE_COLUMNS = columnList(RECALL_CANDIDATE_COLUMNS, 'c');

/** The indexed columns of recall_words a query is matched against. */
type WordColumn = 'name_words' | 'words';

/** How the statements bound their work; the defaults are for a million rows and more, tests use small values. */
export interface PostgresSearchTuning {
  /** How many of the newest rows are checked first: enough to fill a page when one row in 25 has the words. */
  recentRows: number;
  /** Below this many matches (estimated from the newest rows), sorting all of them beats looking year by year. */
  fewMatches: number;
  /** Years given a slice of their own, newest first; older and newer ones are searched together, last. */
  yearsSliced: number;
  /**
   * Up to this many rows holding every query word in their name are all read and the nearest (shortest) names
   * kept, whatever their age; more than that (a generic query), the newest of them.
   */
  nameMatchesRead: number;
  /** The same for a subset of the query words, when every word together finds too little. */
  partialMatchesRead: number;
}

export const DEFAULT_POSTGRES_SEARCH_TUNING: PostgresSearchTuning = {
  recentRows: 3000,
  fewMatches: 2000,
  yearsSliced: 8,
  nameMatchesRead: 1000,
  partialMatchesRead: 150,
};

/**
 * PostgreSQL's text candidates, relevance first. Each query word becomes a group of lexemes: its spellings in the
 * vocabulary of indexed words (trigram neighbours, completions of a partial word, one-edit typos of short words),
 * its alternatives (synonyms, the word joined with a neighbour: PreparedQuery.alternatives) in singular and plural.
 * Then, each step an index hit, stopping once there are enough:
 * 1. rows holding every group in their name (recall_words.name_words: brand, product, title, manufacturer, models,
 *    and each pair of adjacent name words joined): all of them when they are few, the shortest names first,
 *    whatever their age; when they are many (a generic query), the newest;
 * 2. rows holding every group anywhere in their text, newest first;
 * 3. when those are fewer than ENOUGH_MATCHES: rows holding all groups but one, in their name, then anywhere, for
 *    each such subset that few rows hold (a brand with a generic word: the brand's rows, not the newest rows of
 *    the generic word), leaving out at most two words; subsets the table statistics call common are not read.
 * Every statement is built by a method of its own, so the SQL that runs can be read (and is, in the snapshot files
 * of postgres-text-search.spec.ts).
 */
export class PostgresTextSearch {
  private readonly frequencies = new LexemeFrequencyCache();

  constructor(
    private readonly tuning: PostgresSearchTuning = DEFAULT_POSTGRES_SEARCH_TUNING,
    private readonly today: () => Date = () => new Date(),
  ) {}

  async findTextCandidates(
    db: SqlExecutor,
    text: PreparedQuery,
    filters: FilterWriter,
    limit: number,
    firstPage = limit,
    dates: DateRange = {},
  ): Promise<CandidateSet> {
    const words = candidateWords(text);
    const vocabulary = this.vocabularyStatement(words);
    const [rows, frequencies] = await Promise.all([
      db.query<{ position: number; word: string }>(vocabulary.text, vocabulary.values),
      this.frequencies.current(db),
    ]);
    // Position 0: the parts of words cut in two (and their halves) that the vocabulary holds.
    const knownParts = new Set(rows.filter((row) => Number(row.position) === 0).map((row) => row.word));
    const spellings = spellingsByPosition(words, rows.filter((row) => Number(row.position) !== 0));
    // A synonym or a cut holding a word most rows hold ("baby" of "baby seat") would cost reading most of the
    // index for every statement, and find nothing the rest of the query does not: it is left to the ranking.
    const allGroups = wordGroups(
      text,
      words,
      spellings,
      (lexeme) => frequencies.share('words', lexeme) <= MAX_ALTERNATIVE_SHARE,
      (part) => isWordIn(part, knownParts),
    );
    // A word nearly every name holds ("recalls", "hazard" in recall titles) tells no rows apart and costs reading
    // most of the index: it is left to the ranking, unless every word is like that.
    const informative = allGroups.filter((group) => frequencies.estimatedRows('name_words', [group.lexemes]) <= UNINFORMATIVE_SHARE * frequencies.rows);
    const groups = informative.length > 0 ? informative : allGroups;
    if (groups.length === 0) return { rows: [], complete: true, firstPage: 0, deeper: false };

    const found = new Map<number, CandidateRow>();
    let complete = true;
    const add = (rows: CandidateRow[]) => {
      for (const row of rows) if (!found.has(row.id) && found.size < limit) found.set(row.id, row);
    };
    const every = conjunction(groups);

    // Words so common together that more names hold them than are read (the statistics say so, or the read
    // does): a generic query ("infant car seat"), answered by its newest matches. Its words as typed and
    // corrected only: their synonyms would only add more of the same generic rows, at the cost of reading them.
    const plain = groups.map((group) => group.plainQuery).join(' & ');
    const generic = frequencies.estimatedRows('name_words', groups.map((group) => group.lexemes)) > GENERIC_FACTOR * this.tuning.nameMatchesRead;
    const names = generic
      ? []
      : await this.run(db, this.nameMatchesStatement(every, groups.map((group) => group.typedQuery).join(' & '), filters, limit, dates, this.tuning.nameMatchesRead));
    if (!generic && Number(names[0]?.matched ?? 0) <= this.tuning.nameMatchesRead) {
      add(names.filter((row) => row.id !== null));
      complete &&= Number(names[0]?.matched ?? 0) < limit;
    } else {
      // Anywhere in the text, as before names were indexed: as good for a generic query, and its common words are
      // dense enough among the newest rows for the first date slice to fill the page (in names they are sparser:
      // 70 of the newest 3,000 rows against 133 for "convertible car seat", 24 ms against 8).
      add(await this.run(db, this.newestMatchesStatement('words', plain, filters, limit, dates)));
      complete = false;
    }
    // Enough names hold every word for the first pages: they are those pages' candidates (rows holding the words
    // only in their description rank below them anyway); deeper pages go on with the others.
    const enoughNames = found.size >= NAME_MATCHES_FOR_FIRST_PAGES;
    const firstPageRows = enoughNames ? Math.min(firstPage, found.size) : undefined;
    if (enoughNames && limit <= firstPage) return { rows: [...found.values()], complete: false, firstPage: firstPageRows!, deeper: true };
    if (found.size < limit) {
      // Once names were found, descriptions are read for the words as typed: synonyms there cost more than they find.
      const anywhere = await this.run(db, this.newestMatchesStatement('words', generic || found.size > 0 ? plain : every, filters, limit, dates));
      add(anywhere);
      complete &&= anywhere.length < limit;
    }
    // Too few: subsets of the words that few rows hold (a brand among generic words, a known word among unknown
    // ones, words a description holds), in names and anywhere: all words but one first; when nothing was found,
    // smaller subsets, at most MAX_WORDS_DROPPED words left out. Each subset reads at most partialMatchesRead rows: the rows of common subsets are too many to tell
    // apart; those the table's statistics call common are not asked for, and of the others only the
    // MAX_SUBSETS_ASKED rarest, so a query that matches nothing costs a bounded number of index reads. With a few
    // rows found already, the subsets only fill the first page.
    for (let size = groups.length - 1; found.size < ENOUGH_MATCHES && size >= Math.max(1, groups.length - MAX_WORDS_DROPPED); size -= 1) {
      const first = size === groups.length - 1;
      if (found.size > 0 && !first) break;
      const fill = found.size > 0 ? Math.min(limit, PAGE_FILL) : limit;
      const subsets = combinations(groups, size);
      const statements = (['name_words', 'words'] as const).flatMap((column) => {
        const rarest = this.rarestSubsets(frequencies, column, subsets);
        const queries = rarest.map((subset) => subsetQuery(subset, frequencies));
        return queries.length > 0 ? [this.rareMatchesStatement(column, queries, filters, fill, dates, this.tuning.partialMatchesRead)] : [];
      });
      for (const rows of await Promise.all(statements.map((statement) => this.run(db, statement)))) add(rows);
      if (first && found.size === 0) {
        // No subset is rare: the newest names holding the least common one (a brand among generic words).
        const [rarest] = [...subsets].sort(
          (a, b) =>
            frequencies.estimatedRows('name_words', a.map((group) => group.lexemes)) - frequencies.estimatedRows('name_words', b.map((group) => group.lexemes)),
        );
        add(await this.run(db, this.newestMatchesStatement('name_words', subsetQuery(rarest, frequencies), filters, PAGE_FILL, dates)));
      }
      complete = false; // rows with part of the words: only some of them were read
    }
    return { rows: [...found.values()], complete, firstPage: firstPageRows ?? Math.min(firstPage, found.size), deeper: found.size >= limit };
  }

  /** The subsets the statistics do not call common, at most MAX_SUBSETS_ASKED of them, the rarest first. */
  private rarestSubsets(frequencies: LexemeFrequencies, column: WordColumn, subsets: WordGroup[][]): WordGroup[][] {
    return subsets
      .map((subset, index) => ({ subset, index, rows: frequencies.estimatedRows(column, subset.map((group) => group.lexemes)) }))
      .filter(({ rows }) => rows <= COMMON_SUBSET_FACTOR * this.tuning.partialMatchesRead)
      .sort((a, b) => a.rows - b.rows || a.index - b.index)
      .slice(0, MAX_SUBSETS_ASKED)
      .map(({ subset }) => subset);
  }

  /**
   * Vocabulary words that may be what the user meant by each query word, by the word's 1-based position: trigram
   * neighbours and completions of every word, and the one-edit variants of short words that the vocabulary holds.
   * At position 0, those it holds of the parts of each word cut in two and of their halves (see isWordIn).
   */
  vocabularyStatement(words: string[]): SqlStatement {
    const edits = [
      ...words.flatMap((word, index) => (word.length >= 3 && word.length <= 8 ? oneEditAway(word).map((variant) => [variant, index + 1] as const) : [])),
      ...cutLookups(words).map((part) => [part, 0] as const),
    ];
    return {
      text: `SELECT q.position, s.word
FROM unnest($1::text[]) WITH ORDINALITY AS q(word, position)
CROSS JOIN LATERAL (
  (SELECT v.word FROM search_vocabulary v
   WHERE v.word % q.word
   ORDER BY v.word <-> q.word, v.word
   LIMIT ${SPELLINGS_PER_WORD})
  UNION
  (SELECT v.word FROM search_vocabulary v
   WHERE length(q.word) >= 3 AND v.word LIKE q.word || '%'
   ORDER BY length(v.word), v.word
   LIMIT ${SPELLINGS_PER_WORD})
) s
UNION
SELECT e.position, v.word
FROM unnest($2::text[], $3::int[]) AS e(word, position)
JOIN search_vocabulary v ON v.word = e.word`,
      values: [words, edits.map(([variant]) => variant), edits.map(([, position]) => position)],
    };
  }

  /**
   * Rows holding the tsquery in their name, nearest first: its matches are read up to `read` rows (through the word
   * index: recall_name_matches, which also says whether each holds the words as typed); when that was all of them, those the filters keep, whatever their age: those
   * holding the words as typed (`typed`: no typo corrections) first, then shortest names, then newest. Always one row at least, with `matched`, how many were read: a row without an id
   * says none was kept or too many matched (read + 1).
   */
  nameMatchesStatement(tsquery: string, typed: string, filters: FilterWriter, limit: number, dates: DateRange, read: number): SqlStatement {
    const parameters = new SqlParameters('postgres');
    const words = parameters.add(tsquery);
    const asTyped = parameters.add(typed);
    const conditions = [...filters(parameters), ...dateConditions('w', dates, parameters)];
    return {
      text: `WITH matched AS MATERIALIZED (
  SELECT * FROM recall_name_matches(to_tsquery('simple', ${words}), to_tsquery('simple', ${asTyped}), ${Number(read) + 1}))
SELECT ${CANDIDATE_COLUMNS}, (SELECT count(*) FROM matched) AS matched
FROM (SELECT 1) AS one
LEFT JOIN LATERAL (
  SELECT w.recall_pk, w.name_length, w.recall_date, w.as_typed
  FROM matched w${needsRecalls(conditions) ? '\n  JOIN recalls r ON r.id = w.recall_pk' : ''}
  WHERE (SELECT count(*) FROM matched) <= ${Number(read)}${conditions.map((condition) => `\n    AND ${condition}`).join('')}
  ORDER BY as_typed DESC, w.name_length, w.recall_date DESC, w.recall_pk
  LIMIT ${Number(limit)}) m ON true
LEFT JOIN recalls c ON c.id = m.recall_pk
ORDER BY m.as_typed DESC, m.name_length, m.recall_date DESC, m.recall_pk`,
      values: parameters.values,
    };
  }

  /**
   * Rows holding one of these tsqueries (subsets of the query's words) in one column (the name, or all words), for
   * each tsquery that at most `read` rows hold (through the word index: recall_words_matching): the words of a
   * rare subset (a brand) tell rows apart, those of a common one (a generic product word) do not. Those the
   * filters keep, shortest names first, then newest.
   */
  rareMatchesStatement(column: WordColumn, tsqueries: string[], filters: FilterWriter, limit: number, dates: DateRange, read: number): SqlStatement {
    const parameters = new SqlParameters('postgres');
    const queries = tsqueries.map((tsquery) => parameters.add(tsquery));
    const conditions = [...filters(parameters), ...dateConditions('w', dates, parameters)];
    const branches = queries.map(
      (words) => `SELECT recall_pk FROM (
    SELECT recall_pk, count(*) OVER () AS matched
    FROM recall_words_matching('${column}', to_tsquery('simple', ${words}), ${Number(read) + 1})) counted
  WHERE matched <= ${Number(read)}`,
    );
    return {
      text: `SELECT ${CANDIDATE_COLUMNS}
FROM recall_words w
JOIN recalls c ON c.id = w.recall_pk${needsRecalls(conditions) ? '\nJOIN recalls r ON r.id = w.recall_pk' : ''}
WHERE w.recall_pk IN (
  ${branches.join('\n  UNION\n  ')})${conditions.map((condition) => `\n  AND ${condition}`).join('')}
ORDER BY w.name_length, w.recall_date DESC, w.recall_pk
LIMIT ${Number(limit)}`,
      values: parameters.values,
    };
  }

  /**
   * The newest `limit` rows matching the tsquery in one column of recall_words (joined to recalls only when
   * filters need it), then their candidate columns by primary key. One statement, in slices of dates that do
   * not overlap, newest first; an Append under a LIMIT runs its branches in order and stops once it has enough,
   * so the rows are exactly the newest `limit` matches whatever the data's dates:
   * 1. the newest few thousand rows (within the request's dates), read off the date index until `limit` of them
   *    match: words in one row in 25 or more fill the page here, common words after a few hundred rows;
   * 2. when the newest rows did not fill it, their matches say whether the words are rare (under fewMatches in
   *    the whole table, filters aside: the words decide how many rows a slice reads; with filters they are counted
   *    again without them, a second pass only then), or that the filters keep none of them (a
   *    filter that rare may keep nothing anywhere: one pass over every match costs least then), all older
   *    matches at once, from the word index, sorted;
   * 3. otherwise any rows dated after this year (off the date index: normally none), then year by year: each
   *    year's token narrows the word index to that year's matches, so "baby carrier" (10,000 rows, 35 ms to sort
   *    them all at a million rows) reads a few hundred rows; then every older year at once.
   * The choice is made inside the statement (one-time filters on the first slice's count), not by the planner,
   * whose estimate for several words together can be off by a hundred times either way.
   */
  newestMatchesStatement(column: WordColumn, tsquery: string, filters: FilterWriter, limit: number, dates: DateRange): SqlStatement {
    const { recentRows, fewMatches } = this.tuning;
    const parameters = new SqlParameters('postgres');
    const words = `to_tsquery('simple', ${parameters.add(tsquery)})`;
    // Written once; every slice repeats the same conditions and placeholders.
    const filtered = filters(parameters);
    const join = filtered.length > 0 ? ' JOIN recalls r ON r.id = w.recall_pk' : '';
    const inRange = dateConditions('', dates, parameters);
    const newestRows = (columns: string) =>
      `SELECT ${columns} FROM recall_words${inRange.length > 0 ? ` WHERE ${inRange.join(' AND ')}` : ''} ORDER BY recall_date DESC, recall_pk ASC`;
    // The newest rows, in date order: the first slice reads them until it has `limit` matches, no further.
    const newestWithWords = `(${newestRows(`recall_pk, recall_date, ${column}`)} LIMIT ${Number(recentRows)}) w`;
    const matches = (source: string, conditions: string[], order = 'w.recall_date DESC') => {
      const all = [...filtered, ...conditions];
      return `SELECT w.recall_pk, w.recall_date FROM ${source}${join}${all.length > 0 ? ` WHERE ${all.join(' AND ')}` : ''} ORDER BY ${order}, w.recall_pk ASC LIMIT ${Number(limit)}`;
    };
    // Slices after the first: rows past the newest ones, in (recall_date DESC, recall_pk ASC) order. "+ 0" keeps
    // them off the date index, for the order and for the bound: their matches come from the word index, sorted.
    const past = '(w.recall_date + 0, -w.recall_pk) < (SELECT recall_date, -recall_pk FROM boundary)';
    const later = (gate: string, conditions: string[]) => `(${matches('recall_words w', [gate, past, ...conditions], 'w.recall_date + 0 DESC')})`;

    const { newest, oldest } = searchedYears(dates, this.today(), this.tuning.yearsSliced);
    const common = '(SELECT common FROM estimate)';
    const slices = [
      '(SELECT recall_pk, recall_date FROM recent ORDER BY recall_date DESC, recall_pk ASC)',
      later(`NOT ${common}`, [`w.${column} @@ ${words}`]),
      // Dated after the sliced years (normally none: read off the date index, the word index left alone).
      `(${matches(
        `(SELECT recall_pk, recall_date, ${column} FROM recall_words WHERE recall_date >= ${parameters.add(firstDayOf(newest + 1))} ORDER BY recall_date DESC, recall_pk ASC OFFSET 0) w`,
        [common, past, `w.${column} @@ ${words}`],
      )})`,
    ];
    for (let year = newest; year >= oldest; year -= 1) {
      slices.push(later(common, [`w.${column} @@ (${words} && ${parameters.add(`'${yearToken(year)}'`)}::tsquery)`]));
    }
    slices.push(later(common, [`w.recall_date + 0 < ${parameters.add(firstDayOf(oldest))}`, `w.${column} @@ ${words}`]));

    return {
      text: `WITH recent AS MATERIALIZED (${matches(newestWithWords, [`w.${column} @@ ${words}`])}),
boundary AS MATERIALIZED (${newestRows('recall_date, recall_pk')} OFFSET ${Number(recentRows) - 1} LIMIT 1),
estimate AS MATERIALIZED (
  SELECT count(*) * (SELECT reltuples FROM pg_class WHERE oid = 'recall_words'::regclass) / ${Number(recentRows)} > ${Number(fewMatches)}
         AND EXISTS (SELECT 1 FROM recent) AS common
  FROM ${filtered.length > 0 ? `(SELECT 1 FROM ${newestWithWords} WHERE w.${column} @@ ${words}) counted` : 'recent'})
SELECT ${CANDIDATE_COLUMNS}
FROM (
  ${slices.join('\n  UNION ALL\n  ')}
  LIMIT ${Number(limit)}
) m
JOIN recalls c ON c.id = m.recall_pk`,
      values: parameters.values,
    };
  }

  private async run(db: SqlExecutor, statement: SqlStatement): Promise<Array<CandidateRow & { matched?: string | number }>> {
    return db.query(statement.text, statement.values);
  }
}

/** Conditions on the request's own dates, over recall_words (aliased or not). */
function dateConditions(alias: string, dates: DateRange, parameters: SqlParameters): string[] {
  const column = alias ? `${alias}.recall_date` : 'recall_date';
  return [
    ...(dates.from ? [`${column} >= ${parameters.add(dates.from)}`] : []),
    ...(dates.to ? [`${column} <= ${parameters.add(dates.to)}`] : []),
  ];
}

/** Filter conditions are written over recalls AS r; date conditions over recall_words only. */
function needsRecalls(conditions: string[]): boolean {
  return conditions.some((condition) => /\br\./.test(condition));
}

/** Two-letter words that say nothing of a product (English and French): no index probe for them. */
const SHORT_FUNCTION_WORDS = new Set([
  'an', 'as', 'at', 'be', 'by', 'do', 'if', 'in', 'is', 'it', 'my', 'no', 'of', 'on', 'or', 'so', 'to', 'up', 'us', 'we',
  'au', 'ce', 'de', 'du', 'en', 'et', 'il', 'la', 'le', 'ma', 'ne', 'ou', 'sa', 'se', 'un',
]);

/**
 * The query words worth an index probe: three or more characters and not only a short number, or two letters that
 * are not a function word ("Kids II", "PM 60/40"); when there are none (e.g. "pm 60"), every word.
 */
export function candidateWords(text: PreparedQuery): string[] {
  const significant = text.words.filter(
    (word) => (word.length >= 3 && !/^\d{1,3}$/.test(word)) || (/^[a-z]{2}$/.test(word) && !SHORT_FUNCTION_WORDS.has(word)),
  );
  const chosen = significant.length > 0 ? significant : text.words;
  return [...chosen].sort((a, b) => b.length - a.length || a.localeCompare(b)).slice(0, MAX_CANDIDATE_WORDS);
}

/** Shortest part of a word written together that is looked for apart. */
const MIN_PART = 2;

/** The ways to cut a word (letters only) in two parts of MIN_PART letters or more. */
export function splits(word: string): Array<[string, string]> {
  if (/[0-9]/.test(word)) return [];
  const cuts: Array<[string, string]> = [];
  for (let at = MIN_PART; at <= word.length - MIN_PART; at += 1) cuts.push([word.slice(0, at), word.slice(at)]);
  return cuts;
}

/** A query word's tsquery group, and the lexemes it matches: alternatives, each a list of words, each its forms. */
export interface WordGroup {
  query: string;
  /** The group without the vocabulary's corrections of a typo: what the parent typed, written any way. */
  typedQuery: string;
  /** The word as typed and its spellings only: no synonyms, no words joined or cut. */
  plainQuery: string;
  lexemes: string[][][];
  /**
   * The group's options (one lexeme list each), in query order, each with its rank when a subset cannot afford them
   * all: 0 for the word as typed (in its forms), then its alternatives and corrections (see subsetQuery).
   */
  options: Array<{ query: string; lexemes: string[][]; rank: number }>;
  /** The vocabulary does not hold the word as typed (a typo, or words written together). */
  unknown: boolean;
}

/**
 * One tsquery group per candidate word: the word as typed, its spellings, its prefix when it holds digits (words
 * with digits stay out of the vocabulary: model numbers match as typed, or as a prefix), and its alternatives, each
 * in singular and plural. A word the vocabulary does not know may be words written together: it is also looked
 * for in plural, and cut in two at every place ("carseat": car & seat, "rocknplay": rock & nplay, rockn & play,
 * both pairs of a name being in its index) where both parts are words (`isWord`: the vocabulary holds them): a cut
 * with a part no row holds finds nothing, and its other part may cost reading much of the index.
 */
export function wordGroups(
  text: PreparedQuery,
  words: string[],
  spellings: Map<number, string[]>,
  affordable: (lexeme: string) => boolean = () => true,
  isWord: (word: string) => boolean = () => true,
): WordGroup[] {
  return words.map((word, index) => {
    const alternatives = [...(text.alternatives[text.words.indexOf(word)] ?? [])];
    const known = spellings.get(index + 1) ?? [];
    const unknown = !/\d/.test(word) && !known.includes(word);
    // Vocabulary words that are the word or complete it ("seat" -> "seats") are as typed; the others correct it.
    const corrections = known.filter((spelling) => !spelling.startsWith(word));
    const options: string[][][] = known.filter((spelling) => spelling.startsWith(word)).map((spelling) => [[spelling]]);
    const extras: string[][][] = alternatives.map((alternative) => alternative.map(forms));
    const cuts: string[][][] = [];
    if (/\d/.test(word)) {
      options.push([[`${word}:*`]]);
    } else if (!unknown) {
      options.push([[word]]);
    } else {
      options.push([forms(word)]);
      for (const [left, right] of splits(word)) {
        if (forms(left).some(isWord) && forms(right).some(isWord)) cuts.push([forms(left), forms(right)]);
      }
    }
    // The word and its spellings are always looked for; a synonym or a cut only when all its lexemes are affordable.
    const affordableOf = (list: string[][][]) => list.filter((option) => option.every((wordForms) => wordForms.every(affordable)));
    const kept = [...options, ...affordableOf(extras), ...affordableOf(cuts)];
    const typed = new Map(kept.map((option) => [optionQuery(option), option]));
    const all = new Map<string, string[][]>([...corrections.map((spelling): [string, string[][]] => [spelling, [[spelling]]]), ...typed]);
    const plain = new Set([...known, /\d/.test(word) ? `${word}:*` : word]);
    // When a subset cannot afford them all: a known word was meant as typed, so its synonyms and joined forms come
    // before typo corrections; for a word the vocabulary does not hold, the corrections are the best guesses, then
    // synonyms and joined forms; cuts last.
    const ranks = new Map<string, number>([
      ...cuts.map((option): [string, number] => [optionQuery(option), 3]),
      ...extras.map((option): [string, number] => [optionQuery(option), unknown ? 2 : 1]),
      ...corrections.map((spelling): [string, number] => [spelling, unknown ? 1 : 2]),
      ...options.map((option): [string, number] => [optionQuery(option), 0]),
    ]);
    return {
      query: `(${[...all.keys()].join(' | ')})`,
      typedQuery: `(${[...typed.keys()].join(' | ')})`,
      plainQuery: `(${[...plain].join(' | ')})`,
      lexemes: [...all.values()],
      options: [...all].map(([query, lexemes]) => ({ query, lexemes, rank: ranks.get(query) ?? 3 })),
      unknown,
    };
  });
}

/** The cuts' parts of the words (in singular and plural), and each part's halves: what isWordIn asks about. */
export function cutLookups(words: string[]): string[] {
  const lookups = new Set<string>();
  for (const word of words) {
    for (const part of new Set(splits(word).flatMap(([left, right]) => [...forms(left), ...forms(right)]))) {
      lookups.add(part);
      for (let at = MIN_PART; at <= part.length - MIN_PART; at += 1) lookups.add(part.slice(0, at)).add(part.slice(at));
    }
  }
  return [...lookups];
}

/**
 * Whether a part of a word cut in two can be in a row's index: a vocabulary word (`known`), or two written together
 * as a name's index holds them: two vocabulary words, or one of three letters or more and a single letter ("nplay"
 * of "rock n play": single letters are no vocabulary words).
 */
export function isWordIn(part: string, known: ReadonlySet<string>): boolean {
  if (known.has(part)) return true;
  for (let at = 1; at < part.length; at += 1) {
    const [left, right] = [part.slice(0, at), part.slice(at)];
    const leftIsWord = left.length === 1 ? right.length >= 3 : known.has(left);
    if (leftIsWord && (right.length === 1 ? left.length >= 3 : known.has(right))) return true;
  }
  return false;
}

/** A word and its plurals; a word with digits as a prefix. */
function forms(word: string): string[] {
  return /\d/.test(word) ? [`${word}:*`] : PLURAL_ENDINGS.map((ending) => word + ending);
}

function optionQuery(option: string[][]): string {
  const words = option.map((wordForms) => (wordForms.length === 1 ? wordForms[0] : `(${wordForms.join(' | ')})`));
  return words.length === 1 ? words[0] : `(${words.join(' & ')})`;
}

/** A subset reads at most about this share of the index for each of its groups. */
const MAX_SUBSET_GROUP_READ = 0.05;

/**
 * A subset of the groups as one tsquery. A group whose lexemes together would read more of the index than
 * MAX_SUBSET_GROUP_READ (the sum of their shares) is cut down: a known word keeps its synonyms and joined forms
 * when they fit, else its spellings only; a word the vocabulary does not hold keeps, of its options, those that
 * still fit in that share, by rank (WordGroup.options) and the rarest first: its corrections, which are how it
 * finds rows, then its synonyms (and its cuts, last). Rare words tell rows apart; the common spellings and
 * synonyms of a generic word only cost.
 */
export function subsetQuery(subset: WordGroup[], frequencies: LexemeFrequencies): string {
  return subset.map((group) => subsetGroupQuery(group, frequencies)).join(' & ');
}

function subsetGroupQuery(group: WordGroup, frequencies: LexemeFrequencies): string {
  if (frequencies.indexShare('words', group.lexemes) <= MAX_SUBSET_GROUP_READ) return group.query;
  const costs = group.options.map((option) => frequencies.indexShare('words', [option.lexemes]));
  if (!group.unknown) {
    // A known word was meant as typed: with its synonyms and joined forms when they fit, else with its spellings.
    const typed = costs.reduce((sum, cost, index) => sum + (group.options[index].rank <= 1 ? cost : 0), 0);
    return typed <= MAX_SUBSET_GROUP_READ ? group.typedQuery : group.plainQuery;
  }
  let left = MAX_SUBSET_GROUP_READ;
  const kept = new Set<number>();
  // By rank, then the rarest first; the word as typed always.
  for (const index of group.options.map((_option, index) => index).sort((a, b) => group.options[a].rank - group.options[b].rank || costs[a] - costs[b] || a - b)) {
    if (group.options[index].rank > 0 && costs[index] > left) continue;
    kept.add(index);
    left -= costs[index];
  }
  return `(${group.options.filter((_option, index) => kept.has(index)).map((option) => option.query).join(' | ')})`;
}

function conjunction(groups: WordGroup[]): string {
  return groups.map((group) => group.query).join(' & ');
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

/** The vocabulary statement's rows as plausible spellings per 1-based word position. */
function spellingsByPosition(words: string[], rows: Array<{ position: number; word: string }>): Map<number, string[]> {
  const found = new Map<number, string[]>();
  for (const row of rows) {
    const position = Number(row.position);
    found.set(position, [...(found.get(position) ?? []), row.word]);
  }
  const spellings = new Map<number, string[]>();
  for (const [position, candidates] of found) spellings.set(position, plausibleSpellings(words[position - 1], candidates));
  return spellings;
}

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

/** Every way to choose `size` of the items, in order. */
export function combinations<T>(items: T[], size: number): T[][] {
  if (size === 0) return [[]];
  if (items.length < size) return [];
  const [first, ...rest] = items;
  return [...combinations(rest, size - 1).map((tail) => [first, ...tail]), ...combinations(rest, size)];
}

/**
 * The word index token of a row's year (see the YearTokensInWords migration). Query words are a-z0-9 only, so
 * no word or prefix can match one.
 */
export function yearToken(year: number): string {
  return `~${year}`;
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

/** How often the statistics are read again: ANALYZE (autovacuum's, or an import's) changes them rarely. */
const FREQUENCIES_MAX_AGE_MS = 10 * 60 * 1000;

/**
 * The share of rows holding each of the most common lexemes of recall_words.words and .name_words, from the table
 * statistics PostgreSQL keeps (pg_stats.most_common_elems, refreshed by ANALYZE): what a search needs to know that
 * "baby & seat" is held by a hundred thousand rows, without asking the index. A lexeme not listed counts at half the
 * rarest listed one's share. Without statistics (a table never analysed) every lexeme counts as rare.
 */
export class LexemeFrequencies {
  constructor(
    readonly rows: number,
    private readonly byColumn: ReadonlyMap<WordColumn, { shares: ReadonlyMap<string, number>; rarest: number }>,
  ) {}

  /** How much of the index a group's lexemes are (the sum of their shares): what reading them all costs. */
  indexShare(column: WordColumn, group: string[][][]): number {
    return group.flat(2).reduce((sum, lexeme) => sum + this.share(column, lexeme), 0);
  }

  /** The share of rows holding a lexeme (a prefix: 0; one not listed: half the rarest listed share). */
  share(column: WordColumn, lexeme: string): number {
    const stats = this.byColumn.get(column);
    if (!stats || lexeme.endsWith(':*')) return 0;
    return listedShare(stats, lexeme) ?? stats.rarest;
  }

  /**
   * Estimated rows holding every group of a subset (each group: alternatives, each a list of words, each its forms),
   * the groups taken as independent.
   */
  estimatedRows(column: WordColumn, groups: string[][][][]): number {
    const stats = this.byColumn.get(column);
    if (!stats || this.rows === 0) return 0;
    let together = 1;
    for (const group of groups) {
      // Listed lexemes count at their share; lexemes not listed (many are forms no row holds) at most once, as one
      // rare lexeme, however many the group names.
      let groupShare = 0;
      let unlisted = false;
      for (const option of group) {
        let optionShare = 1;
        for (const wordForms of option) {
          let wordShare = 0;
          for (const form of wordForms) {
            const listed = listedShare(stats, form);
            if (listed === undefined) unlisted = true;
            else wordShare += listed;
          }
          optionShare *= Math.min(1, wordShare);
        }
        groupShare += optionShare;
      }
      together *= Math.min(1, Math.max(groupShare, unlisted ? stats.rarest : 0));
    }
    return together * this.rows;
  }
}

/** The share the statistics list for a lexeme; a prefix (x:*) or a lexeme they do not list has none. */
function listedShare(stats: { shares: ReadonlyMap<string, number> }, lexeme: string): number | undefined {
  return lexeme.endsWith(':*') ? undefined : stats.shares.get(lexeme);
}

class LexemeFrequencyCache {
  private cached?: { at: number; frequencies: Promise<LexemeFrequencies> };

  current(db: SqlExecutor): Promise<LexemeFrequencies> {
    const now = Date.now();
    if (!this.cached || now - this.cached.at > FREQUENCIES_MAX_AGE_MS) {
      const frequencies = readFrequencies(db);
      this.cached = { at: now, frequencies };
      frequencies.catch(() => (this.cached = undefined)); // read again on the next search
    }
    return this.cached.frequencies;
  }
}

async function readFrequencies(db: SqlExecutor): Promise<LexemeFrequencies> {
  const rows = await db.query<{ column: WordColumn; elems: string[] | null; freqs: number[] | null; rows: number | string }>(
    `SELECT s.attname AS column, s.most_common_elems::text::text[] AS elems, s.most_common_elem_freqs AS freqs,
            (SELECT reltuples FROM pg_class WHERE oid = 'recall_words'::regclass) AS rows
     FROM pg_stats s
     WHERE s.schemaname = current_schema() AND s.tablename = 'recall_words' AND s.attname IN ('words', 'name_words')`,
    [],
  );
  const byColumn = new Map<WordColumn, { shares: Map<string, number>; rarest: number }>();
  for (const row of rows) {
    if (!row.elems || !row.freqs) continue;
    // most_common_elem_freqs of a tsvector: one share per element, then the lowest and the highest share. A lexeme
    // not listed is rarer than the lowest: half of it, as PostgreSQL's own estimate takes it.
    const shares = new Map(row.elems.map((elem, index) => [elem, Number(row.freqs![index])]));
    byColumn.set(row.column, { shares, rarest: Number(row.freqs[row.elems.length]) / 2 });
  }
  return new LexemeFrequencies(Math.max(0, Number(rows[0]?.rows ?? 0)), byColumn);
}
