import { assertTestDatabaseUrl, workerDatabaseUrl } from '../support/test-database';

// The e2e suite on PostgreSQL (never DATABASE_URL): each Jest worker on a database of its own beside the one
// TEST_DATABASE_URL names (created by postgres.global-setup.ts), so files in parallel workers never share one.
process.env.NODE_ENV = 'test';
process.env.TEST_MODE = 'true';
delete process.env.DATABASE_URL;
process.env.TEST_DATABASE_BASE_URL ??= process.env.TEST_DATABASE_URL;
assertTestDatabaseUrl(process.env.TEST_DATABASE_BASE_URL);
process.env.TEST_DATABASE_URL = workerDatabaseUrl(process.env.TEST_DATABASE_BASE_URL!, process.env.JEST_WORKER_ID ?? '1');
