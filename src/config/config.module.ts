import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { appConfig, securityConfig } from './app.config';
import { databaseConfig } from '../database/database.config';

/** Typed, validated settings: each namespace is a slice of one loadConfiguration() result. */
@Module({
  imports: [
    ConfigModule.forRoot({
      isGlobal: true,
      ignoreEnvFile: true,
      load: [appConfig, securityConfig, databaseConfig],
    }),
  ],
})
export class AppConfigModule {}
