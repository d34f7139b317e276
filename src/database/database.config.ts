import { ConfigType, registerAs } from '@nestjs/config';
import { loadConfiguration } from '../config/configuration';

export const databaseConfig = registerAs('database', () => loadConfiguration().database);
export type DatabaseConfig = ConfigType<typeof databaseConfig>;
