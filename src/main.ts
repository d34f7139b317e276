import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { Logger } from 'pino';
import { createApp } from './app.factory';
import { createRootLogger } from './common/logging';
import { ConfigValidationError } from './config/config-validation.error';
import { Configuration, loadConfiguration } from './config/configuration';
import { postgresServerProblem } from './database/postgres-server';
import { sqliteFileProblem } from './database/sqlite-file';
import { ConnectionDrain } from './health/connection-drain';
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

/** An operator's problem (a port in use, an unwritable database file, an unreachable server) is one line and exit code 1, no stack trace. */
function exitIfProblem(problem: string | undefined): void {
  if (!problem) return;
  process.stderr.write(`BabyShield cannot start: ${problem}\n`);
  process.exit(1);
}

/** Checked before any start-up work; Nest would log the listen error and a fatal line after starting everything. */
async function listenProblem(host: string, port: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', (error: NodeJS.ErrnoException) =>
      resolve(
        error.code === 'EADDRINUSE'
          ? `port ${port} on ${host} is already in use; stop the other process or set PORT to a free port`
          : `cannot listen on ${host}:${port}: ${error.message}; check HOST and PORT`,
      ),
    );
    probe.listen(port, host, () => probe.close(() => resolve(undefined)));
  });
}

async function bootstrap(configuration: Configuration, logger: Logger): Promise<void> {
  for (const warning of configuration.warnings) logger.warn({ context: 'Config' }, warning);
  logger.info({ context: 'Config' }, `Environment ${configuration.app.environment}; database: ${configuration.database.origin}`);

  exitIfProblem(await listenProblem(configuration.app.host, configuration.app.port));
  const { target } = configuration.database;
  if (target.type === 'sqlite') exitIfProblem(sqliteFileProblem(target.path));
  else exitIfProblem(await postgresServerProblem(target, configuration.database.pool.connectTimeoutMs));

  const app = await createApp(configuration, logger);
  const { host, port, shutdownGraceMs } = configuration.app;

  // Draining: readiness turns 503 at once, requests are still served for the grace period (each answer closing its
  // connection, quiet keep-alive sockets closed), then the listener closes (after a moment in which answers keep their
  // connection, so that clients stop reconnecting) and the accepted requests are answered.
  const shutdown = app.get(ShutdownState);
  const connections = new ConnectionDrain(app.getHttpServer());
  const drainAndExit = async (signal: string) => {
    if (shutdown.isShuttingDown) return;
    shutdown.markShuttingDown();
    connections.start();
    logger.info({ context: 'Shutdown' }, `${signal} received: not ready any more; serving for ${shutdownGraceMs} ms, then closing`);
    await new Promise((resolve) => setTimeout(resolve, shutdownGraceMs));
    await connections.settleBeforeClosing();
    // The HTTP server first (it stops accepting, then waits for every accepted request), then the database pool.
    await app.getHttpAdapter().close();
    await app.close();
    logger.info({ context: 'Shutdown' }, 'HTTP server and database pool closed');
    process.exit(0);
  };
  process.on('SIGTERM', () => void drainAndExit('SIGTERM'));
  process.on('SIGINT', () => void drainAndExit('SIGINT'));

  await app.listen(port, host);
  logger.info({ context: 'Bootstrap' }, `Listening on http://${host}:${port}`);
}

if (existsSync('.env')) process.loadEnvFile('.env');
const configuration = loadOrExit();
const logger = createRootLogger(configuration.app);
bootstrap(configuration, logger).catch((error: unknown) => {
  logger.fatal({ context: 'Bootstrap' }, `Start-up failed: ${(error as Error)?.message ?? error}`);
  process.exit(1);
});
