import { QueryRunner } from 'typeorm';

/** Runs a migration's statements in order on PostgreSQL; on SQLite the migration changes nothing. */
export async function runOnPostgres(queryRunner: QueryRunner, statements: string[]): Promise<void> {
  if (queryRunner.connection.options.type !== 'postgres') return;
  for (const statement of statements) await queryRunner.query(statement);
}
