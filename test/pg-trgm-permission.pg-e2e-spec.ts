import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { loadConfiguration } from '../src/config/configuration';
import { parseDatabaseUrl } from '../src/config/database-url';
import { buildDataSourceOptions } from '../src/database/data-source-options';

describe('the pg_trgm migration run by a role that may not create extensions', () => {
  jest.setTimeout(30_000);
  const target = parseDatabaseUrl(process.env.TEST_DATABASE_URL!, 'TEST_DATABASE_URL');
  if (target.type !== 'postgres') throw new Error('this spec needs PostgreSQL');
  const suffix = `${process.pid}_${Date.now()}`;
  const role = `babyshield_limited_${suffix}`;
  const database = `babyshield_limited_test_${suffix}`;
  const admin = new Client({ host: target.host, port: target.port, user: target.username, password: target.password, database: target.database });

  beforeAll(async () => {
    await admin.connect();
    await admin.query(`CREATE ROLE ${role} LOGIN`);
    await admin.query(`CREATE DATABASE ${database}`);
    await admin.query(`REVOKE CREATE ON DATABASE ${database} FROM PUBLIC`);
    // The role may create tables (so the migrations table works), just not extensions.
    const inDatabase = new Client({ host: target.host, port: target.port, user: target.username, password: target.password, database });
    await inDatabase.connect();
    await inDatabase.query(`GRANT CREATE ON SCHEMA public TO ${role}`);
    await inDatabase.end();
  });
  afterAll(async () => {
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.query(`DROP ROLE IF EXISTS ${role}`);
    await admin.end();
  });

  it('fails with the command a database administrator must run', async () => {
    const settings = loadConfiguration({
      CONFIG_DIR: '/nonexistent',
      TEST_MODE: 'true',
      TEST_DATABASE_URL: `postgresql://${role}@${target.host}:${target.port}/${database}`,
    }).database;
    const dataSource = new DataSource({ ...buildDataSourceOptions({ ...settings, runMigrationsOnStart: false }), logging: false });
    await dataSource.initialize();
    try {
      await expect(dataSource.runMigrations()).rejects.toThrow(
        `A database administrator must run, as a superuser: psql -d ${database} -c "CREATE EXTENSION IF NOT EXISTS pg_trgm"`,
      );
    } finally {
      await dataSource.destroy();
    }
  });
});
