import { MigrationInterface, QueryRunner } from 'typeorm';

/** A migration that changes PostgreSQL only (SQLite keeps what it has): its statements, run in order. */
export abstract class PostgresOnlyMigration implements MigrationInterface {
  abstract readonly name: string;
  protected abstract readonly upStatements: readonly string[];
  protected abstract readonly downStatements: readonly string[];

  async up(queryRunner: QueryRunner): Promise<void> {
    await runOnPostgres(queryRunner, this.upStatements);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await runOnPostgres(queryRunner, this.downStatements);
  }
}

async function runOnPostgres(queryRunner: QueryRunner, statements: readonly string[]): Promise<void> {
  if (queryRunner.connection.options.type !== 'postgres') return;
  for (const statement of statements) await queryRunner.query(statement);
}
