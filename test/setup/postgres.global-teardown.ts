import { adminClient } from '../support/test-database';
import { workerDatabaseNames } from './postgres.global-setup';

/** Drops the workers' databases postgres.global-setup.ts created. */
export default async function postgresGlobalTeardown(globalConfig: { maxWorkers: number }): Promise<void> {
  const baseUrl = process.env.TEST_DATABASE_URL!;
  const admin = adminClient(baseUrl);
  await admin.connect();
  try {
    for (const name of workerDatabaseNames(baseUrl, globalConfig.maxWorkers)) await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}
