import { PostgresOnlyMigration } from './postgres-only';

/**
 * PostgreSQL: recall_name_matches(query, typed, max_rows), the first max_rows rows of recall_words whose name words
 * match a tsquery, through the name word index (sequential scans off, as in recall_words_matching), each with
 * whether its name also matches `typed` (the words as the user typed them). Search ranks a name's matches by that
 * flag first; read in the same pass, each matching row is visited once instead of twice. SQLite: nothing.
 */
export class NameMatchesFunction1764000000006 extends PostgresOnlyMigration {
  name = 'NameMatchesFunction1764000000006';
  protected readonly upStatements = [
    `CREATE FUNCTION recall_name_matches(query tsquery, typed tsquery, max_rows integer)
       RETURNS TABLE (recall_pk integer, name_length smallint, recall_date date, as_typed boolean)
       LANGUAGE sql STABLE PARALLEL SAFE
       SET enable_seqscan = off
     AS $$
       SELECT w.recall_pk, w.name_length, w.recall_date, w.name_words @@ typed
       FROM recall_words w WHERE w.name_words @@ query LIMIT max_rows
     $$`,
  ];
  protected readonly downStatements = ['DROP FUNCTION recall_name_matches(tsquery, tsquery, integer)'];
}
