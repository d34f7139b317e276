import { ConfigType, registerAs } from '@nestjs/config';
import { Configuration } from './configuration';

/**
 * One slice of the Configuration, injected as `@Inject(x.KEY) settings: ConfigType<typeof x>`. The value is the slice
 * of the configuration given to AppModule.forRoot (loaded once, by main.ts or a test): the factory never runs.
 */
export function settingsNamespace<K extends 'app' | 'security' | 'database'>(key: K) {
  return registerAs(key, (): Configuration[K] => {
    throw new Error(`the ${key} settings come from AppModule.forRoot(configuration)`);
  });
}

export const appConfig = settingsNamespace('app');
export type AppConfig = ConfigType<typeof appConfig>;

export const securityConfig = settingsNamespace('security');
export type SecurityConfig = ConfigType<typeof securityConfig>;
