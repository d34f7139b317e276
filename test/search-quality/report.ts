// `npm run search:quality`: recall@1 and recall@5 of the quality queries on SQLite, and on PostgreSQL when
// TEST_DATABASE_URL names a PostgreSQL test database, plus how often both put the same recall first.
import 'reflect-metadata';
import { importSamples } from '../support/samples';
import { startTestApp } from '../support/test-app';
import { QueryOutcome, recallAt, runQualityQueries } from './search-quality';

async function measure(label: string, env: Record<string, string | undefined>): Promise<QueryOutcome[]> {
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  const app = await startTestApp();
  try {
    await importSamples(app);
    const outcomes = await runQualityQueries(app);
    console.log(`${label.padEnd(11)} recall@1 ${recallAt(outcomes, 1).toFixed(3)}  recall@5 ${recallAt(outcomes, 5).toFixed(3)}  (${outcomes.length} queries)`);
    for (const miss of outcomes.filter((outcome) => outcome.rank !== 1)) {
      console.log(`  ${miss.rank === null ? 'MISS ' : `rank ${miss.rank}`} [${miss.query.kind}] "${miss.query.query}" expected ${miss.query.expect}, got ${miss.top.slice(0, 3).join(', ') || 'nothing'}`);
    }
    return outcomes;
  } finally {
    await app.close();
  }
}

async function main(): Promise<void> {
  const postgresUrl = process.env.TEST_DATABASE_URL;
  process.env.NODE_ENV = 'test';
  process.env.TEST_MODE = 'true';
  delete process.env.DATABASE_URL;
  const sqlite = await measure('SQLite', { TEST_DATABASE_URL: undefined });
  if (!postgresUrl || !/^postgres/i.test(postgresUrl)) {
    console.log('PostgreSQL  not measured: set TEST_DATABASE_URL to a PostgreSQL test database');
    process.exit(recallAt(sqlite, 5) === 1 ? 0 : 1);
  }
  const postgres = await measure('PostgreSQL', { TEST_DATABASE_URL: postgresUrl });
  const same = sqlite.filter((outcome, index) => outcome.top[0] !== undefined && outcome.top[0] === postgres[index].top[0]).length;
  console.log(`same top result on both: ${same}/${sqlite.length} (${((100 * same) / sqlite.length).toFixed(1)}%)`);
  process.exit(recallAt(sqlite, 5) === 1 && recallAt(postgres, 5) === 1 ? 0 : 1);
}

void main();
