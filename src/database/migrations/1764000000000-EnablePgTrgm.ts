import { MigrationInterface, QueryRunner } from 'typeorm';

/** Trigram matching for typo-tolerant search. PostgreSQL only; SQLite uses FTS5's trigram tokenizer instead. */
export class EnablePgTrgm1764000000000 implements MigrationInterface {
  name = 'EnablePgTrgm1764000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    if (queryRunner.connection.options.type !== 'postgres') return;
    try {
      await queryRunner.query('CREATE EXTENSION IF NOT EXISTS pg_trgm');
    } catch (error) {
      // The transaction is aborted at this point, so the name comes from the options, not a query.
      const database = String((queryRunner.connection.options as { database?: string }).database ?? '<database>');
      throw new Error(
        `Could not create the pg_trgm extension (${(error as Error).message}). ` +
          `A database administrator must run, as a superuser: ` +
          `psql -d ${database} -c "CREATE EXTENSION IF NOT EXISTS pg_trgm" ` +
          `(on Debian/Ubuntu the extension ships in the postgresql-contrib package), then run the migrations again.`,
      );
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    if (queryRunner.connection.options.type !== 'postgres') return;
    await queryRunner.query('DROP EXTENSION IF EXISTS pg_trgm');
  }
}
