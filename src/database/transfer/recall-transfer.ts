import { DataSource } from 'typeorm';
import { ConfigValidationError } from '../../config/config-validation.error';
import { loadDatabaseConfiguration } from '../../config/configuration';
import { parseDatabaseUrl } from '../../config/database-url';
import { buildDataSourceOptions } from '../data-source-options';
import { MigrationCommandLogger } from '../migration-command-logger';
import { sqlDialectOf } from '../sql/sql-dialect';
import { LEGACY_TABLE } from './legacy-recall.mapper';
import { legacyRecalls, ourRecalls, RecallSource, TransferRejection } from './recall-sources';
import { describeContents, MIGRATION_NAMES, migrationVersionProblem, missingLegacyColumns } from './schema-version';
import { openTransferDatabase, TransferDatabase, TransferDatabaseError } from './transfer-database';
import { ProgressOutput, TransferProgress } from './transfer-progress';
import { describeVerification, verifyTransfer } from './transfer-verification';
import { TransferStoppedError, TransferWrites } from './transfer-writes';

export const TRANSFER_EXIT = {
  /** Transferred and verified (rows that cannot be mapped are listed, and count as handled). */
  ok: 0,
  /** Bad arguments or settings; a source or target on another migration version. */
  refused: 1,
  /** The source holds neither our tables nor the original service's recalls_enhanced. */
  unknownSource: 2,
  /** A database failed (cannot connect, connection lost, disk full): the batches committed are stored. */
  databaseFailed: 3,
  /** The verification found differences, or the target holds recalls the source does not have. */
  differences: 4,
} as const;

export interface TransferOptions {
  from: string;
  to: string;
  batchSize: number;
  /** Lines of the report. */
  log: (line: string) => void;
  /** The progress bar or lines. */
  progress: ProgressOutput;
  env?: NodeJS.ProcessEnv;
}

const SUMMARISE_REJECTIONS_FROM = 10;

/** Copies the recalls of `from` into `to` (see the README's "Moving from SQLite to PostgreSQL"); returns the exit code. */
export async function transferRecalls(options: TransferOptions): Promise<number> {
  const { log } = options;
  let source: TransferDatabase | undefined;
  let targetReader: TransferDatabase | undefined;
  let dataSource: DataSource | undefined;
  let writes: TransferWrites | undefined;
  try {
    const refusal = urlProblem(options.from, options.to);
    if (refusal) return refuse(log, refusal);
    source = await openTransferDatabase(options.from, '--from');
    const recalls = await recallSource(source);
    if ('refusal' in recalls) return fail(log, recalls.code, recalls.refusal);

    let settings;
    try {
      settings = loadDatabaseConfiguration(targetEnvironment(options.env ?? process.env, options.to));
    } catch (error) {
      if (error instanceof ConfigValidationError) return refuse(log, `--to: ${error.message}`);
      throw error;
    }
    dataSource = new DataSource({ ...buildDataSourceOptions(settings), logger: new MigrationCommandLogger(false), logging: ['error', 'migration'], maxQueryExecutionTime: undefined });
    try {
      await dataSource.initialize();
    } catch (error) {
      throw new TransferDatabaseError(`cannot connect to the target: ${(error as Error).message}`);
    }
    targetReader = await openTransferDatabase(options.to, '--to');
    const target = await describeContents(targetReader);
    if (target.ours) {
      const problem = migrationVersionProblem('target', targetReader.name, target.ours);
      if (problem) return refuse(log, problem);
    } else if (target.problem) {
      return refuse(log, `the target ${targetReader.name} is not a database of this service: ${target.problem}`);
    } else {
      // Empty, or holding only the original service's table (ours goes beside it).
      log(`The target ${targetReader.name} is empty: applying this version's ${MIGRATION_NAMES.length} migrations first.`);
      await dataSource.runMigrations({ transaction: 'each' });
    }

    const total = await recalls.rowCount();
    log(`Transferring ${total} ${recalls.kind === 'ours' ? 'recalls' : `rows of ${LEGACY_TABLE}`} from ${source.name} to ${targetReader.name} in batches of ${options.batchSize}`);
    const started = process.hrtime.bigint();
    const progress = new TransferProgress(total, options.progress);
    writes = new TransferWrites(dataSource, sqlDialectOf(dataSource));
    const mappingRejections: TransferRejection[] = [];
    let read = 0;
    let duplicates = 0;
    for await (const batch of recalls.batches(options.batchSize)) {
      read += batch.read;
      duplicates += batch.duplicates;
      mappingRejections.push(...batch.rejected);
      if (batch.items.length > 0) await writes.write(batch.items);
      progress.update(read);
    }
    await writes.finish();
    progress.finish();
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;

    const { counts } = writes;
    const rejected = [...mappingRejections, ...counts.rejected];
    log(
      `read ${read}, inserted ${counts.inserted}, updated ${counts.updated}, unchanged ${counts.unchanged}, rejected ${rejected.length}` +
        `${duplicates > 0 ? `, ${duplicates} row(s) sharing a recall id with another (one recall kept per id)` : ''}` +
        ` (${seconds.toFixed(1)} s, ${Math.round(read / Math.max(seconds, 1e-9))} records/s, peak RSS ${peakRssMb()} MB)`,
    );
    listRejections(log, rejected);

    log('Verifying: reading the source and the target again, recall by recall ...');
    const verifyStarted = process.hrtime.bigint();
    const verification = await verifyTransfer(recalls, targetReader, new Set(counts.rejected.map((rejection) => rejection.recallId!)), options.batchSize);
    const lines = describeVerification(verification, rejected.length);
    lines[lines.length - 1] += ` (${(Number(process.hrtime.bigint() - verifyStarted) / 1e9).toFixed(1)} s; peak RSS of the whole run ${peakRssMb()} MB)`;
    for (const line of lines) log(line);
    return verification.ok ? TRANSFER_EXIT.ok : TRANSFER_EXIT.differences;
  } catch (error) {
    await writes?.settle();
    if (error instanceof TransferDatabaseError) return fail(log, TRANSFER_EXIT.databaseFailed, error.message);
    if (error instanceof TransferStoppedError) {
      return fail(
        log,
        TRANSFER_EXIT.databaseFailed,
        `the transfer stopped, the target failed: ${error.message}\n` +
          `  committed before the failure: inserted ${writes!.counts.inserted}, updated ${writes!.counts.updated}, unchanged ${writes!.counts.unchanged}\n` +
          '  the rest is not stored: run the same command again to complete it',
      );
    }
    if (!isDatabaseError(error)) throw error;
    // A database that stopped answering mid-read (the source, or the target while it is verified).
    return fail(log, TRANSFER_EXIT.databaseFailed, `the transfer stopped, a database failed: ${(error as Error)?.message ?? error}; run the same command again to complete it`);
  } finally {
    await source?.close();
    await targetReader?.close();
    if (dataSource?.isInitialized) await dataSource.destroy().catch(() => undefined);
  }
}

