import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp } from '../../src/app.factory';
import { loadConfiguration } from '../../src/config/configuration';
import { isPostgresRun, resetPostgresTestDatabase } from './test-database';

/**
 * Starts the real application (same wiring as main.ts) on the test database of this run:
 * in-memory SQLite, or a freshly emptied PostgreSQL test database. Migrations run on start.
 */
export async function startTestApp(env: Record<string, string> = {}): Promise<NestFastifyApplication> {
  Object.assign(process.env, env);
  if (isPostgresRun()) await resetPostgresTestDatabase();
  const app = await createApp(loadConfiguration(), false);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return app;
}
