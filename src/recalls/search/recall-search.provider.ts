import { Provider } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { securityConfig, SecurityConfig } from '../../config/app.config';
import { databaseConfig, DatabaseConfig } from '../../database/database.config';
import { SQL_DIALECT, SqlDialect } from '../../database/sql/sql-dialect';
import { SqlExecutor } from '../../database/sql/sql-executor';
import { RecallSearch } from './recall-search';

/** The part of a pg client a read needs: a statement with its own client-side timeout. */
interface PgClient {
  query(config: { text: string; values: unknown[]; query_timeout?: number }): Promise<{ rows: any[] }>;
}

/**
 * On PostgreSQL, each read borrows a connection of the app's pool (TypeORM's own: same settings, same limits)
 * through a query runner, TypeORM's public way to one connection, and sends the statement on pg's client itself:
 * only pg takes a per-statement timeout. Each read gets the read timeout, well below the pool's query timeout
 * (which imports need): while the database does not answer, a request fails with 503 in about the connect timeout
 * instead of holding its connection for the statement timeout. A connection that timed out closes itself
 * (EvictingClient) and one that failed reports its error to the runner, so the pool drops either. On SQLite through
 * TypeORM.
 */
function sqlExecutorFor(dataSource: DataSource, dialect: SqlDialect, readTimeoutMs: number): SqlExecutor {
  if (dialect.name !== 'postgres') return { query: (sql, parameters) => dataSource.query(sql, parameters) };
  const queryTimeout = readTimeoutMs > 0 ? readTimeoutMs : undefined;
  return {
    query: async (sql, parameters) => {
      const runner = dataSource.createQueryRunner('master');
      try {
        const client = (await runner.connect()) as PgClient;
        return (await client.query({ text: sql, values: parameters, query_timeout: queryTimeout })).rows;
      } finally {
        await runner.release();
      }
    },
  };
}

/** RecallSearch over the app's TypeORM connection (its pool, its statement timeout, the read timeout). */
export const recallSearchProvider: Provider = {
  provide: RecallSearch,
  inject: [getDataSourceToken(), SQL_DIALECT, securityConfig.KEY, databaseConfig.KEY],
  useFactory: (dataSource: DataSource, dialect: SqlDialect, security: SecurityConfig, database: DatabaseConfig) =>
    new RecallSearch(sqlExecutorFor(dataSource, dialect, database.pool.readTimeoutMs), dialect, security.secretKey),
};
