import { AgencyCode } from '../domain/agencies';
import { normalizeBarcode, normalizeModelNumber } from '../domain/product-identifiers';
import { RecallItem } from '../domain/recall-item';
import { IdentifierKind, RiskCategory, Severity } from '../domain/recall-record';
import { CursorCodec, CursorPosition, fingerprint } from './cursor';
import { keywordMatches, prepareQuery, PreparedQuery, roundScore, scoreRelevances } from './relevance';
import { PostgresSearchTuning } from './postgres-text-search';
import { SqlDialect } from '../../database/sql/sql-dialect';
import { SqlExecutor } from '../../database/sql/sql-executor';
import { SqlParameters } from '../../database/sql/sql-parameters';
import { RECALL_IDENTIFIERS } from '../../database/tables/recall-identifiers.table';
import { CandidateRow, dayOf, RECALL_CANDIDATE_COLUMNS, RECALL_ITEM_COLUMNS, recallItemOf, RecallItemRow, RECALLS } from '../../database/tables/recalls.table';
import { columnList } from '../../database/tables/table';
import { SearchDialect, searchDialect } from './search-dialect';

export interface RecallCriteria {
  text?: string;
  keywords?: string[];
  agencies?: AgencyCode[];
  severity?: Severity;
  riskCategory?: RiskCategory;
  country?: string;
  dateFrom?: string;
  dateTo?: string;
  /** relevance (default with text), recent (default without), oldest. */
  sort?: 'relevance' | 'recent' | 'oldest';
}

export interface PageRequest {
  limit: number;
  offset?: number;
  cursor?: string | null;
}

export interface RecallPage {
  items: RecallItem[];
  total: number;
  /**
   * True when `total` is an estimate: a text search with more matches than it ranks (MAX_TEXT_RESULTS, or
   * fewer where counting them all would be slow) counts only what it ranked, a lower bound.
   */
  totalIsEstimate: boolean;
  limit: number;
  offset: number;
  nextCursor: string | null;
  hasMore: boolean;
}

export interface IdentifierMatch {
  recall: RecallItem;
  kind: IdentifierKind;
}

/**
 * How many text candidates the database hands over for scoring, for pages within the first TEXT_CANDIDATE_LIMIT
 * results; a page beyond them is ranked from MAX_TEXT_RESULTS candidates. Text results end there.
 */
export const TEXT_CANDIDATE_LIMIT = 120;
export const MAX_TEXT_RESULTS = 1000;
/** Lowest relevance a text match may have to be listed. */
export const MIN_RELEVANCE = 0.45;
/** Lowest relevance listed when nothing reaches MIN_RELEVANCE. */
export const LAST_RESORT_RELEVANCE = 0.25;
const IDENTIFIER_MATCH_LIMIT = 50;
/** An identifier matched in the text search ranks first when it is at least this share of the query's characters. */
const IDENTIFIER_SHARE_OF_QUERY = 0.5;
/** An identifier hit scores this much, plus the rest by how much of the query it is: a whole-query match scores 1. */
const IDENTIFIER_SCORE = 0.9;
/** A barcode hit counts as matching the whole query. */
const BARCODE_MATCH_LENGTH = 1000;

const ITEM_COLUMNS = columnList(RECALL_ITEM_COLUMNS, 'r');
const CANDIDATE_COLUMNS = columnList(RECALL_CANDIDATE_COLUMNS, 'r');

interface ScoredCandidate {
  row: CandidateRow;
  score: number;
}

/**
 * Reads recalls: typo-tolerant text search, filter lists, lookups by id and by product identifier.
 * Plain SQL through an executor, so the service (TypeORM's connection) and the benchmark baseline (a bare pg
 * pool) run exactly the same statements.
 */
export class RecallSearch {
  private readonly dialect: SearchDialect;
  private readonly cursors: CursorCodec;

