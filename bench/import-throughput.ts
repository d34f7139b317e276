import 'reflect-metadata';
import { spawn } from 'node:child_process';
import { closeSync, createWriteStream, fsyncSync, mkdirSync, mkdtempSync, openSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createInterface } from 'node:readline';
import { once } from 'node:events';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from '../src/database/data-source-options';
import { RecallImporter } from '../src/recalls/import/recall-importer';
import { benchDatabaseSettings, positiveInteger, settleWrites } from './seed';
import { cpscRecord } from './synthetic-recalls';

/**
 * Import throughput: a CPSC-format JSON file of synthetic recalls (bench/results/cpsc-<n>.json, gitignored) is
 * imported with RecallImporter.importFile into a new, empty database, then imported again (all unchanged).
 * The database (babyshield_bench_import_test) is created through the server of DATABASE_URL and dropped at the end.
 * This is repeated (--repeats, each time into a new database) and the median pass is reported with every run's
 * figure: on a shared 2-core machine one pass can be a fifth slower than the next with nothing changed.
 * The process runs with the V8 flags of `npm run recalls:import` (package.json), so it imports as that does.
 *
 *   npm run bench:import -- [--rows 100000] [--seed 1] [--batch 500] [--repeats 3]
 */

export const IMPORT_DATABASE = 'babyshield_bench_import_test';

export interface ImportPass {
  seconds: number;
  recordsPerSecond: number;
  inserted: number;
  updated: number;
  unchanged: number;
  rejected: number;
}

export interface ImportThroughputResult {
  records: number;
  seed: number;
  batchSize: number;
  file: string;
  fileBytes: number;
  generateSeconds: number;
  /** The median passes (by time) over the runs. */
  firstImport: ImportPass;
  reimport: ImportPass;
  runs: Array<{ firstImport: ImportPass; reimport: ImportPass }>;
}

/** Writes the file as the CPSC API serves it: one JSON array. */
export async function writeCpscFile(path: string, records: number, seed: number): Promise<void> {
  const out = createWriteStream(path, { encoding: 'utf8' });
  const write = async (text: string) => {
    if (!out.write(text)) await once(out, 'drain');
  };
  await write('[\n');
  for (let index = 0; index < records; index += 1) {
    await write(`${index === 0 ? '' : ',\n'}${JSON.stringify(cpscRecord(seed, index))}`);
  }
  await write('\n]\n');
  out.end();
  await once(out, 'finish');
  // On disk before the clock starts: the import is timed, not the kernel flushing the generator's output.
  const handle = openSync(path, 'r');
  fsyncSync(handle);
  closeSync(handle);
}

