import { Provider } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { securityConfig, SecurityConfig } from '../../config/app.config';
import { RecallSearch } from './recall-search';

/** RecallSearch over the app's TypeORM connection (its pool, its statement timeout). */
export const recallSearchProvider: Provider = {
  provide: RecallSearch,
  inject: [getDataSourceToken(), securityConfig.KEY],
  useFactory: (dataSource: DataSource, security: SecurityConfig) =>
    new RecallSearch(
      { query: (sql, parameters) => dataSource.query(sql, parameters) },
      dataSource.options.type === 'postgres' ? 'postgres' : 'sqlite',
      security.secretKey,
    ),
};