  constructor(
    private readonly db: SqlExecutor,
    dialect: SqlDialect,
    cursorSecret: string,
    tuning: Partial<PostgresSearchTuning> = {},
  ) {
    this.dialect = searchDialect(dialect, tuning);
    this.cursors = new CursorCodec(cursorSecret);
  }

  async search(criteria: RecallCriteria, page: PageRequest): Promise<RecallPage> {
    const text = [criteria.text, ...(criteria.keywords ?? [])].filter(Boolean).join(' ').trim();
    return text ? this.searchText(criteria, prepareQuery(text), page) : this.listByDate(criteria, page);
  }

  async findByRecallId(recallId: string): Promise<RecallItem | undefined> {
    const parameters = this.dialect.parameters();
    const rows = await this.db.query<RecallItemRow>(`SELECT ${ITEM_COLUMNS} FROM ${RECALLS.name} r WHERE r.recall_id = ${parameters.add(recallId)}`, parameters.values);
    return (await this.toItems(rows))[0];
  }

  /** Exact identifier lookups (normalised values), each an index hit. */
  async findByIdentifiers(kind: IdentifierKind, normalizedValues: string[]): Promise<IdentifierMatch[]> {
    if (normalizedValues.length === 0) return [];
    const parameters = this.dialect.parameters();
    // The newest matches come off the (kind, normalized, recall_date) index, however common the identifier.
    const rows = await this.db.query<RecallItemRow>(
      `SELECT ${ITEM_COLUMNS} FROM ${RECALLS.name} r
       WHERE r.id IN (SELECT i.recall_pk FROM ${RECALL_IDENTIFIERS.name} i
                      WHERE i.kind = ${parameters.add(kind)} AND ${this.dialect.inList('i.normalized', normalizedValues, parameters)}
                      ORDER BY i.recall_date DESC, i.recall_pk ASC LIMIT ${IDENTIFIER_MATCH_LIMIT})
       ORDER BY r.recall_date DESC, r.recall_id ASC`,
      parameters.values,
    );
    return (await this.toItems(rows)).map((recall) => ({ recall, kind }));
  }

  private filters(criteria: RecallCriteria, parameters: SqlParameters): string[] {
    const where: string[] = [];
    if (criteria.agencies?.length) where.push(this.dialect.inList('r.agency_code', criteria.agencies, parameters));
    if (criteria.severity) where.push(`r.severity = ${parameters.add(criteria.severity)}`);
    if (criteria.riskCategory) where.push(`r.risk_category = ${parameters.add(criteria.riskCategory)}`);
    if (criteria.country) where.push(this.dialect.countryCondition(criteria.country.toUpperCase(), parameters));
    if (criteria.dateFrom) where.push(`r.recall_date >= ${parameters.add(criteria.dateFrom)}`);
    if (criteria.dateTo) where.push(`r.recall_date <= ${parameters.add(criteria.dateTo)}`);
    return where;
  }

  private async listByDate(criteria: RecallCriteria, page: PageRequest): Promise<RecallPage> {
    const oldestFirst = criteria.sort === 'oldest';
    const listFingerprint = fingerprint({ ...criteria, kind: 'date' });
    const position = page.cursor ? this.cursors.decode(page.cursor, listFingerprint) : undefined;

    const countParameters = this.dialect.parameters();
    const countWhere = this.filters(criteria, countParameters);
    const [{ total }] = await this.db.query<{ total: string | number }>(
      `SELECT COUNT(*) AS total FROM ${RECALLS.name} r${countWhere.length ? ` WHERE ${countWhere.join(' AND ')}` : ''}`,
      countParameters.values,
    );

    const parameters = this.dialect.parameters();
    const where = this.filters(criteria, parameters);
    if (position) {
      const date = parameters.add(position.date);
      const sameDate = parameters.add(position.date);
      where.push(`(r.recall_date ${oldestFirst ? '>' : '<'} ${date} OR (r.recall_date = ${sameDate} AND r.recall_id > ${parameters.add(position.id)}))`);
    }
    const offset = position ? 0 : (page.offset ?? 0);
    const rows = await this.db.query<RecallItemRow>(
      `SELECT ${ITEM_COLUMNS} FROM ${RECALLS.name} r${where.length ? ` WHERE ${where.join(' AND ')}` : ''}
       ORDER BY r.recall_date ${oldestFirst ? 'ASC' : 'DESC'}, r.recall_id ASC
       LIMIT ${page.limit + 1} OFFSET ${offset}`,
      parameters.values,
    );
    const hasMore = rows.length > page.limit;
    const items = await this.toItems(rows.slice(0, page.limit));
    const last = items[items.length - 1];
    return {
      items,
      total: Number(total),
      totalIsEstimate: false,
      limit: page.limit,
      offset: page.offset ?? 0,
      hasMore,
      nextCursor: hasMore && last ? this.cursors.encode({ date: last.recallDate, id: last.id }, listFingerprint) : null,
    };
  }

