import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { DataSource } from 'typeorm';
import { DatabaseSettings, loadConfiguration } from '../src/config/configuration';
import { buildDataSourceOptions } from '../src/database/data-source-options';
import { ImportSummary, RecallImporter } from '../src/recalls/import/recall-importer';
import { agencyCounts, DEFAULT_VOCABULARY, NAMES_MODES, NamesMode, SyntheticAgency, syntheticElements, SyntheticVocabulary, vocabularyFor } from './synthetic-recalls';

/**
 * Fills the PostgreSQL database (or SQLite file) named by DATABASE_URL with synthetic recalls through the real import path
 * (RecallImporter.importElements), after applying pending migrations. Same --seed, --rows and --names: nothing new.
 * `--names distinct`: invented brands only, none equal to a real recall's brand or firm (see synthetic-recalls.ts);
 * its recall ids differ from the default mode's, so both can share a database without updating each other.
 *
 *   npm run bench:seed -- --rows 1000000 [--seed 1] [--batch 1000] [--names default|distinct]
 */

/**
 * Database settings for a URL, built the way the app builds them; refuses anything but a bench/test database
 * (PostgreSQL, or with `sqlite` a SQLite file whose name says so: a source for `db:transfer` runs).
 */
export function benchDatabaseSettings(databaseUrl: string | undefined, { sqlite = false } = {}): DatabaseSettings {
  if (!databaseUrl) throw new Error('DATABASE_URL is not set (e.g. postgresql://postgres@127.0.0.1:5432/babyshield_bench)');
  // Development settings with this URL only: never TEST_MODE's database, never production's secret checks.
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'development', DATABASE_URL: databaseUrl, DB_RUN_MIGRATIONS: 'false' };
  delete env.ENVIRONMENT;
  delete env.TEST_MODE;
  const settings = loadConfiguration(env).database;
  if (settings.target.type !== 'postgres' && !sqlite) throw new Error('the benchmark needs a PostgreSQL DATABASE_URL');
  const name = settings.target.type === 'postgres' ? settings.target.database : settings.target.path;
  if (!/bench|test/i.test(name)) {
    throw new Error(`refusing to use "${name}": benchmarks and quality runs write into it, so its name must contain "bench" or "test"`);
  }
  return settings;
}

/** A DataSource on the bench database with every migration applied. */
export async function openBenchDataSource(databaseUrl: string | undefined, options: { sqlite?: boolean } = {}): Promise<DataSource> {
  const dataSource = new DataSource(buildDataSourceOptions(benchDatabaseSettings(databaseUrl, options)));
  await dataSource.initialize();
  await dataSource.runMigrations({ transaction: 'each' });
  return dataSource;
}

export interface SeedResult {
  rows: number;
  seed: number;
  names: NamesMode;
  seconds: number;
  recordsPerSecond: number;
  summaries: Array<Omit<ImportSummary, 'rejected'> & { rejected: number }>;
}

