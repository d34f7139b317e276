import { Module } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { SQL_DIALECT, SqlDialect } from '../database/sql/sql-dialect';
import { AdminImportController } from './api/admin-import.controller';
import { AdminJwtGuard } from './api/admin-jwt.guard';
import { RecallsController } from './api/recalls.controller';
import { SafetyCheckService } from './api/safety-check.service';
import { DEFAULT_BATCH_SIZE, RecallImporter } from './import/recall-importer';
import { SampleDataLoader } from './import/sample-data.loader';
import { recallSearchProvider } from './search/recall-search.provider';

@Module({
  controllers: [RecallsController, AdminImportController],
  providers: [
    recallSearchProvider,
    SafetyCheckService,
    AdminJwtGuard,
    SampleDataLoader,
    {
      provide: RecallImporter,
      inject: [getDataSourceToken(), SQL_DIALECT],
      useFactory: (dataSource: DataSource, dialect: SqlDialect) => new RecallImporter(dataSource, DEFAULT_BATCH_SIZE, dialect),
    },
  ],
})
export class RecallsModule {}
