import { Client } from 'pg';
import { parseDatabaseUrl } from '../../src/config/database-url';

/** Refuses any database whose name does not say it is a test database: the e2e suite wipes it. */
export function assertTestDatabaseUrl(url: string | undefined): void {
  if (!url) throw new Error('TEST_DATABASE_URL is required for the PostgreSQL e2e run');
  const target = parseDatabaseUrl(url, 'TEST_DATABASE_URL');
  if (target.type !== 'postgres') throw new Error('TEST_DATABASE_URL must be a postgresql:// URL for this run');
  if (!/test/i.test(target.database)) {
    throw new Error(`Refusing to run e2e tests against "${target.database}": its name must contain "test"`);
  }
}

export function isPostgresRun(): boolean {
  return Boolean(process.env.TEST_DATABASE_URL);
}

/**
 * The database of one Jest worker, beside the one TEST_DATABASE_URL names: `<name>_w<worker id>`. The e2e files
 * empty their database, so files running at the same time in different workers must not share one.
 */
export function workerDatabaseUrl(baseUrl: string, workerId: string | number): string {
  const url = new URL(baseUrl.replace(/^postgres(ql)?(\+\w+)?:/i, 'postgresql:'));
  url.pathname = `/${decodeURIComponent(url.pathname.slice(1))}_w${workerId}`;
  return url.toString();
}

/** A client on the database a URL names, for administration (creating and dropping the workers' databases). */
export function adminClient(url: string): Client {
  const target = parseDatabaseUrl(url, 'TEST_DATABASE_URL');
  if (target.type !== 'postgres') throw new Error('TEST_DATABASE_URL must be a postgresql:// URL for this run');
  return new Client({ host: target.host, port: target.port, user: target.username, password: target.password, database: target.database });
}

/** Empties the PostgreSQL test database (every object in its public schema) so each file starts clean. */
export async function resetPostgresTestDatabase(): Promise<void> {
  const url = process.env.TEST_DATABASE_URL;
  assertTestDatabaseUrl(url);
  const target = parseDatabaseUrl(url!, 'TEST_DATABASE_URL');
  if (target.type !== 'postgres') return;
  const client = new Client({ host: target.host, port: target.port, user: target.username, password: target.password, database: target.database });
  await client.connect();
  try {
    await client.query('DROP SCHEMA IF EXISTS public CASCADE');
    await client.query('CREATE SCHEMA public');
  } finally {
    await client.end();
  }
}
