import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { Logger } from '@nestjs/common';
import { createApp } from './app.factory';
import { createAppLogger } from './common/app-logger';
import { ConfigValidationError } from './config/config-validation.error';
import { Configuration, loadConfiguration } from './config/configuration';
import { ShutdownState } from './health/shutdown-state';

function loadOrExit(): Configuration {
  try {
    return loadConfiguration();
  } catch (error) {
    if (!(error instanceof ConfigValidationError)) throw error;
    process.stderr.write(`BabyShield cannot start: ${error.message}\n`);
    process.exit(1);
  }
}

async function bootstrap(): Promise<void> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  const configuration = loadOrExit();
  const logger = createAppLogger(configuration.app);
  for (const warning of configuration.warnings) logger.warn(warning, 'Config');
  logger.log(`Environment ${configuration.app.environment}; database: ${configuration.database.origin}`, 'Config');

  const app = await createApp(configuration, logger);
  const { host, port, shutdownGraceMs } = configuration.app;

  // Draining: readiness turns 503 at once, requests are still served for the grace period, then we close.
  const shutdown = app.get(ShutdownState);
  const drainAndExit = async (signal: string) => {
    if (shutdown.isShuttingDown) return;
    shutdown.markShuttingDown();
    logger.log(`${signal} received: not ready any more; serving for ${shutdownGraceMs} ms, then closing`, 'Shutdown');
    await new Promise((resolve) => setTimeout(resolve, shutdownGraceMs));
    await app.close();
    logger.log('HTTP server and database pool closed', 'Shutdown');
    process.exit(0);
  };
  process.on('SIGTERM', () => void drainAndExit('SIGTERM'));
  process.on('SIGINT', () => void drainAndExit('SIGINT'));

  await app.listen(port, host);
  logger.log(`Listening on http://${host}:${port}`, 'Bootstrap');
}

bootstrap().catch((error: unknown) => {
  new Logger('Bootstrap').fatal(`Start-up failed: ${(error as Error)?.message ?? error}`);
  process.exit(1);
});
