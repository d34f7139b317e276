import { assertTestDatabaseUrl } from '../support/test-database';

// The e2e suite on the PostgreSQL database named by TEST_DATABASE_URL (never DATABASE_URL).
process.env.NODE_ENV = 'test';
process.env.TEST_MODE = 'true';
delete process.env.DATABASE_URL;
assertTestDatabaseUrl(process.env.TEST_DATABASE_URL);