  private async searchText(criteria: RecallCriteria, text: PreparedQuery, page: PageRequest): Promise<RecallPage> {
    const listFingerprint = fingerprint({ ...criteria, text: text.normalized, kind: 'text' });
    const position = page.cursor ? this.cursors.decode(page.cursor, listFingerprint) : undefined;
    const offset = page.offset ?? 0;
    // Pages within the first TEXT_CANDIDATE_LIMIT results are ranked from that many candidates, later ones from all.
    const end = (position?.rank ?? offset) + page.limit;
    let depth = end <= TEXT_CANDIDATE_LIMIT ? TEXT_CANDIDATE_LIMIT : MAX_TEXT_RESULTS;
    let { segments, complete, deeper } =
      text.words.length > 0
        ? await this.rankTextMatches(criteria, text, depth)
        : { segments: [[], []] as ScoredCandidate[][], complete: true, deeper: false };
    if (deeper && depth < MAX_TEXT_RESULTS && end > segments[0].length && end > page.limit) {
      // A later page reaching past the first pages' candidates: rank the deeper list. (A first page shows what the
      // first candidates hold, and says there is more.)
      depth = MAX_TEXT_RESULTS;
      ({ segments, complete, deeper } = await this.rankTextMatches(criteria, text, depth));
    }
    const sort = criteria.sort ?? 'relevance';
    if (sort !== 'relevance') {
      const direction = sort === 'oldest' ? 1 : -1;
      for (const segment of segments) {
        segment.sort((a, b) => direction * compare(a.row.recall_date, b.row.recall_date) || compare(a.row.recall_id, b.row.recall_id));
      }
    }
    const [first, rest] = segments;
    const ranked = [...first, ...rest];
    let start = offset;
    if (position) {
      // The cursor's rank says which segment its page was in; its position where in that segment to go on.
      const [segment, before] = (position.rank ?? 0) <= first.length ? [first, 0] : [rest, first.length];
      const next = segment.findIndex((candidate) => comesAfter(candidate, position, sort));
      start = before + (next === -1 ? segment.length : next);
    }
    const slice = ranked.slice(start, start + page.limit);
    // Ranked from the first candidates only, and cut off there: the deeper ranking goes on.
    const goesDeeper = deeper && depth < MAX_TEXT_RESULTS;
    const hasMore = start + page.limit < ranked.length || (goesDeeper && slice.length > 0);
    const items = await this.itemsByIds(slice.map((candidate) => candidate.row.id));
    const byId = new Map(items.map((item) => [item.id, item]));
    const last = slice[slice.length - 1];
    return {
      items: slice.map((candidate) => ({ ...byId.get(candidate.row.recall_id)!, relevanceScore: candidate.score })),
      total: ranked.length,
      totalIsEstimate: !complete,
      limit: page.limit,
      offset: page.offset ?? 0,
      hasMore,
      nextCursor:
        hasMore && last
          ? this.cursors.encode({ score: last.score, date: last.row.recall_date, id: last.row.recall_id, rank: start + slice.length }, listFingerprint)
          : null,
    };
  }

