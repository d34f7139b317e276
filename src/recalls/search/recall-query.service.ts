import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Brackets, DataSource, SelectQueryBuilder } from 'typeorm';
import { securityConfig, SecurityConfig } from '../../config/app.config';
import { AgencyCode } from '../domain/agencies';
import { RecallItem } from '../domain/recall-item';
import { IdentifierKind, RiskCategory, Severity } from '../domain/recall-record';
import { normalizeBarcode, normalizeModelNumber } from '../domain/product-identifiers';
import { asUtc } from '../import/recall-importer';
import { CursorCodec, CursorPosition, fingerprint } from './cursor';
import { keywordMatches, prepareQuery, PreparedQuery, scoreRelevance } from './relevance';
import { CandidateRow, SearchDialect, searchDialectFor } from './search-dialect';

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
  limit: number;
  offset: number;
  nextCursor: string | null;
  hasMore: boolean;
}

export interface IdentifierMatch {
  recall: RecallItem;
  kind: IdentifierKind;
}

/** How many text candidates the database hands over for scoring; text results are capped at this many. */
export const TEXT_CANDIDATE_LIMIT = 300;
/** Lowest relevance a text match may have to be listed. */
export const MIN_RELEVANCE = 0.45;

const ITEM_COLUMNS = [
  'r.id AS id',
  'r.recall_id AS recall_id',
  'r.agency_code AS agency_code',
  'r.title AS title',
  'r.product_name AS product_name',
  'r.brand AS brand',
  'r.manufacturer AS manufacturer',
  'r.description AS description',
  'r.hazard AS hazard',
  'r.hazard_category AS hazard_category',
  'r.remedy AS remedy',
  'r.recall_reason AS recall_reason',
  'r.recall_date AS recall_date',
  'r.last_updated AS last_updated',
  'r.country AS country',
  'r.affected_countries AS affected_countries',
  'r.severity AS severity',
  'r.risk_category AS risk_category',
  'r.status AS status',
  'r.url AS url',
  'r.image_url AS image_url',
  'r.units_affected AS units_affected',
];

interface ScoredCandidate {
  row: CandidateRow;
  score: number;
}

