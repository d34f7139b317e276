import { hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { DataSource } from 'typeorm';
import { SqlDialect, sqlDialectOf } from '../../database/sql/sql-dialect';
import { IdentifierRow } from '../../database/tables/recall-identifiers.table';
import { RecallRow } from '../../database/tables/recalls.table';
import { DomainError } from '../../common/domain-error';
import { ErrorCode } from '../../common/error-codes';
import { ProductIdentifier, RecallRecord, RecordRejectedError } from '../domain/recall-record';
import { storableRecord } from '../domain/storable-record';
import { storedTimestamp } from '../domain/stored-timestamp';
import { buildSearchName, buildSearchText } from '../search/search-text';
import { detectFeedSource } from './detect-feed-source';
import { FeedSyntaxError, StreamedElement, streamJsonRecords } from './json-array-stream';
import { FeedSource, FEED_SOURCES } from './mappers/feed-mapper';
import { FEED_MAPPERS } from './mappers';
import { parseEuSafetyGateXml } from './mappers/eu-safety-gate.mapper';
import { RecallWriter, writeInHalves } from './recall-writer';

export interface RejectedRecord {
  position: number;
  recallId?: string;
  reason: string;
}

/**
 * What an import did with each record it read: read = inserted + updated + unchanged + rejected. A record counts
 * as what happened to the recall it became; the NHTSA rows of one campaign become one recall, and each of them
 * counts as that recall's outcome (three rows of a new campaign: inserted 3).
 */
export interface ImportSummary {
  source: FeedSource;
  read: number;
  inserted: number;
  updated: number;
  unchanged: number;
  rejected: RejectedRecord[];
}

/** The file or document cannot be imported at all (unreadable, unknown format, not JSON/XML). */
export class FeedUnreadableError extends DomainError {
  readonly code = ErrorCode.BAD_REQUEST;
}

/**
 * The import stopped on a failure that is not about any record (the database went away, the disk is full): the
 * batches in `committed` are stored, the rest is not; importing the same feed again completes it.
 */
export class ImportStoppedError extends DomainError {
  readonly code = ErrorCode.SERVICE_UNAVAILABLE;

  constructor(
    readonly committed: ImportSummary,
    readonly cause: unknown,
  ) {
    super(`the database failed during the import: ${(cause as Error)?.message ?? cause}`);
  }

  /** The counts committed, never the database's own error. */
  override get publicMessage(): string {
    const { inserted, updated, unchanged, rejected, read } = this.committed;
    return (
      `The database failed during the import; committed before the failure: inserted ${inserted}, updated ${updated}, ` +
      `unchanged ${unchanged}, rejected ${rejected.length} of ${read} read. Send the document again to complete it.`
    );
  }
}

/** A batch write failed for a reason that is not about its records (see writeInHalves). */
class WriteInfrastructureError extends Error {
  constructor(readonly cause: unknown) {
    super((cause as Error)?.message ?? String(cause));
  }
}

const HEAD_BYTES = 64 * 1024;
export const DEFAULT_BATCH_SIZE = 500;
const YIELD_EVERY = 100;

/**
 * Imports feed documents: detect the format, stream records, map each one (a bad record is rejected with its
 * position and reason; the others load), and upsert by recall_id in batches, each batch one transaction.
 * Unchanged records (same content hash, or older than what is stored) are left alone. A batch the database
 * refuses is written again in halves, down to single records, so only the records it cannot hold are rejected;
 * a failure that is not about records stops the import with ImportStoppedError.
 */
export class RecallImporter {
  private readonly writer: RecallWriter;

  constructor(
    private readonly dataSource: DataSource,
    private readonly batchSize = DEFAULT_BATCH_SIZE,
    dialect: SqlDialect = sqlDialectOf(dataSource),
  ) {
    this.writer = new RecallWriter(dialect);
  }

  async importFile(path: string, source?: FeedSource): Promise<ImportSummary> {
    const detected = source ?? detectFeedSource(await readHead(path));
    if (!detected) throw new FeedUnreadableError(`${path}: unknown feed format (use --source ${FEED_SOURCES.join('|')})`);
    if (detected === 'eu-safety-gate') {
      const { readFile } = await import('node:fs/promises');
      return this.importDocument(await readFile(path, 'utf8'), detected);
    }
    return this.importElements(detected, streamJsonRecords(createReadStream(path, { encoding: 'utf8', highWaterMark: 256 * 1024 })));
  }

  /** Imports a whole feed document held in memory (the admin endpoint, fetched feeds). */
  async importDocument(document: string, source?: FeedSource): Promise<ImportSummary> {
    const detected = source ?? detectFeedSource(document.slice(0, HEAD_BYTES));
    if (!detected) throw new FeedUnreadableError(`unknown feed format (expected one of ${FEED_SOURCES.join(', ')})`);
    if (detected === 'eu-safety-gate') {
      let notifications: unknown[];
      try {
        notifications = parseEuSafetyGateXml(document);
      } catch (error) {
        throw new FeedUnreadableError(`not a readable EU Safety Gate XML document: ${(error as Error).message}`);
      }
      return this.importElements(detected, fromArray(notifications.map((value, position) => ({ position, value }))));
    }
    return this.importElements(detected, streamJsonRecords(fromArray([document])));
  }

  async importElements(source: FeedSource, elements: AsyncIterable<StreamedElement>): Promise<ImportSummary> {
    const mapper = FEED_MAPPERS[source];
    const summary: ImportSummary = { source, read: 0, inserted: 0, updated: 0, unchanged: 0, rejected: [] };
    let batch: MappedRecord[] = [];
    const writes = new BatchWrites(this.writer.concurrentBatches);
    // Vocabulary words committed by this import's batches, so each batch sends only the words none of them had.
    const vocabulary = new Set<string>();
    const flush = (items: MappedRecord[]) =>
      writes.start(new Set(items.map((item) => item.record.recallId)), () => this.writeBatch(mergeSameRecall(items), summary, vocabulary));
    try {
      for await (const element of elements) {
        summary.read += 1;
        // Mapping is synchronous work: let the database driver's replies in now and then, so writes proceed.
        if (summary.read % YIELD_EVERY === 0) await new Promise((resolve) => setImmediate(resolve));
        if ('error' in element) {
          summary.rejected.push({ position: element.position, reason: element.error });
          continue;
        }
        let mapped: MappedRecord;
        try {
          mapped = mappedRecord(storableRecord(mapper.map(element.value)), element.text, element.position);
        } catch (error) {
          if (!(error instanceof RecordRejectedError)) throw error;
          summary.rejected.push({ position: element.position, recallId: idHint(element.value), reason: error.message });
          continue;
        }
        // A full batch is written when the next record is another recall: rows of one recall (an NHTSA campaign
        // listed model by model) stay in one batch and become one recall.
        if (batch.length >= this.batchSize && mapped.record.recallId !== batch[batch.length - 1].record.recallId) {
          await flush(batch);
          batch = [];
        }
        batch.push(mapped);
      }
      if (batch.length > 0) await flush(batch);
      await writes.finish();
    } catch (error) {
      await writes.settle(); // never leave a write running behind a failure
      if (error instanceof FeedSyntaxError) throw new FeedUnreadableError(error.message);
      if (error instanceof WriteInfrastructureError) throw new ImportStoppedError(sortedRejections(summary), error.cause);
      throw error;
    }
    return sortedRejections(summary);
  }

  /**
   * Writes merged records in one transaction and counts them once it has committed. A write another importer got
   * in the way of is tried again; one the database refuses for some record's values is split in halves, down to
   * the single records it cannot hold, which are rejected.
   */
  private async writeBatch(records: MappedRecord[], summary: ImportSummary, vocabulary: Set<string>): Promise<void> {
    try {
      await writeInHalves(
        records,
        async (batch) => {
          const outcome = await this.writeRecords([...batch], vocabulary);
          summary.inserted += outcome.inserted;
          summary.updated += outcome.updated;
          summary.unchanged += outcome.unchanged;
          for (const word of outcome.words) vocabulary.add(word);
        },
        ({ record, positions }, failure) => {
          const reason = `the database refused the record: ${failure.message}`;
          for (const position of positions) summary.rejected.push({ position, recallId: record.recallId, reason });
        },
      );
    } catch (error) {
      throw new WriteInfrastructureError(error);
    }
  }

  private async writeRecords(records: MappedRecord[], vocabulary: ReadonlySet<string>): Promise<BatchOutcome> {
    const now = new Date().toISOString();
    return this.writer.transaction(this.dataSource, async (session) => {
      const outcome: BatchOutcome = { inserted: 0, updated: 0, unchanged: 0, words: [] };
      await this.writer.beginBatch(session);
      const stored = new Map((await this.writer.findExisting(session, records.map(({ record }) => record.recallId))).map((row) => [row.recall_id, row]));
      const inserts: Array<{ row: RecallRow; record: RecallFields }> = [];
      const updated: number[] = [];
      const updatedIdentifiers: IdentifierRow[] = [];
      const writtenSearchTexts: string[] = [];
      // In recall id order: concurrent importers of overlapping feeds then lock rows and keys in the same order.
      for (const mapped of records.length > 1 ? [...records].sort(byRecallId) : records) {
        const { record } = mapped;
        const contentHash = contentHashOf(mapped);
        const existing = stored.get(record.recallId);
        if (existing && (existing.content_hash === contentHash || isOlder(record.lastUpdated, existing.last_updated))) {
          outcome.unchanged += mapped.positions.length;
          continue;
        }
        const row = toRow(record, contentHash, storedSourceOf(mapped));
        writtenSearchTexts.push(row.search_text!);
        if (!existing) {
          inserts.push({ row, record });
          outcome.inserted += mapped.positions.length;
          continue;
        }
        await this.writer.update(session, existing, row, now);
        updated.push(existing.id);
        updatedIdentifiers.push(...identifierRows(existing.id, record));
        outcome.updated += mapped.positions.length;
      }
      outcome.words = await this.writer.insertVocabulary(session, writtenSearchTexts, vocabulary);
      await this.writer.deleteIdentifiers(session, updated);
      const ids = new Map((inserts.length ? await this.writer.insert(session, inserts.map((insert) => insert.row)) : []).map((row) => [row.recall_id, row.id]));
      await this.writer.insertIdentifiers(session, [
        ...updatedIdentifiers,
        ...inserts.flatMap((insert) => identifierRows(ids.get(insert.record.recallId)!, insert.record)),
      ]);
      return outcome;
    });
  }
}

interface BatchOutcome {
  inserted: number;
  updated: number;
  unchanged: number;
  /** Vocabulary words the batch added. */
  words: string[];
}

const byRecallId = (a: MappedRecord, b: MappedRecord) => (a.record.recallId < b.record.recallId ? -1 : a.record.recallId > b.record.recallId ? 1 : 0);

/** Rejections in feed order (those the database refused are found after the others). */
function sortedRejections(summary: ImportSummary): ImportSummary {
  summary.rejected.sort((a, b) => a.position - b.position);
  return summary;
}

/**
 * Batch writes in flight while the next batch is read and mapped: up to `limit` at once (each its own
 * transaction), and never two batches that share a recall id, so concurrent transactions cannot collide.
 * The first failure is kept until start() or finish() reports it (a write removes itself when it settles).
 */
class BatchWrites {
  private readonly running = new Map<Promise<void>, ReadonlySet<string>>();
  private failure?: { error: unknown };

  constructor(private readonly limit: number) {}

  async start(recallIds: ReadonlySet<string>, write: () => Promise<void>): Promise<void> {
    const overlaps = () => [...this.running.values()].some((ids) => [...recallIds].some((id) => ids.has(id)));
    while (!this.failure && (this.running.size >= this.limit || overlaps())) await Promise.race(this.running.keys());
    this.throwFailure();
    const running: Promise<void> = write()
      .catch((error: unknown) => {
        this.failure ??= { error };
      })
      .finally(() => this.running.delete(running));
    this.running.set(running, recallIds);
  }

  /** Waits for every write; the first failure is rethrown. */
  async finish(): Promise<void> {
    await Promise.all(this.running.keys());
    this.throwFailure();
  }

  /** Waits for every write, ignoring failures (a failure is already on its way up). */
  async settle(): Promise<void> {
    await Promise.all(this.running.keys());
  }

  private throwFailure(): void {
    if (this.failure) throw this.failure.error;
  }
}

function identifierRows(recallPk: number, record: RecallFields): IdentifierRow[] {
  return record.identifiers.map((identifier, position) => ({
    recall_pk: recallPk,
    kind: identifier.kind,
    value: identifier.value,
    normalized: identifier.normalized,
    position,
    recall_date: record.recallDate,
  }));
}

/**
 * The row an import stores for one mapped record, and its identifiers: for writers of recalls that are not feed
 * imports (db:transfer), so their rows and content hashes are the importers'.
 */
export function recallRowFor(record: RecallRecord): { row: RecallRow; identifiers: ProductIdentifier[] } {
  const mapped = mappedRecord(record, undefined, 0);
  return { row: toRow(mapped.record, contentHashOf(mapped), storedSourceOf(mapped)), identifiers: mapped.record.identifiers };
}

/** A recall as mapped, without the parsed feed object (dropped once hashed: batches hold text, not object graphs). */
type RecallFields = Omit<RecallRecord, 'source'>;

interface MappedRecord {
  record: RecallFields;
  /** Where in the feed the recall's elements are (several for the NHTSA rows of one campaign). */
  positions: number[];
  /** The feed's text of each element the recall came from (several for the NHTSA rows of one campaign). */
  sourceTexts: string[];
  /** A hash of each element as parsed, so a change of formatting alone is no change. */
  sourceHashes: string[];
}

function mappedRecord(record: RecallRecord, text: string | undefined, position: number): MappedRecord {
  const { source, ...fields } = record;
  const parsed = JSON.stringify(source);
  return { record: fields, positions: [position], sourceTexts: [text ?? parsed], sourceHashes: [sha256(parsed)] };
}

/**
 * Changes when the feed's record or what we derive from it changes (a new mapping also updates the row), not
 * when only the document's formatting does: the parsed elements are hashed, not their text.
 */
function contentHashOf(mapped: MappedRecord): string {
  return sha256(`${JSON.stringify(mapped.record)}\n${mapped.sourceHashes.join(',')}`);
}

/** The record as received: the element's text, or a JSON array of the elements of a merged recall. */
function storedSourceOf(mapped: MappedRecord): string {
  return mapped.sourceTexts.length === 1 ? mapped.sourceTexts[0] : `[${mapped.sourceTexts.join(',')}]`;
}

function sha256(text: string): string {
  return hash('sha256', text, 'hex');
}

/** Rows of one recall that a feed lists several times (NHTSA: one row per vehicle model) become one recall. */
function mergeSameRecall(items: MappedRecord[]): MappedRecord[] {
  const merged = new Map<string, MappedRecord>();
  for (const item of items) {
    const { record } = item;
    const earlier = merged.get(record.recallId);
    if (!earlier) {
      merged.set(record.recallId, item);
      continue;
    }
    const names = new Set([earlier.record.productName, record.productName].filter(Boolean));
    const identifiers = new Map(
      [...earlier.record.identifiers, ...record.identifiers].map((identifier) => [`${identifier.kind}:${identifier.normalized}`, identifier]),
    );
    merged.set(record.recallId, {
      record: { ...earlier.record, productName: [...names].join('; ') || undefined, identifiers: [...identifiers.values()] },
      positions: [...earlier.positions, ...item.positions],
      sourceTexts: [...earlier.sourceTexts, ...item.sourceTexts],
      sourceHashes: [...earlier.sourceHashes, ...item.sourceHashes],
    });
  }
  return [...merged.values()];
}

function toRow(record: RecallFields, contentHash: string, source: string): RecallRow {
  const modelNumbers = record.identifiers.filter((identifier) => identifier.kind === 'model_number');
  const searchable = {
    ...record,
    modelNumbers: modelNumbers.flatMap((identifier) => [identifier.value, identifier.normalized.toLowerCase()]),
  };
  const searchName = buildSearchName(searchable);
  return {
    recall_id: record.recallId,
    agency_code: record.agencyCode,
    title: record.title,
    product_name: record.productName ?? null,
    brand: record.brand ?? null,
    manufacturer: record.manufacturer ?? null,
    description: record.description ?? null,
    hazard: record.hazard ?? null,
    hazard_category: record.hazardCategory ?? null,
    remedy: record.remedy ?? null,
    recall_reason: record.recallReason ?? null,
    recall_date: record.recallDate,
    last_updated: record.lastUpdated ? new Date(record.lastUpdated).toISOString() : null,
    country: record.country ?? null,
    affected_countries: record.affectedCountries?.length ? JSON.stringify(record.affectedCountries) : null,
    severity: record.severity,
    risk_category: record.riskCategory,
    status: record.status ?? null,
    url: record.url ?? null,
    image_url: record.imageUrl ?? null,
    units_affected: record.unitsAffected ?? null,
    search_name: searchName,
    search_text: buildSearchText(searchable, searchName),
    content_hash: contentHash,
    source,
  };
}

/** True when the incoming record is older than the stored one (a stale feed must not roll data back). */
function isOlder(incoming: string | undefined, stored: unknown): boolean {
  if (!incoming || !stored) return false;
  return Date.parse(incoming) < storedTimestamp(stored).getTime();
}

function idHint(raw: unknown): string | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const record = raw as Record<string, unknown>;
  const value = record.RecallNumber ?? record.recall_number ?? record.NHTSACampaignNumber ?? record.NID ?? record.caseNumber;
  return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
}

async function readHead(path: string): Promise<string> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    throw new FeedUnreadableError(`${path}: cannot read the file (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  try {
    const buffer = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, HEAD_BYTES, 0);
    return buffer.subarray(0, bytesRead).toString('utf8');
  } finally {
    await handle.close();
  }
}

async function* fromArray<T>(items: T[]): AsyncGenerator<T> {
  yield* items;
}