  /**
   * Text candidates from the database (plus exact identifier hits), scored and ordered in code, in two segments:
   * the first pages' candidates (at most TEXT_CANDIDATE_LIMIT) ranked, then (at a deeper depth) the others ranked.
   * The list is the same whichever depth a page needs: a page past the first segment never repeats or skips one
   * of it.
   */
  private async rankTextMatches(
    criteria: RecallCriteria,
    text: PreparedQuery,
    depth: number,
  ): Promise<{ segments: [ScoredCandidate[], ScoredCandidate[]]; complete: boolean; deeper: boolean }> {
    const [{ rows: textRows, complete, firstPage, deeper }, identifierRows] = await Promise.all([
      this.dialect.findTextCandidates(this.db, text, (parameters) => this.filters(criteria, parameters), depth, TEXT_CANDIDATE_LIMIT, {
        from: criteria.dateFrom,
        to: criteria.dateTo,
      }),
      this.identifierCandidates(criteria, text),
    ]);
    // An identifier that is (most of) the query is the answer, the longer match first ("702 390 98": 70239098
    // before 39098); a short number inside a longer query ("similac pm 60/40 formula": 6040) only makes its row a
    // candidate, ranked by relevance like the others.
    const compactLength = text.normalized.replace(/ /g, '').length;
    const identifierScores = new Map<number, number>();
    for (const row of identifierRows) {
      const coverage = Math.min(1, Number(row.matched_length) / Math.max(1, compactLength));
      if (coverage >= IDENTIFIER_SHARE_OF_QUERY) identifierScores.set(row.id, roundScore(IDENTIFIER_SCORE + (1 - IDENTIFIER_SCORE) * coverage));
    }
    const rows = new Map<number, CandidateRow>();
    for (const row of [...identifierRows, ...textRows]) rows.set(row.id, row);

    // The first pages' candidates: the identifier hits and the text candidates every depth starts with.
    const first = new Set([...identifierRows.map((row) => row.id), ...textRows.slice(0, firstPage).map((row) => row.id)]);
    const kept = [...rows.values()].filter((row) => {
      const recall = { searchName: row.search_name, searchText: row.search_text };
      return !criteria.keywords?.some((keyword) => !keywordMatches(keyword, recall));
    });
    const scores = scoreRelevances(
      text,
      kept.map((row) => ({ searchName: row.search_name, searchText: row.search_text })),
      kept.filter((row) => first.has(row.id)).length, // they come first: words weigh alike on every page
    );
    const scoreOf = (row: CandidateRow, index: number) => identifierScores.get(row.id) ?? scores[index];
    // When no first-page candidate is relevant enough, the best partial matches are still better than nothing
    // (a brand among words no recall uses), down to LAST_RESORT_RELEVANCE.
    const threshold = kept.some((row, index) => first.has(row.id) && scoreOf(row, index) >= MIN_RELEVANCE) ? MIN_RELEVANCE : LAST_RESORT_RELEVANCE;
    const segments: [ScoredCandidate[], ScoredCandidate[]] = [[], []];
    kept.forEach((row, index) => {
      const score = scoreOf(row, index);
      if (score >= threshold) segments[first.has(row.id) ? 0 : 1].push({ row: { ...row, recall_date: dayOf(row.recall_date) }, score });
    });
    for (const segment of segments) {
      segment.sort((a, b) => b.score - a.score || compare(b.row.recall_date, a.row.recall_date) || compare(a.row.recall_id, b.row.recall_id));
    }
    segments[1] = segments[1].slice(0, MAX_TEXT_RESULTS - segments[0].length);
    return { segments, complete: complete && kept.length <= MAX_TEXT_RESULTS, deeper };
  }

