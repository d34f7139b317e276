import { Global, Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { getDataSourceToken, TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from './data-source-options';
import { databaseConfig, DatabaseConfig } from './database.config';
import { SchemaBehindInterceptor } from './schema-behind.interceptor';
import { SchemaStatus } from './schema-status';
import { SQL_DIALECT, sqlDialectOf } from './sql/sql-dialect';

@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [databaseConfig.KEY],
      useFactory: (settings: DatabaseConfig) => ({
        ...buildDataSourceOptions(settings),
        // Fail fast at start-up: Kubernetes restarts the pod, and readiness covers outages later on.
        retryAttempts: 2,
        retryDelay: 1000,
      }),
    }),
  ],
  providers: [
    SchemaStatus,
    { provide: APP_INTERCEPTOR, useClass: SchemaBehindInterceptor },
    // Which database is in use, decided once for every module that writes SQL.
    { provide: SQL_DIALECT, inject: [getDataSourceToken()], useFactory: (dataSource: DataSource) => sqlDialectOf(dataSource) },
  ],
  exports: [SchemaStatus, SQL_DIALECT],
})
export class DatabaseModule {}
