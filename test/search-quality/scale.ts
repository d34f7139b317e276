import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { startService, stop, StartedService } from '../../bench/run';
import { benchDatabaseSettings, openBenchDataSource, tableCounts } from '../../bench/seed';
import { RecallImporter } from '../../src/recalls/import/recall-importer';
import { importRealRecalls } from './real-recalls';
import { QualityRun } from './quality-result';
import { httpTransport, printSetResult, querySets, runQueries, setResult } from './search-quality';

const ROOT = join(__dirname, '..', '..');

/**
 * `npm run search:quality -- --scale`: the quality sets against the seeded PostgreSQL database named by
 * DATABASE_URL (its name must contain "bench" or "test"), through the service over real HTTP on loopback, one
 * client. Applies pending migrations and imports the real recalls first (unchanged on a re-run); every query
 * runs once unmeasured before the measured pass. `--built` runs dist/src/main.js (after `npm run build`) instead
 * of the sources through ts-node.
 */
export async function runAtScale(options: { heldOut: boolean; built: boolean; log?: (line: string) => void }): Promise<QualityRun> {
  const log = options.log ?? ((line: string) => console.log(line));
  const databaseUrl = process.env.DATABASE_URL;
  const settings = benchDatabaseSettings(databaseUrl);
  const databaseName = settings.target.type === 'postgres' ? settings.target.database : '';

  const dataSource = await openBenchDataSource(databaseUrl);
  let counts;
  try {
    const imported = await importRealRecalls(new RecallImporter(dataSource));
    log(
      `Real recalls: ${imported.files} files, ${imported.read} records read, ${imported.inserted} inserted, ` +
        `${imported.updated} updated, ${imported.unchanged} unchanged, ${imported.rejected} rejected`,
    );
    if (imported.inserted + imported.updated > 0) await dataSource.query('ANALYZE recalls; ANALYZE recall_identifiers');
    counts = await tableCounts(dataSource);
  } finally {
    await dataSource.destroy();
  }
  log(`Database ${databaseName}: ${counts.recalls.toLocaleString('en-US')} recalls`);

  if (options.built) {
    log('Building the service (npm run build)…');
    if (spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' }).status !== 0) throw new Error('npm run build failed');
  }
  let service: StartedService | undefined;
  const run: QualityRun = {
    mode: 'scale',
    database: { name: databaseName, type: 'postgres', recalls: counts.recalls },
    service: options.built ? 'node dist/src/main.js (production settings)' : 'ts-node src/main.ts (production settings)',
    sets: [],
  };
  try {
    service = await startService(databaseUrl!, undefined, options.built ? 'built' : 'sources');
    log(`Service ready in ${Math.round(service.timeToReadyMs)} ms on port ${service.port}`);
    const search = httpTransport(`http://127.0.0.1:${service.port}`);
    const sets = querySets(options.heldOut);
    const started = performance.now();
    for (const set of sets) await runQueries(set.queries, search);
    log(`Warm-up: every query once, unmeasured (${((performance.now() - started) / 1000).toFixed(1)} s)\n`);
    for (const set of sets) {
      const result = setResult(set.name, set.heldOut, await runQueries(set.queries, search));
      printSetResult(`PostgreSQL ${databaseName}`, result, log);
      run.sets.push(result);
    }
  } finally {
    if (service && service.process.exitCode !== null) log(`Service output (last lines):\n${service.output.slice(-20).join('\n')}`);
    await stop(service);
  }
  return run;
}
