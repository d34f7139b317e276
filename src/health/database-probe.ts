import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Client, ClientConfig, DatabaseError } from 'pg';
import { DataSource, DataSourceOptions, QueryFailedError } from 'typeorm';

/** What a probe response says when the database cannot be reached; the details (address, error) go to the log. */
export const DATABASE_UNREACHABLE = 'database unreachable';

/**
 * The probes' own way to the database. On PostgreSQL a single dedicated connection, outside the app's pool:
 * a pool busy with slow requests must not make a pod look dead (readiness would fail on every pod of a loaded
 * service at once). The connection is dropped on any failure and made again by the next probe.
 * SQLite has no pool: the app's connection answers at once.
 */
@Injectable()
export class DatabaseProbe implements OnApplicationShutdown {
  private readonly logger = new Logger('DatabaseProbe');
  private connection?: Promise<Client>;
  private lastFailure?: string;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Runs one short statement. Rejects with DATABASE_UNREACHABLE when the database cannot be reached, and with the
   * database's own error when it answered that the statement failed (e.g. a table that does not exist yet).
   */
  async query<T = Record<string, unknown>>(sql: string, timeoutMs: number): Promise<T[]> {
    try {
      const rows = await this.run<T>(sql, timeoutMs);
      if (this.lastFailure) this.logger.log('Database reachable again');
      this.lastFailure = undefined;
      return rows;
    } catch (error) {
      if (isStatementError(error)) throw error;
      const reason = (error as Error)?.message ?? String(error);
      // Once per outage (and when the reason changes), not once per probe.
      if (reason !== this.lastFailure) this.logger.warn(`Database unreachable: ${reason}`);
      this.lastFailure = reason;
      throw new Error(DATABASE_UNREACHABLE);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.drop();
  }

  private async run<T>(sql: string, timeoutMs: number): Promise<T[]> {
    // A DataSource closed by the app is down for the app, even if the database itself still answers.
    if (!this.dataSource.isInitialized) throw new Error('the application closed its database connection');
    if (this.dataSource.options.type !== 'postgres') return this.dataSource.query(sql);
    const connection = (this.connection ??= this.connect(timeoutMs));
    try {
      const client = await connection;
      return (await client.query(sql)).rows as T[];
    } catch (error) {
      if (!isStatementError(error) && this.connection === connection) await this.drop();
      throw error;
    }
  }

  private async connect(timeoutMs: number): Promise<Client> {
    const options = this.dataSource.options as Extract<DataSourceOptions, { type: 'postgres' }>;
    const client = new Client({
      host: options.host,
      port: options.port,
      user: options.username,
      password: typeof options.password === 'string' ? options.password : undefined,
      database: options.database,
      ssl: options.ssl as ClientConfig['ssl'],
      application_name: `${options.applicationName ?? 'babyshield-api'}-probe`,
      connectionTimeoutMillis: timeoutMs,
      query_timeout: timeoutMs,
      keepAlive: true,
    });
    // A broken idle connection must not crash the process: the next probe's query fails and reconnects.
    client.on('error', () => undefined);
    try {
      await client.connect();
    } catch (error) {
      void client.end().catch(() => undefined);
      throw error;
    }
    // A connection the server closed (a restart) is forgotten at once, so the next probe does not fail on it.
    client.once('end', () => void this.forget(client));
    return client;
  }

  private async forget(client: Client): Promise<void> {
    const connection = this.connection;
    if (connection && (await connection.catch(() => undefined)) === client && this.connection === connection) {
      this.connection = undefined;
    }
  }

  /** Forgets the connection and closes it without waiting: a black-holed socket never answers a goodbye. */
  private async drop(): Promise<void> {
    const connection = this.connection;
    this.connection = undefined;
    const client = await connection?.catch(() => undefined);
    void client?.end().catch(() => undefined);
  }
}

/** The database answered, and the answer is an error in the statement: the connection itself is fine. */
function isStatementError(error: unknown): boolean {
  if (error instanceof QueryFailedError) return true; // SQLite, through TypeORM
  return error instanceof DatabaseError && !/^(08|57)/.test(error.code ?? '');
}
