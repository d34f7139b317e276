import { DynamicModule, Module } from '@nestjs/common';
import { appConfig, securityConfig } from './app.config';
import { Configuration } from './configuration';
import { databaseConfig } from '../database/database.config';

/** Typed, validated settings for every module: each namespace is a slice of the one Configuration given. */
@Module({})
export class AppConfigModule {
  static forRoot(configuration: Configuration): DynamicModule {
    const providers = [
      { provide: appConfig.KEY, useValue: configuration.app },
      { provide: securityConfig.KEY, useValue: configuration.security },
      { provide: databaseConfig.KEY, useValue: configuration.database },
    ];
    return { module: AppConfigModule, global: true, providers, exports: providers.map((provider) => provider.provide) };
  }
}