/** Imports the synthetic recalls (70 % CPSC, 20 % openFDA, 10 % NHTSA) and reports progress every few seconds. */
export async function seedRecalls(
  dataSource: DataSource,
  options: { rows: number; seed: number; batchSize?: number; vocabulary?: SyntheticVocabulary; log?: (line: string) => void },
): Promise<SeedResult> {
  const vocabulary = options.vocabulary ?? DEFAULT_VOCABULARY;
  const log = options.log ?? ((line: string) => console.log(line));
  const importer = new RecallImporter(dataSource, options.batchSize ?? 1000);
  const counts = agencyCounts(options.rows);
  const started = process.hrtime.bigint();
  let produced = 0;
  let lastReport = Date.now();
  let producedAtLastReport = 0;
  const onRecord = () => {
    produced += 1;
    const now = Date.now();
    if (now - lastReport >= 5000) {
      const rate = ((produced - producedAtLastReport) * 1000) / (now - lastReport);
      log(`  ${produced.toLocaleString('en-US')} / ${options.rows.toLocaleString('en-US')} records, ${Math.round(rate)} records/s`);
      lastReport = now;
      producedAtLastReport = produced;
    }
  };
  const summaries: SeedResult['summaries'] = [];
  for (const agency of Object.keys(counts) as SyntheticAgency[]) {
    if (counts[agency] === 0) continue;
    const summary = await importer.importElements(agency, syntheticElements(agency, options.seed, counts[agency], onRecord, vocabulary));
    summaries.push({ ...summary, rejected: summary.rejected.length });
    if (summary.rejected.length > 0) {
      log(`  ${agency}: ${summary.rejected.length} records rejected, first: ${JSON.stringify(summary.rejected[0])}`);
    }
    log(`  ${agency}: read ${summary.read}, inserted ${summary.inserted}, updated ${summary.updated}, unchanged ${summary.unchanged}`);
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  // What autovacuum would do after a bulk load, done now so the benchmark meets a settled database. (The quality
  // run also seeds in-memory SQLite, which has neither.)
  if (dataSource.options.type === 'postgres') {
    for (const table of ['recalls', 'recall_identifiers', 'recall_words', 'search_vocabulary']) await dataSource.query(`VACUUM ANALYZE ${table}`);
    await settleWrites(dataSource, log);
  }
  return { rows: options.rows, seed: options.seed, names: vocabulary.mode, seconds, recordsPerSecond: options.rows / seconds, summaries };
}

export async function tableCounts(dataSource: DataSource): Promise<{ recalls: number; recallIdentifiers: number }> {
  const [row] = await dataSource.query(
    'SELECT CAST((SELECT count(*) FROM recalls) AS integer) AS recalls, CAST((SELECT count(*) FROM recall_identifiers) AS integer) AS identifiers',
  );
  return { recalls: row.recalls, recallIdentifiers: row.identifiers };
}

export function namesMode(value: string | undefined): NamesMode {
  if (value === undefined) return 'default';
  if (!(NAMES_MODES as readonly string[]).includes(value)) throw new Error(`--names must be one of ${NAMES_MODES.join(', ')}, got "${value}"`);
  return value as NamesMode;
}

export function positiveInteger(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const parsed = Number(value.replace(/_/g, ''));
  if (!Number.isInteger(parsed) || parsed < 0) throw new Error(`--${name} must be a whole number, got "${value}"`);
  return parsed;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { rows: { type: 'string' }, seed: { type: 'string' }, batch: { type: 'string' }, names: { type: 'string' } },
  });
  const vocabulary = await vocabularyFor(namesMode(values.names));
  const rows = positiveInteger(values.rows, 'rows', 100_000);
  const seed = positiveInteger(values.seed, 'seed', 1);
  const batchSize = positiveInteger(values.batch, 'batch', 1000);
  const dataSource = await openBenchDataSource(process.env.DATABASE_URL, { sqlite: true });
  try {
    console.log(
      `Seeding ${rows.toLocaleString('en-US')} synthetic recalls (seed ${seed}, names ${vocabulary.mode}` +
        `${vocabulary.mode === 'distinct' ? `: ${vocabulary.brands.length} invented brands` : ''}, batches of ${batchSize})`,
    );
    const result = await seedRecalls(dataSource, { rows, seed, batchSize, vocabulary });
    const counts = await tableCounts(dataSource);
    const inserted = result.summaries.reduce((sum, summary) => sum + summary.inserted, 0);
    console.log(
      `Done in ${result.seconds.toFixed(1)} s: ${Math.round(result.recordsPerSecond)} records/s, ${inserted} inserted; ` +
        `the database holds ${counts.recalls} recalls and ${counts.recallIdentifiers} identifiers`,
    );
  } finally {
    await dataSource.destroy();
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(`bench:seed failed: ${(error as Error).message ?? error}`);
    process.exit(1);
  });
}

/**
 * Writes out what a bulk load left dirty (CHECKPOINT), so the next measurement does not run beside the spread
 * checkpoint of that load. Needs superuser or pg_checkpoint; without them the measurement just runs as it is.
 */
export async function settleWrites(runner: { query(sql: string): Promise<unknown> }, log: (line: string) => void): Promise<void> {
  try {
    await runner.query('CHECKPOINT');
  } catch (error) {
    log(`  (no CHECKPOINT: ${(error as Error).message}; the next measurement may run beside pending writes)`);
  }
}
