import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'pino';
import { createApp } from '../../src/app.factory';
import { Configuration, loadConfiguration } from '../../src/config/configuration';
import { isPostgresRun, resetPostgresTestDatabase } from './test-database';

type DeepPartial<T> = { [K in keyof T]?: T[K] extends unknown[] ? T[K] : T[K] extends object ? DeepPartial<T[K]> : T[K] };

/** What a test changes in the configuration, in the configuration's own shape: `{ app: { rateLimit: { max: 0 } } }`. */
export type ConfigurationOverrides = DeepPartial<Omit<Configuration, 'warnings'>>;

/**
 * The configuration of this run (test mode: in-memory SQLite, or the PostgreSQL test database), with the test's
 * changes on top. Objects are merged key by key; arrays and other values replace.
 */
export function testConfiguration(overrides: ConfigurationOverrides = {}): Configuration {
  return merged(loadConfiguration(), overrides);
}

/**
 * Starts the real application (same wiring as main.ts) on the test database of this run:
 * in-memory SQLite, or a freshly emptied PostgreSQL test database. Migrations run on start.
 * Takes the changes to the test configuration, or a whole configuration; logs nothing unless given a `logger`.
 */
export async function startTestApp(settings: ConfigurationOverrides | Configuration = {}, logger: Logger | false = false): Promise<NestFastifyApplication> {
  const configuration = isConfiguration(settings) ? settings : testConfiguration(settings);
  if (isPostgresRun()) await resetPostgresTestDatabase();
  const app = await createApp(configuration, logger);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return app;
}

function isConfiguration(settings: ConfigurationOverrides | Configuration): settings is Configuration {
  return Array.isArray((settings as Configuration).warnings);
}

function merged<T>(base: T, overrides: unknown): T {
  if (!isPlainObject(base) || !isPlainObject(overrides)) return (overrides === undefined ? base : overrides) as T;
  const result: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(overrides)) result[key] = merged(result[key], value);
  return result as T;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
