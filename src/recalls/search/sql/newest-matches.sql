WITH recent AS MATERIALIZED (SELECT w.recall_pk, w.recall_date FROM (SELECT recall_pk, recall_date, words FROM recall_words ORDER BY recall_date DESC, recall_pk ASC LIMIT 3000) w WHERE w.words @@ to_tsquery('simple', $1) ORDER BY w.recall_date DESC, w.recall_pk ASC LIMIT 200),
boundary AS MATERIALIZED (SELECT recall_date, recall_pk FROM recall_words ORDER BY recall_date DESC, recall_pk ASC OFFSET 2999 LIMIT 1),
estimate AS MATERIALIZED (
  SELECT count(*) * (SELECT reltuples FROM pg_class WHERE oid = 'recall_words'::regclass) / 3000 > 2000
         AND EXISTS (SELECT 1 FROM recent) AS common
  FROM recent)
SELECT c.id, c.recall_id, c.recall_date, c.search_name, c.search_text
FROM (
  (SELECT recall_pk, recall_date FROM recent ORDER BY recall_date DESC, recall_pk ASC)
  UNION ALL
  (SELECT w.recall_pk, w.recall_date FROM recall_words w WHERE NOT (SELECT common FROM estimate) AND (w.recall_date + 0, -w.recall_pk) < (SELECT recall_date, -recall_pk FROM boundary) AND w.words @@ to_tsquery('simple', $1) ORDER BY w.recall_date + 0 DESC, w.recall_pk ASC LIMIT 200)
  UNION ALL
  (SELECT w.recall_pk, w.recall_date FROM (SELECT recall_pk, recall_date, words FROM recall_words WHERE recall_date >= $2 ORDER BY recall_date DESC, recall_pk ASC OFFSET 0) w WHERE (SELECT common FROM estimate) AND (w.recall_date + 0, -w.recall_pk) < (SELECT recall_date, -recall_pk FROM boundary) AND w.words @@ to_tsquery('simple', $1) ORDER BY w.recall_date DESC, w.recall_pk ASC LIMIT 200)
  UNION ALL
  (SELECT w.recall_pk, w.recall_date FROM recall_words w WHERE (SELECT common FROM estimate) AND (w.recall_date + 0, -w.recall_pk) < (SELECT recall_date, -recall_pk FROM boundary) AND w.words @@ (to_tsquery('simple', $1) && $3::tsquery) ORDER BY w.recall_date + 0 DESC, w.recall_pk ASC LIMIT 200)
  UNION ALL
  (SELECT w.recall_pk, w.recall_date FROM recall_words w WHERE (SELECT common FROM estimate) AND (w.recall_date + 0, -w.recall_pk) < (SELECT recall_date, -recall_pk FROM boundary) AND w.words @@ (to_tsquery('simple', $1) && $4::tsquery) ORDER BY w.recall_date + 0 DESC, w.recall_pk ASC LIMIT 200)
  UNION ALL
  (SELECT w.recall_pk, w.recall_date FROM recall_words w WHERE (SELECT common FROM estimate) AND (w.recall_date + 0, -w.recall_pk) < (SELECT recall_date, -recall_pk FROM boundary) AND w.words @@ (to_tsquery('simple', $1) && $5::tsquery) ORDER BY w.recall_date + 0 DESC, w.recall_pk ASC LIMIT 200)
  UNION ALL
  (SELECT w.recall_pk, w.recall_date FROM recall_words w WHERE (SELECT common FROM estimate) AND (w.recall_date + 0, -w.recall_pk) < (SELECT recall_date, -recall_pk FROM boundary) AND w.words @@ (to_tsquery('simple', $1) && $6::tsquery) ORDER BY w.recall_date + 0 DESC, w.recall_pk ASC LIMIT 200)
  UNION ALL
  (SELECT w.recall_pk, w.recall_date FROM recall_words w WHERE (SELECT common FROM estimate) AND (w.recall_date + 0, -w.recall_pk) < (SELECT recall_date, -recall_pk FROM boundary) AND w.words @@ (to_tsquery('simple', $1) && $7::tsquery) ORDER BY w.recall_date + 0 DESC, w.recall_pk ASC LIMIT 200)
  UNION ALL
  (SELECT w.recall_pk, w.recall_date FROM recall_words w WHERE (SELECT common FROM estimate) AND (w.recall_date + 0, -w.recall_pk) < (SELECT recall_date, -recall_pk FROM boundary) AND w.words @@ (to_tsquery('simple', $1) && $8::tsquery) ORDER BY w.recall_date + 0 DESC, w.recall_pk ASC LIMIT 200)
  UNION ALL
  (SELECT w.recall_pk, w.recall_date FROM recall_words w WHERE (SELECT common FROM estimate) AND (w.recall_date + 0, -w.recall_pk) < (SELECT recall_date, -recall_pk FROM boundary) AND w.words @@ (to_tsquery('simple', $1) && $9::tsquery) ORDER BY w.recall_date + 0 DESC, w.recall_pk ASC LIMIT 200)
  UNION ALL
  (SELECT w.recall_pk, w.recall_date FROM recall_words w WHERE (SELECT common FROM estimate) AND (w.recall_date + 0, -w.recall_pk) < (SELECT recall_date, -recall_pk FROM boundary) AND w.words @@ (to_tsquery('simple', $1) && $10::tsquery) ORDER BY w.recall_date + 0 DESC, w.recall_pk ASC LIMIT 200)
  UNION ALL
  (SELECT w.recall_pk, w.recall_date FROM recall_words w WHERE (SELECT common FROM estimate) AND (w.recall_date + 0, -w.recall_pk) < (SELECT recall_date, -recall_pk FROM boundary) AND w.recall_date + 0 < $11 AND w.words @@ to_tsquery('simple', $1) ORDER BY w.recall_date + 0 DESC, w.recall_pk ASC LIMIT 200)
  LIMIT 200
) m
JOIN recalls c ON c.id = m.recall_pk;

-- $1 = "(graco | (gracocar | gracocars | gracocares)) & (seat | seats | ((child | childs | childes) & (restraint | restraints | restraintes)) | ((child | childs | childes) & (car | cars | cares) & (seat | seats | seates)) | ((baby | babys | babyes) & (seat | seats | seates)) | ((siege | sieges | siegees) &... (1183 characters)
-- $2 = "2027-01-01"
-- $3 = "'~2026'"
-- $4 = "'~2025'"
-- $5 = "'~2024'"
-- $6 = "'~2023'"
-- $7 = "'~2022'"
-- $8 = "'~2021'"
-- $9 = "'~2020'"
-- $10 = "'~2019'"
-- $11 = "2019-01-01"
