import { Module } from '@nestjs/common';
import { AppConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { HealthModule } from './health/health.module';
import { RecallsModule } from './recalls/recalls.module';

@Module({
  imports: [AppConfigModule, DatabaseModule, HealthModule, RecallsModule],
})
export class AppModule {}
