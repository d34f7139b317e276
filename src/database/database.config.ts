import { ConfigType } from '@nestjs/config';
import { settingsNamespace } from '../config/app.config';

export const databaseConfig = settingsNamespace('database');
export type DatabaseConfig = ConfigType<typeof databaseConfig>;
