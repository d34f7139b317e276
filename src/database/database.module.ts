import { Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { buildDataSourceOptions } from './data-source-options';
import { databaseConfig, DatabaseConfig } from './database.config';
import { SchemaBehindInterceptor } from './schema-behind.interceptor';
import { SchemaStatus } from './schema-status';

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
  providers: [SchemaStatus, { provide: APP_INTERCEPTOR, useClass: SchemaBehindInterceptor }],
  exports: [SchemaStatus],
})
export class DatabaseModule {}