  /**
   * Rows whose model number or barcode equals the query or a word (pair) of it, after normalisation, each with the
   * length of the longest model number it matched (a barcode counts as the whole query).
   */
  private async identifierCandidates(criteria: RecallCriteria, text: PreparedQuery): Promise<Array<CandidateRow & { matched_length: number }>> {
    const values = identifierLookups(text);
    if (values.length === 0) return [];
    const parameters = this.dialect.parameters();
    const matching = () =>
      `${this.dialect.inList('i.kind', ['model_number', 'barcode'], parameters)} AND ${this.dialect.inList('i.normalized', values, parameters)}`;
    const matchedLength = `(SELECT max(CASE WHEN i.kind = 'barcode' THEN ${BARCODE_MATCH_LENGTH} ELSE length(i.normalized) END)
       FROM ${RECALL_IDENTIFIERS.name} i WHERE i.recall_pk = r.id AND ${matching()}) AS matched_length`;
    const where = this.filters(criteria, parameters);
    // Without filters the newest matches come straight off the identifier index; with filters, after them.
    const newestFirst = where.length === 0 ? `ORDER BY i.recall_date DESC, i.recall_pk ASC LIMIT ${TEXT_CANDIDATE_LIMIT}` : '';
    where.push(`r.id IN (SELECT i.recall_pk FROM ${RECALL_IDENTIFIERS.name} i WHERE ${matching()} ${newestFirst})`);
    return this.db.query(
      `SELECT ${CANDIDATE_COLUMNS}, ${matchedLength} FROM ${RECALLS.name} r WHERE ${where.join(' AND ')}
       ORDER BY r.recall_date DESC, r.id ASC LIMIT ${TEXT_CANDIDATE_LIMIT}`,
      parameters.values,
    );
  }

  private async itemsByIds(ids: number[]): Promise<RecallItem[]> {
    if (ids.length === 0) return [];
    const parameters = this.dialect.parameters();
    const rows = await this.db.query<RecallItemRow>(`SELECT ${ITEM_COLUMNS} FROM ${RECALLS.name} r WHERE ${this.dialect.inList('r.id', ids, parameters)}`, parameters.values);
    return this.toItems(rows);
  }

  private async toItems(rows: RecallItemRow[]): Promise<RecallItem[]> {
    if (rows.length === 0) return [];
    const parameters = this.dialect.parameters();
    const identifiers = await this.db.query<{ recall_pk: number; kind: IdentifierKind; value: string }>(
      `SELECT i.recall_pk, i.kind, i.value FROM ${RECALL_IDENTIFIERS.name} i WHERE ${this.dialect.inList('i.recall_pk', rows.map((row) => row.id), parameters)} ORDER BY i.recall_pk, i.position`,
      parameters.values,
    );
    return rows.map((row) => recallItemOf(row, identifiers.filter((identifier) => identifier.recall_pk === row.id)));
  }
}

/** Model/barcode spellings to look up exactly: the whole query, each word, and each pair of adjacent words. */
export function identifierLookups(text: PreparedQuery): string[] {
  const words = text.normalized.split(' ').filter(Boolean);
  const spellings = new Set<string>([text.normalized.replace(/ /g, '')]);
  words.forEach((word, index) => {
    spellings.add(word);
    if (index + 1 < words.length) spellings.add(word + words[index + 1]);
  });
  const values = new Set<string>();
  for (const spelling of spellings) {
    if (spelling.length < 3 || !/\d/.test(spelling)) continue; // model numbers and barcodes contain digits
    values.add(normalizeModelNumber(spelling));
    const barcode = normalizeBarcode(spelling);
    if (barcode.ok) values.add(barcode.gtin14);
  }
  return [...values].slice(0, 40);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function comesAfter(candidate: ScoredCandidate, position: CursorPosition, sort: RecallCriteria['sort']): boolean {
  const { row, score } = candidate;
  if (sort === 'recent' || sort === 'oldest') {
    const byDate = compare(row.recall_date, position.date) * (sort === 'oldest' ? 1 : -1);
    return byDate > 0 || (byDate === 0 && row.recall_id > position.id);
  }
  if (score !== position.score) return score < (position.score ?? 0);
  if (row.recall_date !== position.date) return row.recall_date < position.date;
  return row.recall_id > position.id;
}
