import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DataSourceOptions } from 'typeorm';
import { DatabaseSettings } from '../config/configuration';
import { MIGRATIONS } from './migrations';
import { ENTITIES } from './entities';
import { TypeOrmNestLogger } from './typeorm-logger';

export const MIGRATIONS_TABLE = 'migrations';

/**
 * The one place DataSource options are built, for the app (TypeOrmModule) and for the TypeORM CLI (ormconfig.ts).
 * SQLite gets only SQLite settings; PostgreSQL gets only pool settings. Schema changes come from migrations only.
 */
export function buildDataSourceOptions(settings: DatabaseSettings): DataSourceOptions {
  const common = {
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: MIGRATIONS_TABLE,
    migrationsTransactionMode: 'each' as const,
    migrationsRun: settings.runMigrationsOnStart,
    synchronize: false,
    logging: ['error' as const, 'warn' as const, 'migration' as const],
    logger: new TypeOrmNestLogger(),
    maxQueryExecutionTime: 1000,
  };
  const { target } = settings;
  if (target.type === 'sqlite') {
    const inMemory = target.path === ':memory:';
    if (!inMemory) mkdirSync(dirname(target.path), { recursive: true });
    return {
      ...common,
      type: 'better-sqlite3',
      database: target.path,
      enableWAL: !inMemory,
      timeout: settings.sqlite.busyTimeoutMs,
      prepareDatabase: (db: { pragma(source: string): unknown }) => {
        db.pragma('foreign_keys = ON');
        db.pragma(`busy_timeout = ${settings.sqlite.busyTimeoutMs}`);
      },
    };
  }
  const searchPath = settings.schema ? `${settings.schema},public` : undefined;
  return {
    ...common,
    type: 'postgres',
    host: target.host,
    port: target.port,
    username: target.username,
    password: target.password,
    database: target.database,
    ssl: target.ssl,
    schema: settings.schema,
    installExtensions: false,
    applicationName: 'babyshield-api',
    poolSize: settings.pool.size,
    connectTimeoutMS: settings.pool.connectTimeoutMs,
    extra: {
      idleTimeoutMillis: settings.pool.idleTimeoutMs,
      statement_timeout: settings.pool.statementTimeoutMs || undefined,
      // Migrations create unqualified objects; a configured schema must be first on the search path.
      options: searchPath ? `-c search_path=${searchPath}` : undefined,
    },
  };
}
