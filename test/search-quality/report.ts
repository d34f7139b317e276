// `npm run search:quality`: recall@1, recall@5 and client-measured latency of the quality query sets, per set and
// per kind.
//
//   npm run search:quality [-- --rows 3000] [--held-out]
//     In-memory SQLite, and PostgreSQL when TEST_DATABASE_URL names a PostgreSQL test database (emptied first):
//     the real recalls (data/samples and test/search-quality/corpus), after --rows distinct-mode synthetic recalls
//     when given; the application in this process. Also prints how often both databases put the same recall
//     first. Exit code 1 unless every queries.json query has its recall in the top 5 on every database.
//   DATABASE_URL=postgresql://.../babyshield_bench_distinct npm run search:quality -- --scale [--held-out] [--built]
//     The seeded database, through the service over HTTP (see scale.ts). Exit code 1 only when the run fails.
//
// Held-out queries run only with --held-out, and are reported as figures and counts, never query by query.
import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { DataSource } from 'typeorm';
import { positiveInteger, seedRecalls } from '../../bench/seed';
import { vocabularyFor } from '../../bench/synthetic-recalls';
import { RecallImporter } from '../../src/recalls/import/recall-importer';
import { startTestApp } from '../support/test-app';
import { QualityRun, writeQualityResult } from './quality-result';
import { importRealRecalls } from './real-recalls';
import { runAtScale } from './scale';
import { injectTransport, printSetResult, querySets, QueryOutcome, runQueries, setResult } from './search-quality';

interface SmallRun {
  run: QualityRun;
  oldOutcomes: QueryOutcome[];
  /** Every set's outcomes, in querySets order. */
  outcomes: QueryOutcome[][];
}

async function measureSmall(label: string, env: Record<string, string | undefined>, options: { rows: number; heldOut: boolean }): Promise<SmallRun> {
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  const app = await startTestApp();
  try {
    const dataSource = app.get(DataSource);
    if (options.rows > 0) {
      const seeded = await seedRecalls(dataSource, { rows: options.rows, seed: 1, vocabulary: await vocabularyFor('distinct'), log: () => undefined });
      console.log(`${label}: seeded ${options.rows} distinct-mode synthetic recalls in ${seeded.seconds.toFixed(1)} s`);
    }
    await importRealRecalls(app.get(RecallImporter));
    const [{ recalls }] = await dataSource.query('SELECT count(*) AS recalls FROM recalls');
    const search = injectTransport(app);
    const sets = querySets(options.heldOut);
    for (const set of sets) await runQueries(set.queries, search); // warm-up, unmeasured
    const run: QualityRun = {
      mode: 'small',
      database: { name: label, type: label === 'SQLite' ? 'sqlite' : 'postgres', recalls: Number(recalls), syntheticRows: options.rows },
      service: 'the application in this process (inject, no socket)',
      sets: [],
    };
    let oldOutcomes: QueryOutcome[] = [];
    const everySet: QueryOutcome[][] = [];
    for (const [index, set] of sets.entries()) {
      const outcomes = await runQueries(set.queries, search);
      everySet.push(outcomes);
      if (index === 0) oldOutcomes = outcomes;
      const result = setResult(set.name, set.heldOut, outcomes);
      printSetResult(`${label} (${Number(recalls).toLocaleString('en-US')} recalls)`, result);
      run.sets.push(result);
    }
    return { run, oldOutcomes, outcomes: everySet };
  } finally {
    await app.close();
  }
}

const allInTop5 = (outcomes: QueryOutcome[]) => outcomes.every((outcome) => outcome.rank !== null);

async function small(options: { rows: number; heldOut: boolean }): Promise<{ runs: QualityRun[]; ok: boolean }> {
  const postgresUrl = process.env.TEST_DATABASE_URL;
  process.env.NODE_ENV = 'test';
  process.env.TEST_MODE = 'true';
  process.env.RATE_LIMIT_MAX = '0'; // every set twice (warm-up, measured) is more than a minute's allowance
  delete process.env.DATABASE_URL;
  const sqlite = await measureSmall('SQLite', { TEST_DATABASE_URL: undefined }, options);
  if (!postgresUrl || !/^postgres/i.test(postgresUrl)) {
    console.log('PostgreSQL  not measured: set TEST_DATABASE_URL to a PostgreSQL test database');
    return { runs: [sqlite.run], ok: allInTop5(sqlite.oldOutcomes) };
  }
  const postgres = await measureSmall('PostgreSQL', { TEST_DATABASE_URL: postgresUrl }, options);
  for (const [index, set] of querySets(options.heldOut).entries()) {
    const [left, right] = [sqlite.outcomes[index], postgres.outcomes[index]];
    const same = left.filter((outcome, at) => outcome.top[0] !== undefined && outcome.top[0] === right[at].top[0]).length;
    console.log(`${set.name}${set.heldOut ? ' (held out)' : ''}: same top result on both: ${same}/${left.length} (${((100 * same) / left.length).toFixed(1)}%)`);
  }
  return { runs: [sqlite.run, postgres.run], ok: allInTop5(sqlite.oldOutcomes) && allInTop5(postgres.oldOutcomes) };
}

async function main(): Promise<number> {
  const startedAt = new Date();
  const { values } = parseArgs({
    options: { scale: { type: 'boolean' }, 'held-out': { type: 'boolean' }, rows: { type: 'string' }, built: { type: 'boolean' } },
  });
  const heldOut = values['held-out'] ?? false;
  const command = `npm run search:quality -- ${process.argv.slice(2).join(' ')}`.trim();
  if (values.scale) {
    if (values.rows !== undefined) throw new Error('--rows is for the small-scale run; seed the --scale database with npm run bench:seed');
    const run = await runAtScale({ heldOut, built: values.built ?? false });
    console.log(`\nWrote ${writeQualityResult(startedAt, command, [run])}`);
    return 0;
  }
  const { runs, ok } = await small({ rows: positiveInteger(values.rows, 'rows', 0), heldOut });
  console.log(`\nWrote ${writeQualityResult(startedAt, command, runs)}`);
  if (!ok) console.log('FAILED: not every queries.json query has its recall in the top 5');
  return ok ? 0 : 1;
}

main()
  .then((code) => process.exit(code))
  .catch((error: unknown) => {
    console.error(`search:quality failed: ${(error as Error).stack ?? error}`);
    process.exit(1);
  });
