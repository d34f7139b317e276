import { Provider } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { securityConfig, SecurityConfig } from '../../config/app.config';
import { RecallSearch } from './recall-search';
import { SqlExecutor } from './sql-executor';

/**
 * On PostgreSQL, reads go straight to the app's pg pool (TypeORM's own: same settings, same limits, the same
 * client-side query timeout), without a query runner per statement; pool.query hands a connection whose query
 * failed back with the error, so the pool drops it. On SQLite through TypeORM.
 */
function sqlExecutorFor(dataSource: DataSource): SqlExecutor {
  if (dataSource.options.type !== 'postgres') return { query: (sql, parameters) => dataSource.query(sql, parameters) };
  const pool = (dataSource.driver as unknown as { master: { query(sql: string, values: unknown[]): Promise<{ rows: any[] }> } }).master;
  return { query: async (sql, parameters) => (await pool.query(sql, parameters)).rows };
}

/** RecallSearch over the app's TypeORM connection (its pool, its statement timeout). */
export const recallSearchProvider: Provider = {
  provide: RecallSearch,
  inject: [getDataSourceToken(), securityConfig.KEY],
  useFactory: (dataSource: DataSource, security: SecurityConfig) =>
    new RecallSearch(
      sqlExecutorFor(dataSource),
      dataSource.options.type === 'postgres' ? 'postgres' : 'sqlite',
      security.secretKey,
    ),
};
