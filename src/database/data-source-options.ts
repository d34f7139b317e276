import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { types as pgTypes } from 'pg';
import { DataSourceOptions } from 'typeorm';
import { PG_TRIGRAM_SIMILARITY_THRESHOLD } from '../recalls/search/postgres-text-search';
import { DatabaseSettings } from '../config/configuration';
import { MIGRATIONS } from './migrations';
import { TypeOrmNestLogger } from './typeorm-logger';
import { EvictingClient, PoolClients } from './pool-client';

export const MIGRATIONS_TABLE = 'migrations';
const DATE_OID = 1082;
const KEEPALIVE_INITIAL_DELAY_MS = 10_000;

/**
 * The one place DataSource options are built, for the app (TypeOrmModule) and for the TypeORM CLI (ormconfig.ts).
 * SQLite gets only SQLite settings; PostgreSQL gets only pool settings. Schema changes come from migrations only.
 */
export function buildDataSourceOptions(settings: DatabaseSettings): DataSourceOptions {
  const common = {
    // No entities: tables are described in src/database/tables/ and written and read with SQL.
    entities: [],
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
  // Session settings on every connection: the trigram threshold search relies on, and no JIT.
  const sessionSettings = [
    `-c pg_trgm.similarity_threshold=${PG_TRIGRAM_SIMILARITY_THRESHOLD}`,
    // Short OLTP statements: compiling them costs more than it saves.
    '-c jit=off',
  ];
  return {
    ...common,
    type: 'postgres',
    host: target.host,
    port: target.port,
    username: target.username,
    password: target.password,
    database: target.database,
    ssl: target.ssl,
    installExtensions: false,
    applicationName: 'babyshield-api',
    poolSize: settings.pool.size,
    connectTimeoutMS: settings.pool.connectTimeoutMs,
    extra: {
      Client: EvictingClient,
      poolClients: new Set() satisfies PoolClients, // one per pool: pg hands its options to every client
      idleTimeoutMillis: settings.pool.idleTimeoutMs,
      statement_timeout: settings.pool.statementTimeoutMs || undefined,
      // A database that stops answering (without closing the socket) must fail a query, not hold it forever.
      query_timeout: settings.pool.queryTimeoutMs || undefined,
      keepAlive: true,
      keepAliveInitialDelayMillis: KEEPALIVE_INITIAL_DELAY_MS,
      options: sessionSettings.join(' '),
      // Calendar dates stay 'YYYY-MM-DD' strings instead of Dates shifted by the process time zone.
      types: { getTypeParser: (oid: number, format?: 'text' | 'binary') => (oid === DATE_OID ? (value: string) => value : pgTypes.getTypeParser(oid, format)) },
    },
  };
}
