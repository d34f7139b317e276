import { parseDatabaseUrl } from '../../src/config/database-url';
import { adminClient, assertTestDatabaseUrl, workerDatabaseUrl } from '../support/test-database';

/** The databases of the run's Jest workers (`<name>_w1` ... `<name>_w<maxWorkers>`), created empty. */
export function workerDatabaseNames(baseUrl: string, maxWorkers: number): string[] {
  return Array.from({ length: Math.max(1, maxWorkers) }, (_, i) => {
    const target = parseDatabaseUrl(workerDatabaseUrl(baseUrl, i + 1), 'TEST_DATABASE_URL');
    if (target.type !== 'postgres') throw new Error('TEST_DATABASE_URL must be a postgresql:// URL for this run');
    return target.database;
  });
}

/**
 * One database per worker, beside TEST_DATABASE_URL's (which must exist: it is where they are created from), so the
 * PostgreSQL e2e files can run in parallel workers. Dropped again by postgres.global-teardown.ts.
 */
export default async function postgresGlobalSetup(globalConfig: { maxWorkers: number }): Promise<void> {
  const baseUrl = process.env.TEST_DATABASE_URL;
  assertTestDatabaseUrl(baseUrl);
  const admin = adminClient(baseUrl!);
  await admin.connect();
  try {
    for (const name of workerDatabaseNames(baseUrl!, globalConfig.maxWorkers)) {
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.query(`CREATE DATABASE "${name}"`);
    }
  } finally {
    await admin.end();
  }
}
