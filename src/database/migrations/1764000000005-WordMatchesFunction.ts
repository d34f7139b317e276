import { PostgresOnlyMigration } from './postgres-only';

/**
 * PostgreSQL: recall_words_matching(column, query, max_rows), the first max_rows rows of recall_words whose name
 * words or words match a tsquery, always read through the word index. Search asks for "at most N matches" to tell
 * rare words from common ones; written as a plain LIMIT, the planner may scan the table in order and stop after
 * N, which is cheap when the words are as common as it estimates and reads the whole table (a gigabyte at a
 * million rows, over half a second) when they are rarer. Inside the function sequential scans are off, so the
 * matches always come from the index, whatever the estimate. SQLite: nothing (no such planner choice).
 */
export class WordMatchesFunction1764000000005 extends PostgresOnlyMigration {
  name = 'WordMatchesFunction1764000000005';
  protected readonly upStatements = [
    `CREATE FUNCTION recall_words_matching(words_column text, query tsquery, max_rows integer)
       RETURNS TABLE (recall_pk integer, name_length smallint, recall_date date)
       LANGUAGE plpgsql STABLE PARALLEL SAFE
       SET enable_seqscan = off
     AS $$
     BEGIN
       IF words_column = 'name_words' THEN
         RETURN QUERY SELECT w.recall_pk, w.name_length, w.recall_date FROM recall_words w WHERE w.name_words @@ query LIMIT max_rows;
       ELSIF words_column = 'words' THEN
         RETURN QUERY SELECT w.recall_pk, w.name_length, w.recall_date FROM recall_words w WHERE w.words @@ query LIMIT max_rows;
       ELSE
         RAISE EXCEPTION 'recall_words_matching: no column %', words_column;
       END IF;
     END $$`,
  ];
  protected readonly downStatements = ['DROP FUNCTION recall_words_matching(text, tsquery, integer)'];
}
