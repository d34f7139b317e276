import { Provider } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { securityConfig, SecurityConfig } from '../../config/app.config';
import { databaseConfig, DatabaseConfig } from '../../database/database.config';
import { SQL_DIALECT, SqlDialect } from '../../database/sql/sql-dialect';
import { SqlExecutor } from '../../database/sql/sql-executor';
import { RecallSearch } from './recall-search';

interface PgPool {
  query(config: { text: string; values: unknown[]; query_timeout?: number }): Promise<{ rows: any[] }>;
}

/**
 * On PostgreSQL, reads go straight to the app's pg pool (TypeORM's own: same settings, same limits), without
 * a query runner per statement; pool.query hands a connection whose query failed back with the error, so the pool
 * drops it. Each read gets the read timeout, well below the pool's query timeout (which imports need): while the
 * database does not answer, a request fails with 503 in about the connect timeout instead of holding its client for
 * the statement timeout. On SQLite through TypeORM.
 */
function sqlExecutorFor(dataSource: DataSource, dialect: SqlDialect, readTimeoutMs: number): SqlExecutor {
  if (dialect.name !== 'postgres') return { query: (sql, parameters) => dataSource.query(sql, parameters) };
  const pool = (dataSource.driver as unknown as { master: PgPool }).master;
  const queryTimeout = readTimeoutMs > 0 ? readTimeoutMs : undefined;
  return { query: async (sql, parameters) => (await pool.query({ text: sql, values: parameters, query_timeout: queryTimeout })).rows };
}

/** RecallSearch over the app's TypeORM connection (its pool, its statement timeout, the read timeout). */
export const recallSearchProvider: Provider = {
  provide: RecallSearch,
  inject: [getDataSourceToken(), SQL_DIALECT, securityConfig.KEY, databaseConfig.KEY],
  useFactory: (dataSource: DataSource, dialect: SqlDialect, security: SecurityConfig, database: DatabaseConfig) =>
    new RecallSearch(sqlExecutorFor(dataSource, dialect, database.pool.readTimeoutMs), dialect, security.secretKey),
};
