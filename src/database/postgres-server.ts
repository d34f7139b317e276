import { Client, ClientConfig } from 'pg';
import { DatabaseTarget } from '../config/database-url';

export type PostgresTarget = Extract<DatabaseTarget, { type: 'postgres' }>;

/** A PostgreSQL target's connection settings for a bare pg Client (outside TypeORM's pool). */
export function postgresClientConfig(target: PostgresTarget): ClientConfig {
  return { host: target.host, port: target.port, user: target.username, password: target.password, database: target.database, ssl: target.ssl };
}

/** Failures that may pass by themselves (a server still starting, a network blip): worth another try. */
const TRANSIENT = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', '57P03']);
const REASONS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'the connection was reset',
  ETIMEDOUT: 'no answer in time',
  EHOSTUNREACH: 'the host is unreachable',
  ENETUNREACH: 'the network is unreachable',
  ENOTFOUND: 'unknown host name',
  EAI_AGAIN: 'the host name could not be looked up',
  '28P01': 'password authentication failed',
  '28000': 'the server refused this user',
  '3D000': 'the database does not exist',
  '57P03': 'the server is starting up',
};
const ATTEMPTS = 3;
const RETRY_DELAY_MS = 1000;

/**
 * Why the PostgreSQL server cannot be used at start-up, in one line for the operator (undefined when a connection
 * opens). Checked before the app starts: TypeORM would log a stack trace per retry, then Nest its own. A failure that
 * may pass by itself is tried again a few times; the line never contains the password.
 */
export async function postgresServerProblem(target: PostgresTarget, connectTimeoutMs: number): Promise<string | undefined> {
  let reason = '';
  for (let attempt = 1; attempt <= ATTEMPTS; attempt += 1) {
    const client = new Client({ ...postgresClientConfig(target), connectionTimeoutMillis: connectTimeoutMs });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.end();
      return undefined;
    } catch (error) {
      void client.end().catch(() => undefined);
      const code = (error as { code?: unknown }).code;
      const timedOut = /timeout/i.test((error as Error).message ?? '');
      reason = timedOut ? `no answer within ${connectTimeoutMs} ms (DB_CONNECT_TIMEOUT_MS)` : REASONS[String(code)] ?? (error as Error).message;
      if (!(timedOut || TRANSIENT.has(String(code))) || attempt === ATTEMPTS) break;
      await new Promise((resolve) => setTimeout(resolve, RETRY_DELAY_MS));
    }
  }
  return `cannot connect to PostgreSQL at ${target.host}:${target.port} (database ${target.database}): ${reason}; check DATABASE_URL and that the server is running`;
}
