import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { MIGRATIONS_TABLE } from './data-source-options';

/** What an operator runs when the schema is behind (from a checkout; the image has the same command on dist/). */
export const MIGRATION_COMMAND = 'npm run migration:run';
/** What a client is told while migrations are pending; the operator's details are in the log and readiness. */
export const SCHEMA_BEHIND_MESSAGE = 'The service is being upgraded (database schema not ready); retry shortly';

// PostgreSQL: undefined table, undefined column. SQLite says it in words.
const MISSING_SCHEMA_CODES = new Set(['42P01', '42703']);
const MISSING_SCHEMA_MESSAGES = /no such (table|column)/i;

/** True when a failed statement names a table or column the database does not have (yet). */
export function isMissingSchemaError(exception: unknown): boolean {
  const error = exception as { code?: unknown; message?: unknown; driverError?: { code?: unknown; message?: unknown } };
  if ([error?.code, error?.driverError?.code].some((code) => typeof code === 'string' && MISSING_SCHEMA_CODES.has(code))) return true;
  return [error?.message, error?.driverError?.message].some((message) => typeof message === 'string' && MISSING_SCHEMA_MESSAGES.test(message));
}

/** One line for the operator: which migrations are pending and the command that applies them. */
export function describePendingMigrations(pending: string[]): string {
  return `database schema is behind: ${pending.length} migration(s) pending (${pending.join(', ')}); run \`${MIGRATION_COMMAND}\``;
}

type Query = (sql: string) => Promise<Array<Record<string, unknown>>>;

/** Which of this version's migrations the database has not applied. */
@Injectable()
export class SchemaStatus implements OnApplicationBootstrap {
  private readonly logger = new Logger('Database');

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Names of the pending migrations, in order; all of them when the migrations table does not exist yet. */
  async pendingMigrations(query: Query = (sql) => this.dataSource.query(sql)): Promise<string[]> {
    let applied: Set<unknown>;
    try {
      applied = new Set((await query(`SELECT name FROM ${MIGRATIONS_TABLE}`)).map((row) => row.name));
    } catch (error) {
      if (!isMissingSchemaError(error)) throw error;
      applied = new Set();
    }
    return this.dataSource.migrations.map((migration) => migration.name ?? '').filter((name) => !applied.has(name));
  }

  /** Says so once at start-up when the service runs on a schema older than its code (migrations are a separate step). */
  async onApplicationBootstrap(): Promise<void> {
    const pending = await this.pendingMigrations().catch(() => []);
    if (pending.length > 0) this.logger.warn(`${describePendingMigrations(pending)}; until then readiness is 503`);
  }
}
