import { DynamicModule, Module } from '@nestjs/common';
import { Logger } from 'pino';
import { loggingModule } from './common/logging';
import { AppConfigModule } from './config/config.module';
import { Configuration } from './config/configuration';
import { DatabaseModule } from './database/database.module';
import { HealthModule } from './health/health.module';
import { RecallsModule } from './recalls/recalls.module';

/** The application, on the configuration given (loaded once by main.ts; built by the e2e tests as they need it), logging to `logger`. */
@Module({})
export class AppModule {
  static forRoot(configuration: Configuration, logger: Logger): DynamicModule {
    return {
      module: AppModule,
      imports: [AppConfigModule.forRoot(configuration), loggingModule(logger), DatabaseModule, HealthModule, RecallsModule],
    };
  }
}
