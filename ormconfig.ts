import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { DataSource } from 'typeorm';
import { DatabaseSettings, loadDatabaseConfiguration } from './src/config/configuration';
import { buildDataSourceOptions } from './src/database/data-source-options';
import { MigrationCommandLogger } from './src/database/migration-command-logger';
import { sqliteFileProblem } from './src/database/sqlite-file';

// The TypeORM CLI's data source: built by the same function as the app's, from the same validated database
// settings. Migrations need nothing else: no secrets are asked for (the production database guards still apply).
if (existsSync('.env')) process.loadEnvFile('.env');
function cliDatabaseSettings(): DatabaseSettings {
  let settings: DatabaseSettings;
  try {
    settings = loadDatabaseConfiguration();
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }
  const sqliteProblem = settings.target.type === 'sqlite' ? sqliteFileProblem(settings.target.path) : undefined;
  if (sqliteProblem) {
    console.error(sqliteProblem);
    process.exit(1);
  }
  // A migration may run for minutes (it lifts the statement timeout itself): no client-side query timeout here.
  return { ...settings, runMigrationsOnStart: false, pool: { ...settings.pool, queryTimeoutMs: 0 } };
}

export default new DataSource({
  ...buildDataSourceOptions(cliDatabaseSettings()),
  logger: new MigrationCommandLogger(process.env.LOG_LEVEL === 'debug'),
});