/** Which reader the source needs, or why it cannot be transferred. */
async function recallSource(source: TransferDatabase): Promise<RecallSource | { refusal: string; code: number }> {
  const contents = await describeContents(source);
  const unknown = (refusal: string) => ({ refusal, code: TRANSFER_EXIT.unknownSource });
  // The original service's table first: where it sits beside ours (one PostgreSQL database), it is what to read.
  if (contents.legacyColumns) {
    const missing = missingLegacyColumns(contents.legacyColumns);
    if (missing.length > 0) return unknown(`${source.name}: ${LEGACY_TABLE} has no ${missing.join(', ')} column: it cannot be read as the original service's recalls`);
    return legacyRecalls(source, contents.legacyColumns);
  }
  if (contents.ours) {
    const problem = migrationVersionProblem('source', source.name, contents.ours);
    return problem ? { refusal: problem, code: TRANSFER_EXIT.refused } : ourRecalls(source);
  }
  return unknown(
    `${source.name} holds neither this service's recalls (recalls and migrations tables) nor the original service's ${LEGACY_TABLE}${contents.problem ? `: ${contents.problem}` : ''}`,
  );
}

/** The settings the target is written with: the environment's, with this URL, never test mode's database. */
function targetEnvironment(env: NodeJS.ProcessEnv, url: string): NodeJS.ProcessEnv {
  const production = (env.NODE_ENV ?? env.ENVIRONMENT) === 'production';
  const target: NodeJS.ProcessEnv = { ...env, NODE_ENV: production ? 'production' : 'development', DATABASE_URL: url, DB_RUN_MIGRATIONS: 'false' };
  delete target.ENVIRONMENT;
  delete target.TEST_MODE;
  delete target.TEST_DATABASE_URL;
  return target;
}

/** Both URLs parse (their problems said before any connection is tried). */
function urlProblem(from: string, to: string): string | undefined {
  try {
    parseDatabaseUrl(from, '--from');
    parseDatabaseUrl(to, '--to');
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

/** Every rejected row (a migration's log keeps them all), then how many for each reason when there are many. */
function listRejections(log: (line: string) => void, rejected: TransferRejection[]): void {
  for (const rejection of rejected) {
    const where = rejection.recallId !== undefined ? printable(rejection.recallId) : `row id ${rejection.rowId ?? '?'}`;
    log(`  rejected ${where}: ${rejection.reason}`);
  }
  if (rejected.length < SUMMARISE_REJECTIONS_FROM) return;
  const byReason = new Map<string, number>();
  for (const { reason } of rejected) {
    const kind = reason.replace(/"[^"]*"/g, '"..."');
    byReason.set(kind, (byReason.get(kind) ?? 0) + 1);
  }
  log(`  rejected by reason: ${[...byReason].sort((a, b) => b[1] - a[1]).map(([reason, count]) => `${count} ${reason}`).join('; ')}`);
}

function printable(text: string): string {
  return /[\0-\x1F\x7F]/.test(text) ? JSON.stringify(text).slice(1, -1) : text;
}

function isDatabaseError(error: unknown): boolean {
  const failure = error as { code?: unknown; driverError?: unknown; name?: unknown };
  return failure?.driverError !== undefined || typeof failure?.code === 'string' || failure?.name === 'QueryFailedError';
}

function peakRssMb(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

function refuse(log: (line: string) => void, message: string): number {
  return fail(log, TRANSFER_EXIT.refused, message);
}

function fail(log: (line: string) => void, code: number, message: string): number {
  log(`db:transfer: ${message}`);
  return code;
}
