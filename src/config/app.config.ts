import { ConfigType, registerAs } from '@nestjs/config';
import { loadConfiguration } from './configuration';

export const appConfig = registerAs('app', () => loadConfiguration().app);
export type AppConfig = ConfigType<typeof appConfig>;

export const securityConfig = registerAs('security', () => loadConfiguration().security);
export type SecurityConfig = ConfigType<typeof securityConfig>;
