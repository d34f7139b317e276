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

export default new DataSource(buildDataSourceOptions(cliDatabaseSettings()));
