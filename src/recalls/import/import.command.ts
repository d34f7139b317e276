import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DataSource } from 'typeorm';
import { ConfigValidationError } from '../../config/config-validation.error';
import { loadDatabaseConfiguration } from '../../config/configuration';
import { buildDataSourceOptions } from '../../database/data-source-options';
import { feedUrlForDisplay, fetchFeed, FeedFetchError } from './feed-fetcher';
import { FEED_SOURCES, FeedSource } from './mappers/feed-mapper';
import { FeedUnreadableError, ImportStoppedError, ImportSummary, RecallImporter } from './recall-importer';

const USAGE = `Usage:
  npm run recalls:import -- --file <path> [--file <path> ...] [--source ${FEED_SOURCES.join('|')}]
  npm run recalls:import -- --url <http(s) url> [--url ...] [--source ...] [--timeout-ms 60000] [--retries 3] [--max-bytes 209715200]
Without --source the format is detected from the file.
Exit codes:
  0  every file was imported (records the feed or the database could not hold are listed as rejected)
  1  bad arguments or settings, or a database with pending migrations
  2  a file or URL could not be read, or has an unknown format
  3  the database failed (unreachable, connection lost, disk full): the batches reported as committed are stored,
     and running the same import again completes it`;

const EXIT_UNREADABLE = 2;
const EXIT_DATABASE_FAILED = 3;

const MAX_LISTED_REJECTIONS = 50;

/** The import command: files or URLs through the same pipeline as the admin endpoint. */
async function main(argv: string[]): Promise<number> {
  let args;
  try {
    args = parseArgs({
      args: argv,
      options: {
        file: { type: 'string', multiple: true },
        url: { type: 'string', multiple: true },
        source: { type: 'string' },
        'timeout-ms': { type: 'string' },
        retries: { type: 'string' },
        'max-bytes': { type: 'string' },
        help: { type: 'boolean' },
      },
    }).values;
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return 1;
  }
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  const files = args.file ?? [];
  const urls = args.url ?? [];
  if (files.length + urls.length === 0) {
    console.error(`Give --file or --url.\n${USAGE}`);
    return 1;
  }
  if (args.source !== undefined && !(FEED_SOURCES as readonly string[]).includes(args.source)) {
    console.error(`--source must be one of ${FEED_SOURCES.join(', ')}`);
    return 1;
  }
  const source = args.source as FeedSource | undefined;
  const fetchOptions = {
    ...(args['timeout-ms'] ? { timeoutMs: Number(args['timeout-ms']) } : {}),
    ...(args.retries ? { retries: Number(args.retries) } : {}),
    ...(args['max-bytes'] ? { maxBytes: Number(args['max-bytes']) } : {}),
  };
  if (Object.values(fetchOptions).some((value) => !Number.isInteger(value) || value < 0)) {
    console.error('--timeout-ms, --retries and --max-bytes must be whole numbers');
    return 1;
  }

  if (existsSync('.env')) process.loadEnvFile('.env');
  let settings;
  try {
    settings = loadDatabaseConfiguration();
  } catch (error) {
    if (error instanceof ConfigValidationError) {
      console.error(error.message);
      return 1;
    }
    throw error;
  }
  const dataSource = new DataSource(buildDataSourceOptions(settings));
  try {
    await dataSource.initialize();
  } catch (error) {
    console.error(`Cannot connect to the database: ${(error as Error).message}`);
    return EXIT_DATABASE_FAILED;
  }
  try {
    if (await dataSource.showMigrations()) {
      console.error('The database has pending migrations: run `npm run migration:run` first.');
      return 1;
    }
    const importer = new RecallImporter(dataSource);
    let exitCode = 0;
    for (const file of files) {
      exitCode = Math.max(exitCode, await report(file, () => importer.importFile(file, source)));
      if (exitCode === EXIT_DATABASE_FAILED) return exitCode;
    }
    for (const url of urls) {
      exitCode = Math.max(exitCode, await report(feedUrlForDisplay(url), async () => {
        const feed = await fetchFeed(url, fetchOptions, (line) => console.log(`  ${line}`));
        console.log(`  downloaded ${feed.bytes} bytes in ${feed.attempts} attempt(s)`);
        try {
          return await importer.importFile(feed.path, source);
        } finally {
          await feed.dispose();
        }
      }));
      if (exitCode === EXIT_DATABASE_FAILED) return exitCode;
    }
    return exitCode;
  } finally {
    await dataSource.destroy().catch(() => undefined); // after a database failure the pool may be broken already
  }
}

async function report(name: string, run: () => Promise<ImportSummary>): Promise<number> {
  console.log(`${name}:`);
  const started = process.hrtime.bigint();
  try {
    const summary = await run();
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    console.log(`  ${counts(summary)} (${seconds.toFixed(2)} s, ${Math.round(summary.read / Math.max(seconds, 1e-9))} records/s)`);
    listRejections(summary);
    return 0;
  } catch (error) {
    if (error instanceof FeedUnreadableError || error instanceof FeedFetchError) {
      console.error(`  cannot import: ${error.message}`);
      return EXIT_UNREADABLE;
    }
    if (error instanceof ImportStoppedError) {
      console.error(`  import stopped, ${error.message}`);
      console.error(`  committed before the failure: ${counts(error.committed)}`);
      console.error('  the rest is not stored: run the same import again to complete it');
      listRejections(error.committed);
      return EXIT_DATABASE_FAILED;
    }
    throw error;
  }
}

function counts(summary: ImportSummary): string {
  return (
    `${summary.source}: read ${summary.read}, inserted ${summary.inserted}, updated ${summary.updated}, ` +
    `unchanged ${summary.unchanged}, rejected ${summary.rejected.length}`
  );
}

function listRejections(summary: ImportSummary): void {
  for (const rejection of summary.rejected.slice(0, MAX_LISTED_REJECTIONS)) {
    const recallId = rejection.recallId === undefined ? '' : ` (${printable(rejection.recallId)})`;
    console.log(`  rejected record #${rejection.position}${recallId}: ${rejection.reason}`);
  }
  if (summary.rejected.length > MAX_LISTED_REJECTIONS) console.log(`  ... and ${summary.rejected.length - MAX_LISTED_REJECTIONS} more rejected`);
}

/** An id as written in the feed, with control characters shown as escapes rather than sent to the terminal. */
function printable(text: string): string {
  return /[\0-\x1F\x7F]/.test(text) ? JSON.stringify(text).slice(1, -1) : text;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`Import failed: ${(error as Error)?.message ?? error}`);
    process.exit(EXIT_DATABASE_FAILED);
  },
);
