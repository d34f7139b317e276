import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { DataSource, EntityManager } from 'typeorm';
import { RecallEntity } from '../domain/recall.entity';
import { RecallIdentifierEntity } from '../domain/recall-identifier.entity';
import { ProductIdentifier, RecallRecord, RecordRejectedError } from '../domain/recall-record';
import { buildSearchName, buildSearchText } from '../search/search-text';
import { detectFeedSource } from './detect-feed-source';
import { FeedSyntaxError, StreamedElement, streamJsonRecords } from './json-array-stream';
import { FeedSource, FEED_SOURCES } from './mappers/feed-mapper';
import { FEED_MAPPERS } from './mappers';
import { parseEuSafetyGateXml } from './mappers/eu-safety-gate.mapper';

export interface RejectedRecord {
  position: number;
  recallId?: string;
  reason: string;
}

export interface ImportSummary {
  source: FeedSource;
  read: number;
  inserted: number;
  updated: number;
  unchanged: number;
  rejected: RejectedRecord[];
}

/** The file or document cannot be imported at all (unreadable, unknown format, not JSON/XML). */
export class FeedUnreadableError extends Error {}

const HEAD_BYTES = 64 * 1024;
export const DEFAULT_BATCH_SIZE = 500;

/**
 * Imports feed documents: detect the format, stream records, map each one (a bad record is rejected with its
 * position and reason; the others load), and upsert by recall_id in batches, each batch one transaction.
 * Unchanged records (same content hash, or older than what is stored) are left alone.
 */
export class RecallImporter {
  constructor(
    private readonly dataSource: DataSource,
    private readonly batchSize = DEFAULT_BATCH_SIZE,
  ) {}

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
    let batch: Array<{ position: number; record: RecallRecord }> = [];
    try {
      for await (const element of elements) {
        summary.read += 1;
        if ('error' in element) {
          summary.rejected.push({ position: element.position, reason: element.error });
          continue;
        }
        try {
          batch.push({ position: element.position, record: mapper.map(element.value) });
        } catch (error) {
          if (!(error instanceof RecordRejectedError)) throw error;
          summary.rejected.push({ position: element.position, recallId: idHint(element.value), reason: error.message });
        }
        if (batch.length >= this.batchSize) {
          await this.writeBatch(batch, summary);
          batch = [];
        }
      }
    } catch (error) {
      if (error instanceof FeedSyntaxError) throw new FeedUnreadableError(error.message);
      throw error;
    }
    if (batch.length > 0) await this.writeBatch(batch, summary);
    return summary;
  }

  private async writeBatch(batch: Array<{ position: number; record: RecallRecord }>, summary: ImportSummary): Promise<void> {
    const records = mergeSameRecall(batch.map((item) => item.record));
    await this.dataSource.transaction(async (manager) => {
      const existing = new Map(
        (
          await manager
            .createQueryBuilder()
            .select(['r.id AS id', 'r.recall_id AS recall_id', 'r.content_hash AS content_hash', 'r.last_updated AS last_updated'])
            .from('recalls', 'r')
            .where('r.recall_id IN (:...ids)', { ids: records.map((record) => record.recallId) })
            .getRawMany<{ id: number; recall_id: string; content_hash: string; last_updated: unknown }>()
        ).map((row) => [row.recall_id, row]),
      );
      const inserts: Array<{ row: Partial<RecallEntity>; identifiers: ProductIdentifier[] }> = [];
      for (const record of records) {
        const row = toRow(record);
        const stored = existing.get(record.recallId);
        if (!stored) {
          inserts.push({ row, identifiers: record.identifiers });
        } else if (stored.content_hash === row.contentHash || isOlder(record.lastUpdated, stored.last_updated)) {
          summary.unchanged += 1;
        } else {
          await manager.update(RecallEntity, { id: stored.id }, { ...row, updatedAt: new Date() });
          await manager.delete(RecallIdentifierEntity, { recallPk: stored.id });
          await insertIdentifiers(manager, [{ id: stored.id, identifiers: record.identifiers }]);
          summary.updated += 1;
        }
      }
      if (inserts.length > 0) {
        await manager.createQueryBuilder().insert().into(RecallEntity).values(inserts.map((insert) => insert.row)).updateEntity(false).execute();
        const ids = new Map(
          (
            await manager
              .createQueryBuilder()
              .select(['r.id AS id', 'r.recall_id AS recall_id'])
              .from('recalls', 'r')
              .where('r.recall_id IN (:...ids)', { ids: inserts.map((insert) => insert.row.recallId) })
              .getRawMany<{ id: number; recall_id: string }>()
          ).map((row) => [row.recall_id, Number(row.id)]),
        );
        await insertIdentifiers(
          manager,
          inserts.map((insert) => ({ id: ids.get(insert.row.recallId!)!, identifiers: insert.identifiers })),
        );
        summary.inserted += inserts.length;
      }
    });
  }
}

