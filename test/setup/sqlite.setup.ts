// The e2e suite on in-memory SQLite: test mode, and no way to reach a real database.
process.env.NODE_ENV = 'test';
process.env.TEST_MODE = 'true';
delete process.env.TEST_DATABASE_URL;
delete process.env.DATABASE_URL;