/** Reads recalls: text search with typo tolerance, filter lists, lookups by id and by product identifier. */
@Injectable()
export class RecallQueryService {
  private readonly dialect: SearchDialect;
  private readonly cursors: CursorCodec;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(securityConfig.KEY) security: SecurityConfig,
  ) {
    this.dialect = searchDialectFor(dataSource);
    this.cursors = new CursorCodec(security.secretKey);
  }

  async search(criteria: RecallCriteria, page: PageRequest): Promise<RecallPage> {
    const text = [criteria.text, ...(criteria.keywords ?? [])].filter(Boolean).join(' ').trim();
    return text ? this.searchText(criteria, prepareQuery(text), page) : this.listByDate(criteria, page);
  }

  async findByRecallId(recallId: string): Promise<RecallItem | undefined> {
    const rows = await this.itemQuery().where('r.recall_id = :recallId', { recallId }).getRawMany();
    return (await this.toItems(rows))[0];
  }

  /** Exact identifier lookups (normalised values), each an index hit. */
  async findByIdentifiers(kind: IdentifierKind, normalizedValues: string[]): Promise<IdentifierMatch[]> {
    if (normalizedValues.length === 0) return [];
    const rows = await this.itemQuery()
      .innerJoin('recall_identifiers', 'i', 'i.recall_pk = r.id')
      .where('i.kind = :kind AND i.normalized IN (:...values)', { kind, values: normalizedValues })
      .distinct(true)
      .orderBy('r.recall_date', 'DESC')
      .addOrderBy('r.recall_id', 'ASC')
      .limit(50)
      .getRawMany();
    return (await this.toItems(rows)).map((recall) => ({ recall, kind }));
  }

  private filtered(criteria: RecallCriteria): SelectQueryBuilder<any> {
    const query = this.dataSource.createQueryBuilder().from('recalls', 'r').where('1 = 1');
    if (criteria.agencies?.length) query.andWhere('r.agency_code IN (:...agencies)', { agencies: criteria.agencies });
    if (criteria.severity) query.andWhere('r.severity = :severity', { severity: criteria.severity });
    if (criteria.riskCategory) query.andWhere('r.risk_category = :riskCategory', { riskCategory: criteria.riskCategory });
    if (criteria.country) query.andWhere(this.dialect.countryCondition, { country: criteria.country.toUpperCase() });
    if (criteria.dateFrom) query.andWhere('r.recall_date >= :dateFrom', { dateFrom: criteria.dateFrom });
    if (criteria.dateTo) query.andWhere('r.recall_date <= :dateTo', { dateTo: criteria.dateTo });
    return query;
  }

  private itemQuery(): SelectQueryBuilder<any> {
    return this.dataSource.createQueryBuilder().select(ITEM_COLUMNS).from('recalls', 'r');
  }

  private async listByDate(criteria: RecallCriteria, page: PageRequest): Promise<RecallPage> {
    const oldestFirst = criteria.sort === 'oldest';
    const listFingerprint = fingerprint({ ...criteria, kind: 'date' });
    const position = page.cursor ? this.cursors.decode(page.cursor, listFingerprint) : undefined;
    const total = await this.filtered(criteria).getCount();

    const query = this.filtered(criteria).select(ITEM_COLUMNS);
    if (position) {
      const after = oldestFirst ? '>' : '<';
      query.andWhere(
        new Brackets((where) =>
          where
            .where(`r.recall_date ${after} :cursorDate`, { cursorDate: position.date })
            .orWhere('r.recall_date = :cursorDate AND r.recall_id > :cursorId', { cursorId: position.id }),
        ),
      );
    }
    const offset = position ? 0 : (page.offset ?? 0);
    const rows = await query
      .orderBy('r.recall_date', oldestFirst ? 'ASC' : 'DESC')
      .addOrderBy('r.recall_id', 'ASC')
      .offset(offset)
      .limit(page.limit + 1)
      .getRawMany();
    const hasMore = rows.length > page.limit;
    const items = await this.toItems(rows.slice(0, page.limit));
    const last = items[items.length - 1];
    return {
      items,
      total,
      limit: page.limit,
      offset: page.offset ?? 0,
      hasMore,
      nextCursor: hasMore && last ? this.cursors.encode({ date: last.recallDate, id: last.id }, listFingerprint) : null,
    };
  }

  private async searchText(criteria: RecallCriteria, text: PreparedQuery, page: PageRequest): Promise<RecallPage> {
    const ranked = await this.rankTextMatches(criteria, text);
    const sort = criteria.sort ?? 'relevance';
    if (sort !== 'relevance') {
      const direction = sort === 'oldest' ? 1 : -1;
      ranked.sort((a, b) => direction * compare(a.row.recall_date, b.row.recall_date) || compare(a.row.recall_id, b.row.recall_id));
    }
    const listFingerprint = fingerprint({ ...criteria, text: text.normalized, kind: 'text' });
    let start = page.offset ?? 0;
    if (page.cursor) {
      const position = this.cursors.decode(page.cursor, listFingerprint);
      start = ranked.findIndex((candidate) => comesAfter(candidate, position, sort));
      if (start === -1) start = ranked.length;
    }
    const slice = ranked.slice(start, start + page.limit);
    const hasMore = start + page.limit < ranked.length;
    const rows = slice.length
      ? await this.itemQuery().where('r.id IN (:...ids)', { ids: slice.map((candidate) => candidate.row.id) }).getRawMany()
      : [];
    const byId = new Map((await this.toItems(rows)).map((item) => [item.id, item]));
    const items = slice.map((candidate) => ({ ...byId.get(candidate.row.recall_id)!, relevanceScore: candidate.score }));
    const last = slice[slice.length - 1];
    return {
      items,
      total: ranked.length,
      limit: page.limit,
      offset: page.offset ?? 0,
      hasMore,
      nextCursor:
        hasMore && last
          ? this.cursors.encode({ score: last.score, date: last.row.recall_date, id: last.row.recall_id }, listFingerprint)
          : null,
    };
  }

  /** Text candidates from the database (plus exact identifier hits), scored and ordered in code. */
  private async rankTextMatches(criteria: RecallCriteria, text: PreparedQuery): Promise<ScoredCandidate[]> {
    const candidateColumns = ['r.id AS id', 'r.recall_id AS recall_id', 'r.recall_date AS recall_date', 'r.search_name AS search_name', 'r.search_text AS search_text'];
    const [textRows, identifierRows] = await Promise.all([
      this.dialect.textCandidates(this.filtered(criteria).select(candidateColumns), text, TEXT_CANDIDATE_LIMIT).getRawMany<CandidateRow>(),
      this.identifierCandidates(criteria, text, candidateColumns),
    ]);
    const exact = new Set(identifierRows.map((row) => row.id));
    const rows = new Map<number, CandidateRow>();
    for (const row of [...identifierRows, ...textRows]) rows.set(row.id, row);

    const scored: ScoredCandidate[] = [];
    for (const row of rows.values()) {
      if (criteria.keywords?.some((keyword) => !keywordMatches(keyword, { searchName: row.search_name, searchText: row.search_text }))) continue;
      const score = exact.has(row.id) ? 1 : scoreRelevance(text, { searchName: row.search_name, searchText: row.search_text });
      if (score >= MIN_RELEVANCE) scored.push({ row, score });
    }
    return scored.sort(
      (a, b) => b.score - a.score || compare(b.row.recall_date, a.row.recall_date) || compare(a.row.recall_id, b.row.recall_id),
    );
  }

  /** Rows whose model number or barcode equals the query or a word (pair) of it, after normalisation. */
  private async identifierCandidates(criteria: RecallCriteria, text: PreparedQuery, columns: string[]): Promise<CandidateRow[]> {
    const values = identifierLookups(text);
    if (values.length === 0) return [];
    return this.filtered(criteria)
      .select(columns)
      .andWhere(
        'r.id IN (SELECT i.recall_pk FROM recall_identifiers i WHERE i.kind IN (:...kinds) AND i.normalized IN (:...values))',
        { kinds: ['model_number', 'barcode'], values },
      )
      .limit(TEXT_CANDIDATE_LIMIT)
      .getRawMany<CandidateRow>();
  }

  private async toItems(rows: Array<Record<string, any>>): Promise<RecallItem[]> {
    if (rows.length === 0) return [];
    const identifiers = await this.dataSource
      .createQueryBuilder()
      .select(['i.recall_pk AS recall_pk', 'i.kind AS kind', 'i.value AS value'])
      .from('recall_identifiers', 'i')
      .where('i.recall_pk IN (:...ids)', { ids: rows.map((row) => row.id) })
      .orderBy('i.id', 'ASC')
      .getRawMany<{ recall_pk: number; kind: IdentifierKind; value: string }>();
    return rows.map((row) => {
      const own = identifiers.filter((identifier) => identifier.recall_pk === row.id);
      return toRecallItem(row, own);
    });
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

function toRecallItem(row: Record<string, any>, identifiers: Array<{ kind: IdentifierKind; value: string }>): RecallItem {
  const model = identifiers.find((identifier) => identifier.kind === 'model_number')?.value;
  const upc = identifiers.find((identifier) => identifier.kind === 'barcode')?.value;
  const affected = typeof row.affected_countries === 'string' ? JSON.parse(row.affected_countries) : row.affected_countries;
  const item: RecallItem = {
    id: row.recall_id,
    agencyCode: row.agency_code,
    title: row.title,
    recallDate: typeof row.recall_date === 'string' ? row.recall_date.slice(0, 10) : new Date(row.recall_date).toISOString().slice(0, 10),
    productName: row.product_name ?? undefined,
    brand: row.brand ?? undefined,
    manufacturer: row.manufacturer ?? undefined,
    model,
    modelNumber: model,
    upc,
    hazard: row.hazard ?? undefined,
    hazardCategory: row.hazard_category ?? undefined,
    riskCategory: row.risk_category ?? undefined,
    severity: row.severity ?? undefined,
    status: row.status ?? undefined,
    imageUrl: row.image_url ?? undefined,
    affectedCountries: Array.isArray(affected) && affected.length ? affected : undefined,
    country: row.country ?? undefined,
    lastUpdated: row.last_updated
      ? new Date(typeof row.last_updated === 'string' ? asUtc(row.last_updated) : row.last_updated).toISOString()
      : undefined,
    sourceUrl: row.url ?? undefined,
    description: row.description ?? undefined,
    url: row.url ?? undefined,
    remedy: row.remedy ?? undefined,
    recallReason: row.recall_reason ?? undefined,
    unitsAffected: row.units_affected ?? undefined,
  };
  for (const key of Object.keys(item) as Array<keyof RecallItem>) if (item[key] === undefined) delete item[key];
  return item;
}