/** The same server as `databaseUrl`, another database name. */
function withDatabase(databaseUrl: string, database: string): string {
  const url = new URL(databaseUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

async function admin<T>(databaseUrl: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: withDatabase(databaseUrl, 'postgres') });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function timedImport(importer: RecallImporter, file: string, records: number): Promise<ImportPass> {
  const started = process.hrtime.bigint();
  const summary = await importer.importFile(file, 'cpsc');
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return {
    seconds,
    recordsPerSecond: records / seconds,
    inserted: summary.inserted,
    updated: summary.updated,
    unchanged: summary.unchanged,
    rejected: summary.rejected.length,
  };
}

export async function measureImportThroughput(options: {
  databaseUrl: string | undefined;
  records: number;
  seed: number;
  batchSize?: number;
  repeats?: number;
  log?: (line: string) => void;
}): Promise<ImportThroughputResult> {
  const log = options.log ?? ((line: string) => console.log(line));
  if (!options.databaseUrl) throw new Error('DATABASE_URL is not set');
  const batchSize = options.batchSize ?? 500;
  const importUrl = withDatabase(options.databaseUrl, IMPORT_DATABASE);

  mkdirSync(join(__dirname, 'results'), { recursive: true });
  const file = join(__dirname, 'results', `cpsc-${options.records >= 1000 && options.records % 1000 === 0 ? `${options.records / 1000}k` : options.records}.json`);
  const generateStarted = process.hrtime.bigint();
  await writeCpscFile(file, options.records, options.seed);
  const generateSeconds = Number(process.hrtime.bigint() - generateStarted) / 1e9;
  const fileBytes = statSync(file).size;
  log(`  wrote ${file} (${(fileBytes / 1_048_576).toFixed(1)} MB) in ${generateSeconds.toFixed(1)} s`);

  const runs: ImportThroughputResult['runs'] = [];
  for (let run = 1; run <= (options.repeats ?? 1); run += 1) {
    runs.push(await importTwice(importUrl, options.databaseUrl, file, options.records, batchSize, log));
    const { firstImport, reimport } = runs[runs.length - 1];
    log(`  run ${run}: first import ${firstImport.seconds.toFixed(1)} s, ${Math.round(firstImport.recordsPerSecond)} records/s, ${firstImport.inserted} inserted; ` +
      `re-import ${reimport.seconds.toFixed(1)} s, ${Math.round(reimport.recordsPerSecond)} records/s, ${reimport.unchanged} unchanged`);
  }
  const firstImport = median(runs.map((run) => run.firstImport));
  const reimport = median(runs.map((run) => run.reimport));
  if (runs.length > 1) {
    log(`  median: first import ${Math.round(firstImport.recordsPerSecond)} records/s, re-import ${Math.round(reimport.recordsPerSecond)} records/s`);
  }
  // Recorded relative to the repository: a result file names no machine's directories.
  return { records: options.records, seed: options.seed, batchSize, file: relative(join(__dirname, '..'), file), fileBytes, generateSeconds, firstImport, reimport, runs };
}

/** The middle pass by time (the slower of the two middle ones for an even count). */
function median(passes: ImportPass[]): ImportPass {
  const sorted = [...passes].sort((a, b) => a.seconds - b.seconds);
  return sorted[Math.floor(sorted.length / 2)];
}

/** One first import into a new, empty database, then the re-import; the database is dropped afterwards. */
async function importTwice(importUrl: string, serverUrl: string, file: string, records: number, batchSize: number, log: (line: string) => void) {
  await admin(serverUrl, async (client) => {
    await client.query(`DROP DATABASE IF EXISTS ${IMPORT_DATABASE} WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${IMPORT_DATABASE}`);
  });
  try {
    const dataSource = new DataSource(buildDataSourceOptions(benchDatabaseSettings(importUrl)));
    await dataSource.initialize();
    try {
      await dataSource.runMigrations({ transaction: 'each' });
      const importer = new RecallImporter(dataSource, batchSize);
      // Each pass starts without the previous one's writes pending (a run must not pay for the one before).
      await settleWrites(dataSource, log);
      const firstImport = await timedImport(importer, file, records);
      await settleWrites(dataSource, log);
      const reimport = await timedImport(importer, file, records);
      return { firstImport, reimport };
    } finally {
      await dataSource.destroy();
    }
  } finally {
    await admin(serverUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${IMPORT_DATABASE} WITH (FORCE)`));
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { rows: { type: 'string' }, seed: { type: 'string' }, batch: { type: 'string' }, repeats: { type: 'string' }, json: { type: 'string' } },
  });
  const records = positiveInteger(values.rows, 'rows', 100_000);
  console.log(`Import throughput: ${records} CPSC-format recalls into an empty ${IMPORT_DATABASE}`);
  const result = await measureImportThroughput({
    databaseUrl: process.env.DATABASE_URL,
    records,
    seed: positiveInteger(values.seed, 'seed', 1),
    batchSize: positiveInteger(values.batch, 'batch', 500),
    repeats: positiveInteger(values.repeats, 'repeats', 3),
  });
  if (values.json) writeFileSync(values.json, JSON.stringify(result));
}

/**
 * The same measurement in a process of its own, started as `npm run bench:import` starts it: an import runs as
 * a fresh process with the import script's V8 flags, not inside a load generator that has been busy for minutes.
 */
export async function measureImportThroughputInProcess(options: {
  databaseUrl: string | undefined;
  records: number;
  seed: number;
  repeats: number;
  log: (line: string) => void;
}): Promise<ImportThroughputResult> {
  if (!options.databaseUrl) throw new Error('DATABASE_URL is not set');
  const jsonPath = join(mkdtempSync(join(tmpdir(), 'babyshield-import-bench-')), 'result.json');
  const args = ['run', '--silent', 'bench:import', '--', '--rows', String(options.records), '--seed', String(options.seed), '--repeats', String(options.repeats), '--json', jsonPath];
  const child = spawn('npm', args, { cwd: join(__dirname, '..'), env: { ...process.env, DATABASE_URL: options.databaseUrl }, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => {
      output.push(line);
      if (!line.startsWith('Import throughput:')) options.log(line);
    });
  }
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`bench:import exited with ${code}: ${output.slice(-5).join(' | ')}`);
  return JSON.parse(readFileSync(jsonPath, 'utf8')) as ImportThroughputResult;
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(`bench:import failed: ${(error as Error).message ?? error}`);
    process.exit(1);
  });
}
