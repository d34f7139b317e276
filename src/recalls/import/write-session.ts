import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { QueryRunner } from 'typeorm';

/** What a batch's writes go through: its transaction's connection. */
export interface WriteSession {
  query<T = Record<string, unknown>>(sql: string, parameters: unknown[]): Promise<T[]>;
  /** Runs a statement and returns how many rows it changed. */
  execute(sql: string, parameters: unknown[]): Promise<number>;
  /** PostgreSQL COPY ... FROM STDIN of these rows (see copyRows). */
  copyIn(sql: string, rows: Buffer): Promise<void>;
}

/** The session of a transaction's query runner. */
export function writeSession(runner: QueryRunner): WriteSession {
  return {
    query: (sql, parameters) => runner.query(sql, parameters),
    execute: async (sql, parameters) => (await runner.query(sql, parameters, true)).affected ?? 0,
    copyIn: async (sql, rows) => {
      const client = (await runner.connect()) as PoolClient;
      await pipeline(Readable.from([rows]), client.query(copyFrom(sql)));
    },
  };
}
