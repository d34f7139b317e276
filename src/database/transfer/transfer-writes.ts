import { DataSource } from 'typeorm';
import { RecallWriter, writeInHalves } from '../../recalls/import/recall-writer';
import { SqlDialect } from '../sql/sql-dialect';
import { IdentifierRow } from '../tables/recall-identifiers.table';
import { TransferItem, TransferRejection } from './recall-sources';

/** What the writes did, counted when their batch has committed. */
export interface WriteCounts {
  inserted: number;
  updated: number;
  unchanged: number;
  rejected: TransferRejection[];
}

/** A write failed for a reason that is not about its recalls (connection lost, disk full): the transfer stops. */
export class TransferStoppedError extends Error {
  constructor(readonly cause: unknown) {
    super((cause as Error)?.message ?? String(cause));
    this.name = 'TransferStoppedError';
  }
}

/** Words the target's vocabulary is known to hold, kept so batches do not send them again; bounded. */
const MAX_KNOWN_WORDS = 500_000;

/**
 * Writes recalls into our schema through the importers' RecallWriter, each batch one transaction (so a killed
 * transfer leaves whole batches), as many at once as the writer takes. A recall whose stored content hash equals
 * the source's is left alone, so running the transfer again changes nothing and completes an interrupted one; a
 * differing one is rewritten from the source. A batch the database refuses for some recall's values is written
 * again in halves, down to the recalls it cannot hold, which are rejected with its reason.
 */
export class TransferWrites {
  readonly counts: WriteCounts = { inserted: 0, updated: 0, unchanged: 0, rejected: [] };
  private readonly writer: RecallWriter;
  private readonly knownWords = new Set<string>();
  private readonly running = new Set<Promise<void>>();
  private failure?: { error: unknown };

  constructor(
    private readonly dataSource: DataSource,
    dialect: SqlDialect,
  ) {
    this.writer = new RecallWriter(dialect);
  }

  /** Starts a batch's write; waits first while the writer's limit of batches is running. Batches never share a recall. */
  async write(items: TransferItem[]): Promise<void> {
    while (!this.failure && this.running.size >= this.writer.concurrentBatches) await Promise.race(this.running);
    this.throwFailure();
    const running: Promise<void> = this.writeBatch(items)
      .catch((error: unknown) => {
        this.failure ??= { error };
      })
      .finally(() => this.running.delete(running));
    this.running.add(running);
  }

  /** Waits for every write; the first failure is thrown as TransferStoppedError. */
  async finish(): Promise<void> {
    await Promise.all(this.running);
    this.throwFailure();
  }

  /** Waits for every write, ignoring failures (one is already on its way up). */
  async settle(): Promise<void> {
    await Promise.all(this.running);
  }

  private throwFailure(): void {
    if (this.failure) throw new TransferStoppedError(this.failure.error);
  }

  private async writeBatch(items: TransferItem[]): Promise<void> {
    await writeInHalves(
      items,
      async (batch) => {
        const outcome = await this.writeItems([...batch]);
        this.counts.inserted += outcome.inserted;
        this.counts.updated += outcome.updated;
        this.counts.unchanged += outcome.unchanged;
        if (this.knownWords.size > MAX_KNOWN_WORDS) this.knownWords.clear();
        for (const word of outcome.words) this.knownWords.add(word);
      },
      (item, failure) => this.counts.rejected.push({ recallId: item.row.recall_id, reason: `the database refused the recall: ${failure.message}` }),
    );
  }

  private async writeItems(items: TransferItem[]): Promise<{ inserted: number; updated: number; unchanged: number; words: string[] }> {
    const now = new Date().toISOString();
    return this.writer.transaction(this.dataSource, async (session) => {
      const outcome = { inserted: 0, updated: 0, unchanged: 0, words: [] as string[] };
      await this.writer.beginBatch(session);
      const stored = new Map((await this.writer.findExisting(session, items.map((item) => item.row.recall_id))).map((row) => [row.recall_id, row]));
      const inserts: TransferItem[] = [];
      const updated: number[] = [];
      const identifiers: IdentifierRow[] = [];
      const searchTexts: string[] = [];
      for (const item of items) {
        const existing = stored.get(item.row.recall_id);
        if (existing?.content_hash === item.row.content_hash) {
          outcome.unchanged += 1;
          continue;
        }
        searchTexts.push(item.row.search_text ?? '');
        if (!existing) {
          inserts.push(item);
          outcome.inserted += 1;
          continue;
        }
        await this.writer.update(session, existing, item.row, now);
        updated.push(existing.id);
        identifiers.push(...identifierRows(existing.id, item));
        outcome.updated += 1;
      }
      outcome.words = await this.writer.insertVocabulary(session, searchTexts, this.knownWords);
      await this.writer.deleteIdentifiers(session, updated);
      const ids = new Map((inserts.length > 0 ? await this.writer.insert(session, inserts.map((item) => item.row)) : []).map((row) => [row.recall_id, row.id]));
      for (const item of inserts) identifiers.push(...identifierRows(ids.get(item.row.recall_id)!, item));
      await this.writer.insertIdentifiers(session, identifiers);
      return outcome;
    });
  }
}

function identifierRows(recallPk: number, item: TransferItem): IdentifierRow[] {
  return item.identifiers.map((identifier) => ({ ...identifier, recall_pk: recallPk, recall_date: item.row.recall_date }));
}
