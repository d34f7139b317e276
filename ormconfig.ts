import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { DataSource } from 'typeorm';
import { loadConfiguration } from './src/config/configuration';
import { buildDataSourceOptions } from './src/database/data-source-options';

// The TypeORM CLI's data source: built by the same function as the app's, from the same validated settings.
if (existsSync('.env')) process.loadEnvFile('.env');
function cliDatabaseSettings() {
  try {
    return { ...loadConfiguration().database, runMigrationsOnStart: false };
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }
}

// Same connection options as the app; only the log output differs: the CLI prints migration status plainly.
export default new DataSource({
  ...buildDataSourceOptions(cliDatabaseSettings()),
  logger: 'simple-console',
  logging: ['error', 'warn', 'migration', 'schema'],
});