async function insertIdentifiers(manager: EntityManager, rows: Array<{ id: number; identifiers: ProductIdentifier[] }>): Promise<void> {
  const values = rows.flatMap(({ id, identifiers }) =>
    identifiers.map((identifier) => ({ recallPk: id, kind: identifier.kind, value: identifier.value, normalized: identifier.normalized })),
  );
  for (let i = 0; i < values.length; i += 1000) {
    await manager.createQueryBuilder().insert().into(RecallIdentifierEntity).values(values.slice(i, i + 1000)).updateEntity(false).execute();
  }
}

/** Rows of one recall that a feed lists several times (NHTSA: one row per vehicle model) become one recall. */
function mergeSameRecall(records: RecallRecord[]): RecallRecord[] {
  const merged = new Map<string, RecallRecord>();
  for (const record of records) {
    const earlier = merged.get(record.recallId);
    if (!earlier) {
      merged.set(record.recallId, record);
      continue;
    }
    const names = new Set([earlier.productName, record.productName].filter(Boolean));
    const identifiers = new Map([...earlier.identifiers, ...record.identifiers].map((identifier) => [`${identifier.kind}:${identifier.normalized}`, identifier]));
    merged.set(record.recallId, {
      ...earlier,
      productName: [...names].join('; ') || undefined,
      identifiers: [...identifiers.values()],
      source: Array.isArray(earlier.source) ? [...earlier.source, record.source] : [earlier.source, record.source],
    });
  }
  return [...merged.values()];
}

function toRow(record: RecallRecord): Partial<RecallEntity> {
  const modelNumbers = record.identifiers.filter((identifier) => identifier.kind === 'model_number');
  const searchable = {
    ...record,
    modelNumbers: modelNumbers.flatMap((identifier) => [identifier.value, identifier.normalized.toLowerCase()]),
  };
  const contentHash = createHash('sha256').update(JSON.stringify(record)).digest('hex');
  return {
    recallId: record.recallId,
    agencyCode: record.agencyCode,
    title: record.title,
    productName: record.productName ?? null,
    brand: record.brand ?? null,
    manufacturer: record.manufacturer ?? null,
    description: record.description ?? null,
    hazard: record.hazard ?? null,
    hazardCategory: record.hazardCategory ?? null,
    remedy: record.remedy ?? null,
    recallReason: record.recallReason ?? null,
    recallDate: record.recallDate,
    lastUpdated: record.lastUpdated ? new Date(record.lastUpdated) : null,
    country: record.country ?? null,
    affectedCountries: record.affectedCountries?.length ? record.affectedCountries : null,
    severity: record.severity,
    riskCategory: record.riskCategory,
    status: record.status ?? null,
    url: record.url ?? null,
    imageUrl: record.imageUrl ?? null,
    unitsAffected: record.unitsAffected ?? null,
    searchName: buildSearchName(searchable),
    searchText: buildSearchText(searchable),
    contentHash,
    source: record.source as object,
  };
}

/** True when the incoming record is older than the stored one (a stale feed must not roll data back). */
function isOlder(incoming: string | undefined, stored: unknown): boolean {
  if (!incoming || !stored) return false;
  const storedTime = stored instanceof Date ? stored.getTime() : Date.parse(asUtc(String(stored)));
  return Date.parse(incoming) < storedTime;
}

/** SQLite returns datetimes without a zone; they were written as UTC. */
export function asUtc(value: string): string {
  return /[zZ]|[+-]\d\d:?\d\d$/.test(value) ? value : `${value.replace(' ', 'T')}Z`;
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
