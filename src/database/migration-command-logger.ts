import { Logger as TypeOrmLoggerContract } from 'typeorm';

// The lines an operator reads: one per migration (applied, reverted, or listed by migration:show), and "nothing to do".
const PER_MIGRATION = /^\[[X ]\] |has been (\(fake\) )?(executed|reverted) successfully\.$|^No migrations are pending|Nothing to revert/;

/**
 * The migration commands' output: one line per migration; each SQL statement and TypeORM's own chatter only with
 * LOG_LEVEL=debug (the CLI turns query logging on for migration:run, which printed every statement).
 */
export class MigrationCommandLogger implements TypeOrmLoggerContract {
  constructor(private readonly debug: boolean) {}

  logQuery(query: string, parameters?: unknown[]): void {
    if (this.debug) console.log(`query: ${query}${parameters?.length ? ` -- ${JSON.stringify(parameters)}` : ''}`);
  }

  logQueryError(error: string | Error, query: string): void {
    const message = error instanceof Error ? error.message : error;
    console.error(`query failed: ${message}${this.debug ? ` -- ${query}` : ` -- ${query.replace(/\s+/g, ' ').slice(0, 200)}`}`);
  }

  logQuerySlow(): void {}

  logSchemaBuild(message: string): void {
    if (this.debug || PER_MIGRATION.test(message)) console.log(message);
  }

  logMigration(message: string): void {
    console.log(message);
  }

  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    if (level === 'warn') console.warn(String(message));
    else if (this.debug) console.log(String(message));
  }
}
