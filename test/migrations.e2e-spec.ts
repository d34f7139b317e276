import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DataSource } from 'typeorm';
import { loadConfiguration } from '../src/config/configuration';
import { buildDataSourceOptions } from '../src/database/data-source-options';
import { MIGRATIONS } from '../src/database/migrations';
import { RECALL_IDENTIFIERS } from '../src/database/tables/recall-identifiers.table';
import { RECALL_WORDS } from '../src/database/tables/recall-words.table';
import { RECALLS } from '../src/database/tables/recalls.table';
import { SEARCH_VOCABULARY } from '../src/database/tables/search-vocabulary.table';
import { isPostgresRun, resetPostgresTestDatabase } from './support/test-database';
import { startTestApp } from './support/test-app';

// The migration command is spawned through ts-node: seconds on a loaded machine (a whole-file setting in Jest).
jest.setTimeout(120_000);

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

  it('leaves every table with the columns its table module describes, and no other', async () => {
    const tables = isPostgresRun() ? [RECALLS, RECALL_IDENTIFIERS, RECALL_WORDS, SEARCH_VOCABULARY] : [RECALLS, RECALL_IDENTIFIERS];
    for (const table of tables) {
      const rows: Array<{ name: string }> = isPostgresRun()
        ? await dataSource.query("SELECT column_name AS name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1", [table.name])
        : await dataSource.query('SELECT name FROM pragma_table_info(?)', [table.name]);
      expect({ table: table.name, columns: rows.map((row) => row.name).sort() }).toEqual({ table: table.name, columns: Object.keys(table.columns).sort() });
    }
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

describe('a service started on a schema older than its code (migrations not applied)', () => {
  let app: NestFastifyApplication;

  beforeAll(async () => {
    app = await startTestApp({ database: { runMigrationsOnStart: false } });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('answers a search with 503 SERVICE_UNAVAILABLE saying the schema is not ready, not 500', async () => {
    const response = await app.inject({ method: 'POST', url: '/api/v1/search/advanced', payload: { product: 'crib' } });
    expect(response.statusCode).toBe(503);
    expect(response.json()).toEqual({
      ok: false,
      error: { code: 'SERVICE_UNAVAILABLE', message: expect.stringMatching(/schema not ready/) },
      traceId: response.headers['x-trace-id'],
    });
  });

  it('is not ready, and readiness says in words which migrations are pending and the command that applies them', async () => {
    const response = await app.inject({ method: 'GET', url: '/health/ready' });
    expect(response.statusCode).toBe(503);
    const message: string = response.json().error.migrations.message;
    expect(message).toContain('database schema is behind');
    expect(message).toContain(MIGRATIONS[0].name);
    expect(message).toContain('npm run migration:run');
  });
});

describe('the migration command (npm run migration:run)', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'babyshield-migrations-'));
  let fresh = 0;

  /**
   * Production on the PostgreSQL run (no secrets given: migrations never read them); development on a new SQLite
   * file on the SQLite run (production refuses SQLite).
   */
  async function migrationRun(extraEnv: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
    if (isPostgresRun()) await resetPostgresTestDatabase();
    const database = isPostgresRun()
      ? { NODE_ENV: 'production', DATABASE_URL: process.env.TEST_DATABASE_URL!.replace(/^postgres(ql)?(\+\w+)?:/, 'postgresql:') }
      : { NODE_ENV: 'development', DATABASE_URL: `sqlite:///${join(scratch, `fresh-${(fresh += 1)}.db`)}` };
    const command = spawn('npm', ['run', '-s', 'migration:run'], {
      cwd: join(__dirname, '..'),
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...database, ...extraEnv },
    });
    let stdout = '';
    let stderr = '';
    command.stdout.on('data', (chunk) => (stdout += chunk));
    command.stderr.on('data', (chunk) => (stderr += chunk));
    const code = await new Promise<number>((resolve) => command.on('exit', (exitCode) => resolve(exitCode ?? -1)));
    return { code, stdout, stderr };
  }

  it('applies every migration printing one line per migration and no SQL, asking for no secret', async () => {
    const { code, stdout, stderr } = await migrationRun();
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout.trim().split('\n')).toEqual(MIGRATIONS.map((migration) => `Migration ${migration.name} has been executed successfully.`));
  });

  it('prints the SQL it runs with LOG_LEVEL=debug', async () => {
    const { code, stdout } = await migrationRun({ LOG_LEVEL: 'debug' });
    expect(code).toBe(0);
    expect(stdout).toMatch(/query: CREATE TABLE/);
  });
});
