import { Module } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AdminImportController } from './api/admin-import.controller';
import { AdminJwtGuard } from './api/admin-jwt.guard';
import { RecallsController } from './api/recalls.controller';
import { SafetyCheckService } from './api/safety-check.service';
import { RecallImporter } from './import/recall-importer';
import { SampleDataLoader } from './import/sample-data.loader';
import { recallSearchProvider } from './search/recall-search.provider';

@Module({
  controllers: [RecallsController, AdminImportController],
  providers: [
    recallSearchProvider,
    SafetyCheckService,
    AdminJwtGuard,
    SampleDataLoader,
    { provide: RecallImporter, inject: [getDataSourceToken()], useFactory: (dataSource: DataSource) => new RecallImporter(dataSource) },
  ],
})
export class RecallsModule {}
