import { DataSource } from 'typeorm';
import { loadConfiguration } from '../src/config/configuration';
import { buildDataSourceOptions } from '../src/database/data-source-options';
import { MIGRATIONS } from '../src/database/migrations';
import { isPostgresRun, resetPostgresTestDatabase } from './support/test-database';

describe('migrations', () => {
  let dataSource: DataSource;

  beforeAll(async () => {
    if (isPostgresRun()) await resetPostgresTestDatabase();
    dataSource = new DataSource(buildDataSourceOptions({ ...loadConfiguration().database, runMigrationsOnStart: false }));
    await dataSource.initialize();
  });
  afterAll(async () => {
    await dataSource?.destroy();
  });

  const extensions = async () =>
    ((await dataSource.query('SELECT extname FROM pg_extension')) as Array<{ extname: string }>).map((row) => row.extname);

  it('applies the whole chain from an empty database, then has nothing pending', async () => {
    expect(await dataSource.showMigrations()).toBe(true);
    const applied = await dataSource.runMigrations();
    expect(applied.map((migration) => migration.name)).toEqual(MIGRATIONS.map((migration) => migration.name));
    expect(await dataSource.showMigrations()).toBe(false);
    if (isPostgresRun()) expect(await extensions()).toContain('pg_trgm');
  });

  it('reverts every migration and applies them again', async () => {
    for (let i = 0; i < MIGRATIONS.length; i += 1) await dataSource.undoLastMigration();
    expect(await dataSource.showMigrations()).toBe(true);
    if (isPostgresRun()) expect(await extensions()).not.toContain('pg_trgm');
    await dataSource.runMigrations();
    expect(await dataSource.showMigrations()).toBe(false);
    if (isPostgresRun()) expect(await extensions()).toContain('pg_trgm');
  });
});
